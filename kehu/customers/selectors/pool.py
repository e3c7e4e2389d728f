"""Reads of the 公海 pool (C8): who sees which pooled customers, the rules, derived due dates.

Pool visibility (documented in docs/customers-pool.md): a pooled customer keeps the
department it had; a user who may view customers sees the pool of their department (and
of the wider scope they hold: subtree, all), plus pooled customers without a department.
So a salesperson whose customer scope is "own" still sees their department's pool, while
owned customers stay exactly as scoped as before (this widening applies to owner-less rows
only, and only through these selectors, never through `Customer.objects.visible_to`).

Dates: an owned customer's clock starts at max(last effective follow-up, assignment) (the
creation time when neither is known); it is due back in the pool `N` calendar days later
(N per level) and its owner is warned `K` days before that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.accounts.permissions import department_ids_in_scope, require, scope_of
from kehu.customers.apps import CUSTOMER, POOL_RULES
from kehu.customers.models import Customer, Level, PoolEvent, PoolEventKind, PoolRules
from kehu.customers.selectors.customer import search_filter, search_term

LEVELS = ("", *Level.values)  # "" is a customer without a level


def pool_rules_get() -> PoolRules:
    """The one rules row (created with the defaults the first time)."""
    rules, _created = PoolRules.objects.get_or_create(pk=PoolRules.SINGLETON_PK)
    return rules


def pool_rules_for(*, actor: Any) -> PoolRules:
    """The rules as a door shows them: anyone who may view customers or the rules may read them."""
    if scope_of(actor, CUSTOMER) is None:
        require(actor, POOL_RULES, "view")
    return pool_rules_get()


# --- visibility ------------------------------------------------------------------------------


def pool_scope_filter(user: Any) -> Q | None:
    """Which pooled customers `user` sees (None: all); see the module docstring."""
    scope = scope_of(user, CUSTOMER)
    if scope is None:
        return Q(pk__in=[])
    if scope == "all":
        return None
    ids = department_ids_in_scope(user, "department" if scope == "own" else scope)
    return Q(department__isnull=True) | Q(department__in=ids) if ids else Q(department__isnull=True)


def pool_queryset(user: Any) -> QuerySet[Customer]:
    """Active, unmerged, owner-less customers in the user's pool scope (no right check)."""
    customers = Customer.objects.filter(owner__isnull=True, merged_into__isnull=True, is_active=True)
    condition = pool_scope_filter(user)
    return customers if condition is None else customers.filter(condition)


def pool_list(*, actor: Any, q: str = "", level: str | None = None, reason: str = "") -> QuerySet[Customer]:
    """The pool as `actor` sees it, searched and filtered; PermissionDenied without the view right.

    `level` "" is "any level", "none" is "no level".
    """
    require(actor, CUSTOMER, "view")
    customers = pool_queryset(actor)
    customers = search_filter(customers, search_term(q))
    if level == "none":
        customers = customers.filter(level="")
    elif level:
        customers = customers.filter(level=level)
    if reason:
        customers = customers.filter(pool_reason=reason)
    return customers.select_related("department", "previous_owner")


