"""公海 pool API under /api/v1/customers: the pool list, claim, release and the rules."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from kehu.accounts.permissions import can
from kehu.core.api.pagination import CursorPage, CursorParams, paginate
from kehu.customers import selectors, services
from kehu.customers.api.customer import E_WRITE, E, _ref
from kehu.customers.apps import POOL_RULES
from kehu.customers.models import Customer
from kehu.customers.schemas import (
    ClaimOut,
    PoolCustomerOut,
    PoolFilter,
    PoolRulesIn,
    PoolRulesOut,
    ReleaseIn,
    ReleaseOut,
)
from kehu.customers.services.pool import RULE_FIELDS

router = Router(tags=["customer pool"])


def pool_customer_out(customer: Customer) -> dict:
    data = {
        name: getattr(customer, name)
        for name in (
            "id", "name", "short_name", "industry", "province", "city", "district", "level", "status",
            "pool_reason", "released_at", "updated_at",
        )
    }
    data["department"] = _ref(customer.department)
    data["previous_owner"] = _ref(customer.previous_owner)
    return data


def rules_out(user, rules) -> dict:
    data = {name: getattr(rules, name) for name in (*RULE_FIELDS, "version", "updated_at")}
    data["updated_by"] = _ref(rules.updated_by)
    data["may_edit"] = can(user, POOL_RULES, "edit")
    return data


@router.get("/pool", response={200: CursorPage[PoolCustomerOut], **E}, url_name="pool_list")
def pool_list(request: HttpRequest, page: Query[CursorParams], filters: Query[PoolFilter]):
    """Customers in the 公海 pool you may see (your department's at least), newest first."""
    customers = selectors.pool_list(actor=request.user, **filters.dict())
    result = paginate(customers, page, ordering="-updated_at")
    return {"items": [pool_customer_out(c) for c in result["items"]], "next_cursor": result["next_cursor"]}


@router.get("/pool-rules", response={200: PoolRulesOut, **E}, url_name="pool_rules_get")
def pool_rules_get(request: HttpRequest):
    """The pool's rules: return after N days per level, warning, lock-out, claim limits."""
    rules = selectors.pool_rules_for(actor=request.user)
    return rules_out(request.user, rules)


@router.put("/pool-rules", response={200: PoolRulesOut, **E_WRITE}, url_name="pool_rules_update")
def pool_rules_update(request: HttpRequest, payload: PoolRulesIn):
    """Change the rules (administrators, general manager, marketing VP); an old `version` answers 409."""
    data = payload.dict()
    version = data.pop("version")
    try:
        rules = services.pool_rules_update(actor=request.user, version=version, **data)
    except services.StaleEdit as exc:
        raise HttpError(409, str(exc)) from exc
    return rules_out(request.user, rules)


@router.post("/{customer_id}/claim", response={200: ClaimOut, **E_WRITE}, url_name="pool_claim")
def pool_claim(request: HttpRequest, customer_id: int):
    """Claim a pooled customer: the daily and total limits and the previous owner's lock-out apply;
    of two claims at once exactly one wins (the other answers 422)."""
    customer = selectors.pool_get_for_claim(actor=request.user, pk=customer_id)
    customer = services.customer_claim(actor=request.user, customer=customer)
    allowance = selectors.claim_allowance(request.user)
    return {
        "id": customer.pk, "name": customer.name, "owner": _ref(customer.owner),
        "department": _ref(customer.department), "assigned_at": customer.assigned_at,
        "version": customer.version, "allowance": allowance.__dict__,
    }


@router.post("/{customer_id}/release", response={200: ReleaseOut, **E_WRITE}, url_name="pool_release")
def pool_release(request: HttpRequest, customer_id: int, payload: ReleaseIn):
    """Release a customer to the pool with a reason: its owner, or a manager."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id, action="edit")
    customer = services.customer_release(actor=request.user, customer=customer, reason=payload.reason)
    return {
        "id": customer.pk, "name": customer.name, "department": _ref(customer.department),
        "pool_reason": customer.pool_reason, "released_at": customer.released_at,
        "previous_owner": _ref(customer.previous_owner), "version": customer.version,
    }
