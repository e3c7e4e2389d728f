"""Merge API (C7): POST /customers/{id}/merge/preview and /merge; {id} is the customer that stays.

A merged customer stays readable at GET /customers/{id}: `merged_into_id` points to the survivor.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from kehu.customers import selectors, services
from kehu.customers.api.customer import E_WRITE, _detail
from kehu.customers.schemas import MergeIn, MergeOut, MergePreviewIn, MergePreviewOut

router = Router(tags=["customers"])


def _side(customer) -> dict:
    return {"id": customer.pk, "name": customer.name, "version": customer.version}


def _moves(counts: dict[str, int]) -> list[dict]:
    return [{"label": label, "count": count} for label, count in counts.items()]


@router.post("/{customer_id}/merge/preview", response={200: MergePreviewOut, **E_WRITE}, url_name="merge_preview")
def merge_preview(request: HttpRequest, customer_id: int, payload: MergePreviewIn):
    """Both customers side by side, the fields that differ, and what would move. Needs `edit` on this
    customer and `delete` on the other."""
    survivor, loser = selectors.merge_pair(actor=request.user, survivor_id=customer_id, loser_id=payload.loser_id)
    preview = selectors.merge_preview(actor=request.user, survivor=survivor, loser=loser)
    return {**preview, "survivor": _side(survivor), "loser": _side(loser)}


@router.post("/{customer_id}/merge", response={200: MergeOut, **E_WRITE}, url_name="merge_customers")
def merge_customers(request: HttpRequest, customer_id: int, payload: MergeIn):
    """Merge `loser_id` into this customer: everything moves here, the other becomes a merged alias.
    Send both versions from the preview (an older one answers 409) and your choice per field."""
    survivor, loser = selectors.merge_pair(actor=request.user, survivor_id=customer_id, loser_id=payload.loser_id)
    try:
        result = services.customer_merge(
            actor=request.user, survivor=survivor, loser=loser, survivor_version=payload.version,
            loser_version=payload.loser_version, choices=payload.choices,
        )
    except services.StaleEdit as exc:
        raise HttpError(409, str(exc)) from exc
    customer = selectors.customer_detail_queryset().get(pk=result.survivor.pk)
    return {"customer": _detail(request.user, customer), "moved": _moves(result.moved), "kept": _moves(result.kept)}