def pool_get(*, actor: Any, pk: Any) -> Customer:
    """One pooled customer the actor sees; Http404 otherwise (not in the pool, or out of scope)."""
    from django.http import Http404

    require(actor, CUSTOMER, "view")
    try:
        return pool_queryset(actor).get(pk=pk)
    except (Customer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def pool_get_for_claim(*, actor: Any, pk: Any) -> Customer:
    """The pooled customer to claim: Http404 when the actor cannot see it at all, a
    ValidationError naming it when they see it but someone owns it now (a stale pool page)."""
    from django.http import Http404

    try:
        return pool_get(actor=actor, pk=pk)
    except Http404:
        owned = Customer.objects.visible_to(actor).filter(pk=pk, owner__isnull=False).first()
        if owned is None:
            raise
        raise ValidationError({"customer": _("Customer %(name)s is not in the public pool any more.")
                               % {"name": owned.name}}) from None


# --- the actor's claims ----------------------------------------------------------------------


def start_of_today(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now or timezone.now())
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def claims_today(user: Any, now: datetime | None = None) -> int:
    return PoolEvent.objects.filter(user=user, kind=PoolEventKind.CLAIM, at__gte=start_of_today(now)).count()


def owned_count(user: Any) -> int:
    return Customer.objects.filter(owner=user, merged_into__isnull=True, is_active=True).count()


@dataclass
class ClaimAllowance:
    claims_today: int
    daily_limit: int  # 0: no limit
    owned: int
    total_limit: int  # 0: no limit

    @property
    def daily_left(self) -> int | None:
        return None if not self.daily_limit else max(self.daily_limit - self.claims_today, 0)


def claim_allowance(user: Any, rules: PoolRules | None = None) -> ClaimAllowance:
    rules = rules or pool_rules_get()
    return ClaimAllowance(claims_today(user), rules.daily_claim_limit, owned_count(user), rules.total_claim_limit)


def lockout_until(customer: Customer, user: Any, rules: PoolRules) -> datetime | None:
    """Until when `user` may not take back the customer they lost; None when they may."""
    if not rules.lockout_days or customer.previous_owner_id != getattr(user, "pk", None) or not customer.released_at:
        return None
    until = customer.released_at + timedelta(days=rules.lockout_days)
    return until if until > timezone.now() else None


# --- derived dates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolSchedule:
    """When an owned customer's clock started, when its owner is warned and when it goes back."""

    base_at: datetime
    due_at: datetime
    warn_at: datetime | None

    @property
    def due_on(self) -> date:
        return timezone.localdate(self.due_at)


def clock_start(customer: Customer) -> datetime:
    """max(last effective follow-up, assignment); the creation time when neither is known."""
    known = [d for d in (customer.last_followup_at, customer.assigned_at) if d is not None]
    return max(known) if known else customer.created_at


def pool_schedule(customer: Customer, rules: PoolRules | None = None) -> PoolSchedule | None:
    """The customer's due and warning dates; None in the pool or when its level never returns."""
    if customer.owner_id is None:
        return None
    rules = rules or pool_rules_get()
    days = rules.return_days_for(customer.level)
    if not days:
        return None
    base = clock_start(customer)
    due = base + timedelta(days=days)
    warn = due - timedelta(days=rules.warn_days) if rules.warn_days else None
    return PoolSchedule(base, due, warn)


def clock_before(cutoff: datetime) -> Q:
    """Customers whose clock (see `clock_start`) started at or before `cutoff`, as plain column tests."""
    return (
        (Q(last_followup_at__isnull=True) | Q(last_followup_at__lte=cutoff))
        & (Q(assigned_at__isnull=True) | Q(assigned_at__lte=cutoff))
        & ~Q(last_followup_at__isnull=True, assigned_at__isnull=True, created_at__gt=cutoff)
    )


def _owned() -> QuerySet[Customer]:
    return Customer.objects.filter(owner__isnull=False, merged_into__isnull=True, is_active=True)


def due_condition(rules: PoolRules, now: datetime) -> Q:
    """Owned customers (any level) whose due date has passed at `now`."""
    condition = Q(pk__in=[])
    for level in LEVELS:
        days = rules.return_days_for(level)
        if days:
            condition |= Q(level=level) & clock_before(now - timedelta(days=days))
    return condition


def customers_due(rules: PoolRules, now: datetime | None = None) -> QuerySet[Customer]:
    """Owned customers whose due date has passed (every department: the job's read)."""
    return _owned().filter(due_condition(rules, now or timezone.now())).order_by("pk")


def customers_to_warn(rules: PoolRules, now: datetime | None = None) -> QuerySet[Customer]:
    """Owned customers inside their warning window (to be warned, not yet due)."""
    now = now or timezone.now()
    condition = Q(pk__in=[])
    if rules.warn_days:
        for level in LEVELS:
            days = rules.return_days_for(level)
            if days:
                lead = min(rules.warn_days, days)
                condition |= (
                    Q(level=level) & clock_before(now - timedelta(days=days - lead))
                    & ~clock_before(now - timedelta(days=days))
                )
    return _owned().filter(condition).select_related("owner").order_by("pk")
