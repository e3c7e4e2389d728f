"""Writes of the 公海 pool (C8): claim, release, return by rule, warnings, the rules, follow-ups.

Claims are race-safe: the customer is taken with `UPDATE … WHERE owner IS NULL`, so of two
people claiming the same customer exactly one wins; the other is told it is gone. A user's
own claims are serialised by locking their user row, so the limits hold under concurrency.
Every move writes a TRANSFER entry in the customer's change log and a `PoolEvent`.
Days are calendar days in Asia/Shanghai (see selectors/pool.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kehu.accounts.models import User
from kehu.accounts.permissions import access, can, require
from kehu.core.audit.models import Action
from kehu.core.audit.services import change_record_event
from kehu.core.notifications.services import notify
from kehu.customers.apps import CUSTOMER, POOL_RULES
from kehu.customers.models import (
    Customer,
    PoolEvent,
    PoolEventKind,
    PoolReason,
    PoolRules,
    PoolWarning,
)
from kehu.customers.selectors import pool as pool_selectors
from kehu.customers.services.customer import StaleEdit

RULE_FIELDS = (
    "return_days_base", "return_days_middle", "return_days_top", "return_days_unset", "warn_days",
    "lockout_days", "daily_claim_limit", "total_claim_limit",
)
MAX_DAYS = 3650
MAX_DAILY_CLAIMS = 1000
MAX_OWNED = 100000
REASON_MAX = 200


def _day(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d")


def _user_name(user: Any) -> str:
    return (getattr(user, "display_name", "") or getattr(user, "username", "")) if user else ""


def _department_name(department_id: int | None) -> str:
    if not department_id:
        return ""
    from kehu.accounts.models import Department

    return Department.objects.filter(pk=department_id).values_list("name", flat=True).first() or ""


# --- claim -----------------------------------------------------------------------------------


def _check_limits(actor: Any, rules: PoolRules) -> None:
    allowance = pool_selectors.claim_allowance(actor, rules)
    if allowance.daily_limit and allowance.claims_today >= allowance.daily_limit:
        raise ValidationError({"customer": _(
            "You have claimed %(count)d customers today, the daily limit; try again tomorrow."
        ) % {"count": allowance.claims_today}})
    if allowance.total_limit and allowance.owned >= allowance.total_limit:
        raise ValidationError({"customer": _(
            "You already own %(count)d customers, the most one person may own; release some first."
        ) % {"count": allowance.owned}})


@transaction.atomic
def customer_claim(*, actor: Any, customer: Customer) -> Customer:
    """Take a customer from the pool: limits, the previous owner's lock-out, one winner."""
    require(actor, CUSTOMER, "edit")
    # Serialise this user's claims so two at once cannot both pass the limits.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    customer = pool_selectors.pool_get_for_claim(actor=actor, pk=customer.pk)
    rules = pool_selectors.pool_rules_get()
    until = pool_selectors.lockout_until(customer, actor, rules)
    if until is not None:
        raise ValidationError({"customer": _(
            "You gave up this customer on %(released)s; you may claim it again from %(until)s."
        ) % {"released": _day(customer.released_at), "until": _day(until)}})
    _check_limits(actor, rules)
    now = timezone.now()
    department_id = actor.department_id or customer.department_id
    won = Customer.objects.filter(
        pk=customer.pk, owner__isnull=True, is_active=True, merged_into__isnull=True
    ).update(
        owner=actor, department_id=department_id, assigned_at=now, pool_reason="",
        version=F("version") + 1, updated_at=now,
    )
    if not won:
        raise ValidationError({"customer": _("Someone else has just claimed customer %(name)s.")
                               % {"name": customer.name}})
    changes = [("owner", "", _user_name(actor))]
    if department_id != customer.department_id:
        changes.append(
            ("department", _department_name(customer.department_id), _department_name(department_id))
        )
    changes.append(("pool_reason", customer.get_pool_reason_display(), ""))
    change_record_event(
        actor=actor, target=customer, action=Action.TRANSFER, changes=changes,
        note=_("Claimed from the public pool"),
    )
    PoolEvent.objects.create(customer=customer, kind=PoolEventKind.CLAIM, user=actor, actor=actor, at=now)
    customer.refresh_from_db()
    return customer


