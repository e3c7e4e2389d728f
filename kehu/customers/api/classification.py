"""Classification API (C5) under /api/v1/customers: ABC, pyramid levels and rules, assessments.

Computing and the rules need the customer `transfer` right (managers); a manual level, the
estimated annual spend and an assessment need `edit` on the customer (see the services).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from kehu.core.api.pagination import CursorPage, CursorParams, paginate
from kehu.customers import selectors, services
from kehu.customers.api.customer import E_WRITE, E, _ref
from kehu.customers.models import AbcRow, AbcSnapshot, Customer, DistributorAssessment, LevelRule
from kehu.customers.schemas import (
    AbcPageOut,
    AbcQuery,
    AbcRecomputeIn,
    AbcRecomputeOut,
    AssessmentFilter,
    AssessmentIn,
    AssessmentOut,
    ClassificationOut,
    LevelIn,
    LevelRuleOut,
    LevelRulesIn,
    SpendEstimateIn,
)
from kehu.customers.schemas.customer import Ref

router = Router(tags=["classification"])


def snapshot_out(snapshot: AbcSnapshot) -> dict:
    data = {name: getattr(snapshot, name) for name in (
        "id", "period_start", "period_end", "a_limit", "b_limit", "total_amount", "customer_count", "computed_at",
    )}
    data["computed_by"] = _ref(snapshot.computed_by)
    return data


def row_out(row: AbcRow) -> dict:
    data = {name: getattr(row, name) for name in (
        "rank", "transactions", "amount", "cumulative_amount", "cumulative_pct", "contribution_pct", "abc_class",
        "annual_spend_estimate", "loyalty_pct", "loyalty_mark",
    )}
    data["customer"] = _ref(row.customer)
    return data


def classification_out(user, customer: Customer) -> dict:
    record = selectors.classification_of(customer)
    row = selectors.abc_row_for(actor=user, customer=customer)
    return {
        "customer_id": customer.pk,
        "level": customer.level,
        "level_source": record.level_source if record else "",
        "rule_id": record.rule_id if record else None,
        "reason": record.reason if record else "",
        "set_at": record.set_at if record else None,
        "set_by": _ref(record.set_by) if record else None,
        "annual_spend_estimate": record.annual_spend_estimate if record else None,
        "abc": row_out(row) if row else None,
    }


def rule_out(rule: LevelRule) -> dict:
    return {name: getattr(rule, name) for name in (
        "id", "position", "version", "name", "level", "min_status", "min_amount", "amount_months", "industries",
        "regions", "explanation", "is_active",
    )}


def assessment_out(assessment: DistributorAssessment) -> dict:
    return {
        "id": assessment.pk, "customer": _ref(assessment.customer), "period": assessment.period,
        "verdict": assessment.verdict, "reason": assessment.reason, "evaluator": _ref(assessment.evaluator),
        "created_at": assessment.created_at,
    }


# --- ABC ---------------------------------------------------------------------------------------


@router.get("/abc", response={200: AbcPageOut, **E}, url_name="classification_abc_list")
def classification_abc_list(request: HttpRequest, page: Query[CursorParams], period: Query[AbcQuery]):
    """ABC rows of a period (or the latest snapshot) for the customers you see, by rank.

    Cumulative % and rank are over all customers of the snapshot."""
    snapshot = selectors.abc_snapshot(start=period.start, end=period.end)
    if snapshot is None:
        return {"snapshot": None, "items": [], "next_cursor": None}
    result = paginate(selectors.abc_rows(actor=request.user, snapshot=snapshot), page, ordering="rank")
    return {
        "snapshot": snapshot_out(snapshot), "items": [row_out(r) for r in result["items"]],
        "next_cursor": result["next_cursor"],
    }


@router.post("/abc/recompute", response={200: AbcRecomputeOut, **E_WRITE}, url_name="classification_abc_recompute")
def classification_abc_recompute(request: HttpRequest, payload: AbcRecomputeIn):
    """Compute the period's ABC snapshot now (managers: the transfer right); default the last 12 months."""
    start, end = payload.start, payload.end
    if start is None or end is None:
        default_start, default_end = services.rolling_period()
        start, end = start or default_start, end or default_end
    snapshot = services.abc_recompute(
        actor=request.user, start=start, end=end, a_limit=payload.a_limit, b_limit=payload.b_limit
    )
    changed = services.levels_recompute(actor=request.user) if payload.levels else None
    return {"snapshot": snapshot_out(snapshot), "levels_changed": changed}


