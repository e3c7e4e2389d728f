"""Handover API (C9): preview who gets what, hand over in one step, read the records."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status

from kehu.core.api.pagination import CursorPage, CursorParams, paginate
from kehu.customers import selectors, services
from kehu.customers.api.customer import E_WRITE, E
from kehu.customers.api.network import renamed
from kehu.customers.schemas.handover import (
    HandoverCreateIn,
    HandoverDetailOut,
    HandoverOut,
    HandoverPlanIn,
    HandoverPreviewOut,
)

router = Router(tags=["handovers"])


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": getattr(obj, "name", str(obj))} if obj is not None else None


ALIASES = {"from_user": "from_user_id", "to_users": "to_user_ids", "digest": "digest"}


def _plan_args(payload: HandoverPlanIn) -> dict:
    return {
        "from_user": payload.from_user_id, "to_users": payload.to_user_ids, "customer_ids": payload.customer_ids,
        "mode": payload.mode, "split": payload.split,
    }


def preview_out(plan: selectors.HandoverPlan) -> dict:
    return {
        "from_user": _ref(plan.from_user), "mode": plan.mode, "total": plan.total, "digest": plan.digest,
        "recipients": [
            {"user": _ref(share.user), "department": _ref(share.user.department), "count": share.count,
             "customers": [_ref(c) for c in share.customers]}
            for share in plan.shares
        ],
    }


def handover_out(handover) -> dict:
    return {
        "id": handover.pk, "from_user": _ref(handover.from_user), "department": _ref(handover.department),
        "mode": handover.mode, "reason": handover.reason, "customer_count": handover.customer_count,
        "participant_counts": handover.participant_counts or {}, "created_by": _ref(handover.created_by),
        "created_at": handover.created_at,
    }


@router.post("/handovers/preview", response={200: HandoverPreviewOut, **E_WRITE}, url_name="handover_preview")
def handover_preview(request: HttpRequest, payload: HandoverPlanIn):
    """Who would get which customers; nothing changes. Send the `digest` back to hand over."""
    try:
        plan = selectors.handover_plan(actor=request.user, **_plan_args(payload))
    except ValidationError as exc:
        raise renamed(exc, ALIASES) from exc
    return preview_out(plan)


@router.post("/handovers", response={201: HandoverDetailOut, **E_WRITE}, url_name="handover_create")
def handover_create(request: HttpRequest, payload: HandoverCreateIn):
    """Hand the customers over as the preview showed: owner and department change, recipients notified."""
    try:
        handover = services.handover_create(
            actor=request.user, reason=payload.reason, expected_digest=payload.digest, **_plan_args(payload)
        )
    except ValidationError as exc:
        raise renamed(exc, ALIASES) from exc
    return Status(201, _detail(request, handover.pk))


def _detail(request: HttpRequest, pk: int) -> dict:
    handover = selectors.handover_get(actor=request.user, pk=pk)
    data = handover_out(handover)
    data["items"] = [
        {"customer": _ref(item.customer), "to_user": _ref(item.to_user),
         "from_department": _ref(item.from_department), "to_department": _ref(item.to_department)}
        for item in selectors.handover_items(handover)
    ]
    return data


@router.get("/handovers", response={200: CursorPage[HandoverOut], **E}, url_name="handover_list")
def handover_list(request: HttpRequest, page: Query[CursorParams]):
    """Handovers in your scope, newest first."""
    result = paginate(selectors.handover_list(actor=request.user), page, ordering="-created_at")
    return {"items": [handover_out(h) for h in result["items"]], "next_cursor": result["next_cursor"]}


@router.get("/handovers/{handover_id}", response={200: HandoverDetailOut, **E}, url_name="handover_get")
def handover_get(request: HttpRequest, handover_id: int):
    """One handover with every customer moved, who got it and the departments."""
    return _detail(request, handover_id)