# --- release and return ----------------------------------------------------------------------


def _to_pool(customer: Customer, *, actor: Any, reason: str, why: str, now: datetime, note: str) -> bool:
    """Move an owned customer into the pool if its owner is still the one read; False otherwise."""
    previous = customer.owner
    moved = Customer.objects.filter(pk=customer.pk, owner_id=customer.owner_id).update(
        owner=None, previous_owner=previous, released_at=now, pool_reason=why,
        version=F("version") + 1, updated_at=now,
    )
    if not moved:
        return False
    change_record_event(
        actor=actor, target=customer, action=Action.TRANSFER,
        changes=[("owner", _user_name(previous), ""), ("pool_reason", "", PoolReason(why).label)],
        note=f"{note}: {reason}" if reason else note,
    )
    kind = PoolEventKind.RELEASE if why == PoolReason.RELEASED else PoolEventKind.RETURN
    PoolEvent.objects.create(customer=customer, kind=kind, user=previous, actor=actor, reason=reason, at=now)
    return True


@transaction.atomic
def customer_release(*, actor: Any, customer: Customer, reason: str) -> Customer:
    """Put a customer back into the pool: its owner, or a manager with the transfer right."""
    customer = access(actor, Customer.objects.select_related("owner"), customer.pk, "edit")
    if customer.owner_id != actor.pk and not can(actor, CUSTOMER, "transfer"):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if customer.owner_id is None:
        errors["customer"] = [_("This customer is already in the public pool.")]
    elif not customer.is_active or customer.merged_into_id:
        errors["customer"] = [_("Only an active customer can be released to the public pool.")]
    if not reason:
        errors["reason"] = [_("Say why you release this customer.")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_("Keep the reason under %(count)d characters.") % {"count": REASON_MAX}]
    if errors:
        raise ValidationError(errors)
    if not _to_pool(customer, actor=actor, reason=reason, why=PoolReason.RELEASED, now=timezone.now(),
                    note=_("Released to the public pool")):
        raise ValidationError({"customer": _("Someone changed this customer's owner meanwhile; reload the page.")})
    customer.refresh_from_db()
    return customer


@transaction.atomic
def customer_return_to_pool(*, customer: Customer, rules: PoolRules, now: datetime | None = None) -> bool:
    """The rule (the daily job, no actor): back to the pool if still due at `now`; True when moved."""
    now = now or timezone.now()
    if not Customer.objects.filter(pk=customer.pk, owner_id=customer.owner_id).filter(
        pool_selectors.due_condition(rules, now)
    ).exists():
        return False  # a follow-up or a new owner came in meanwhile
    customer = Customer.objects.select_related("owner").get(pk=customer.pk)
    previous = customer.owner
    days = rules.return_days_for(customer.level)
    reason = _("no effective follow-up for %(days)d days") % {"days": days}
    if not _to_pool(customer, actor=None, reason=reason, why=PoolReason.RETURNED, now=now,
                    note=_("Returned to the public pool by rule")):
        return False
    notify(
        recipients=[previous], kind="customers.pool_returned",
        title=_("Customer %(name)s went back to the public pool") % {"name": customer.name},
        body=_("It had no effective follow-up for %(days)d days.") % {"days": days},
        url=reverse("customers:pool_list"),
        dedupe_key=f"customers.pool.returned:{customer.pk}:{now.isoformat()}",
    )
    return True