# --- levels ------------------------------------------------------------------------------------


@router.get("/level-rules", response={200: list[LevelRuleOut], **E}, url_name="classification_rules_get")
def classification_rules_get(request: HttpRequest):
    """The pyramid rules in order; the first that matches a customer sets its level."""
    return [rule_out(rule) for rule in selectors.level_rules(actor=request.user)]


@router.put("/level-rules", response={200: list[LevelRuleOut], **E_WRITE}, url_name="classification_rules_put")
def classification_rules_put(request: HttpRequest, payload: LevelRulesIn):
    """Replace the ordered rule list (managers); levels follow at the next recompute."""
    try:
        rules = services.level_rules_replace(actor=request.user, rules=[r.dict() for r in payload.rules])
    except services.StaleEdit as exc:
        raise HttpError(409, str(exc)) from exc
    return [rule_out(rule) for rule in rules]


@router.get(
    "/{customer_id}/classification", response={200: ClassificationOut, **E}, url_name="classification_get"
)
def classification_get(request: HttpRequest, customer_id: int):
    """A customer's level and how it was set, its estimated annual spend and its ABC line."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id)
    return classification_out(request.user, customer)


@router.put("/{customer_id}/level", response={200: ClassificationOut, **E_WRITE}, url_name="classification_level_put")
def classification_level_put(request: HttpRequest, customer_id: int, payload: LevelIn):
    """Set the level by hand with a reason (wins over the rules), or clear it with level null."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id, action="edit")
    if payload.level:
        services.customer_level_set(actor=request.user, customer=customer, level=payload.level, reason=payload.reason)
    else:
        services.customer_level_clear(actor=request.user, customer=customer)
    customer.refresh_from_db()
    return classification_out(request.user, customer)


@router.put(
    "/{customer_id}/spend-estimate", response={200: ClassificationOut, **E_WRITE},
    url_name="classification_spend_estimate_put",
)
def classification_spend_estimate_put(request: HttpRequest, customer_id: int, payload: SpendEstimateIn):
    """The customer's estimated annual spend in our category (base of loyalty %)."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id, action="edit")
    services.customer_spend_estimate_set(
        actor=request.user, customer=customer, amount=payload.annual_spend_estimate
    )
    return classification_out(request.user, customer)


# --- distributor assessment --------------------------------------------------------------------


@router.get(
    "/assessments", response={200: CursorPage[AssessmentOut], **E}, url_name="classification_assessments_list"
)
def classification_assessments_list(
    request: HttpRequest, page: Query[CursorParams], filters: Query[AssessmentFilter]
):
    """Assessments of customers you see, newest first; filter by customer or period (2026Q4)."""
    rows = selectors.assessments(actor=request.user)
    if filters.customer_id:
        rows = rows.filter(customer_id=filters.customer_id)
    if filters.period:
        rows = rows.filter(period=filters.period.upper())
    result = paginate(rows, page, ordering="-created_at")
    return {"items": [assessment_out(a) for a in result["items"]], "next_cursor": result["next_cursor"]}


@router.get("/assessments/due", response={200: list[Ref], **E}, url_name="classification_assessments_due")
def classification_assessments_due(request: HttpRequest):
    """Signed or cooperating customers you see with no assessment in the current quarter."""
    period = services.current_assessment_period()
    return [_ref(c) for c in selectors.assessments_due(actor=request.user, period=period)[:500]]


@router.post(
    "/{customer_id}/assessments", response={201: AssessmentOut, **E_WRITE},
    url_name="classification_assessments_create",
)
def classification_assessments_create(request: HttpRequest, customer_id: int, payload: AssessmentIn):
    """Record this quarter's evaluation of a distributor (its owner, or a manager)."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id, action="edit")
    assessment = services.assessment_create(actor=request.user, customer=customer, **payload.dict())
    return Status(201, assessment_out(assessment))