@transaction.atomic
def customer_warn_before_return(*, customer: Customer, rules: PoolRules) -> bool:
    """Warn the owner once per due date (a `PoolWarning` marker); True when a warning went out."""
    schedule = pool_selectors.pool_schedule(customer, rules)
    if schedule is None or customer.owner is None:
        return False
    try:
        with transaction.atomic():
            PoolWarning.objects.create(customer=customer, due_on=schedule.due_on, owner=customer.owner)
    except IntegrityError:
        return False
    notify(
        recipients=[customer.owner], kind="customers.pool_warning",
        title=_("Customer %(name)s goes back to the public pool on %(date)s")
        % {"name": customer.name, "date": schedule.due_on.isoformat()},
        body=_("Record an effective follow-up before then to keep it."),
        url=reverse("customers:customer_detail", args=[customer.pk]),
        dedupe_key=f"customers.pool.warn:{customer.pk}:{schedule.due_on.isoformat()}",
    )
    return True


def pool_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The daily job's work: return every due customer, then warn those about to be due.

    Idempotent: a second run finds nothing due (they are in the pool) and every warning marked.
    Each customer is its own transaction, so one failure does not undo the others.
    """
    now = now or timezone.now()
    rules = pool_selectors.pool_rules_get()
    returned = sum(
        customer_return_to_pool(customer=c, rules=rules, now=now) for c in pool_selectors.customers_due(rules, now)
    )
    warned = sum(
        customer_warn_before_return(customer=c, rules=rules) for c in pool_selectors.customers_to_warn(rules, now)
    )
    return {"returned": returned, "warned": warned}


# --- follow-ups (called by the activities app) -----------------------------------------------


def customer_record_followup(*, customer: Customer | int, at: datetime) -> bool:
    """Record an effective follow-up at `at`; the date only moves forward. True when it moved.

    No right check here: the caller (the activities service that saved the follow-up) has
    checked the actor may act on the customer. Not in the change log: the follow-up itself is.
    """
    pk = customer.pk if isinstance(customer, Customer) else customer
    moved = Customer.objects.filter(pk=pk).filter(
        Q(last_followup_at__isnull=True) | Q(last_followup_at__lt=at)
    ).update(last_followup_at=at)
    if moved and isinstance(customer, Customer):
        customer.last_followup_at = at
    return bool(moved)


# --- the rules -------------------------------------------------------------------------------


def _check_rules(rules: PoolRules) -> None:
    errors: dict[str, list[str]] = {}
    for name in RULE_FIELDS:
        value = getattr(rules, name)
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(str(value).strip())
            except (TypeError, ValueError):
                errors[name] = [_("Enter a whole number.")]
                continue
            setattr(rules, name, value)
        highest = MAX_DAILY_CLAIMS if name == "daily_claim_limit" else MAX_OWNED if name == "total_claim_limit" \
            else MAX_DAYS
        if value < 0 or value > highest:
            errors[name] = [_("Enter a number from 0 to %(max)d.") % {"max": highest}]
    if "warn_days" not in errors and rules.warn_days:
        periods = [getattr(rules, n) for n in RULE_FIELDS[:4] if n not in errors and getattr(rules, n)]
        if periods and rules.warn_days >= min(periods):
            errors["warn_days"] = [_(
                "The warning must come before the return: use fewer days than the shortest return "
                "period (%(days)d)."
            ) % {"days": min(periods)}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pool_rules_update(*, actor: Any, version: int, **fields: Any) -> PoolRules:
    """Change the pool rules; refused with StaleEdit when `version` is not the stored one."""
    require(actor, POOL_RULES, "edit")
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    rules = pool_selectors.pool_rules_get()
    for name, value in fields.items():
        if value is not None:
            setattr(rules, name, value)
    _check_rules(rules)
    if not PoolRules.objects.filter(pk=rules.pk, version=version).update(version=F("version") + 1):
        raise StaleEdit(rules)
    rules.version = version + 1
    rules.updated_by = actor
    rules.save()
    return rules
