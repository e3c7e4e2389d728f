"""Writes of classification (C5): pyramid levels by rules or by hand, ABC snapshots, assessments.

Rights (no new record type, no new action): everything is a right on customers.
- Computing (ABC recompute, level recompute) and editing the level rules change figures for
  everybody, so they need the customer `transfer` right, the managers' right (业务经理, 营销副总,
  总经理, 系统管理员 by default). The nightly job runs without an actor.
- A manual level, the estimated annual spend and a distributor assessment concern one customer:
  the `edit` right on that customer (its owner, or a manager whose scope covers it).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.accounts.permissions import access, require
from kehu.core.audit.models import Action
from kehu.core.audit.registry import creation_changes, update_changes
from kehu.core.audit.services import record_changes_bulk
from kehu.customers.apps import CUSTOMER
from kehu.customers.models import (
    AbcClass,
    AbcRow,
    AbcSnapshot,
    Customer,
    CustomerClassification,
    DistributorAssessment,
    Level,
    LevelRule,
    LevelSource,
    RelationshipStatus,
    SalesRecord,
    Verdict,
)
from kehu.customers.models.classification import STATUS_RANK
from kehu.customers.periods import months_before, year_share
from kehu.customers.services.customer import StaleEdit

A_LIMIT = Decimal("80")  # class A: cumulative % up to 80
B_LIMIT = Decimal("95")  # class B: up to 95; C: the rest
LOYAL_FROM = Decimal("50")  # "+" when loyalty ≥ 50 %, "−" below (001)
PLUS, MINUS = "+", "−"
ROLLING_MONTHS = 12
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
PERIOD_RE = re.compile(r"^(\d{4})Q([1-4])$")
RULE_FIELDS = ("name", "level", "min_status", "min_amount", "amount_months", "industries", "regions",
               "explanation", "is_active")


# --- periods -----------------------------------------------------------------------------------


def rolling_period(today: dt.date | None = None, months: int = ROLLING_MONTHS) -> tuple[dt.date, dt.date]:
    """The last `months` months up to today: (start, end), both included."""
    today = today or timezone.localdate()
    return months_before(today, months) + dt.timedelta(days=1), today


def current_assessment_period(today: dt.date | None = None) -> str:
    """Distributors are assessed once a quarter: "2026Q4"."""
    today = today or timezone.localdate()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


# --- the data source ---------------------------------------------------------------------------


def sales_by_customer(
    start: dt.date, end: dt.date, customer_ids: list[int] | None = None
) -> dict[int, tuple[int, Decimal]]:
    """What each active customer (or each of `customer_ids`) bought from us between `start`
    and `end` (both included): {customer id: (number of transactions, amount)}.

    The one place ABC and the amount rules read sales from. Today the source is the sales
    record book (`SalesRecord`); when contracts and receipts arrive, add their counts and
    amounts here (one aggregate query per source, summed per customer) and both follow.
    """
    rows = (
        SalesRecord.objects.filter(occurred_on__gte=start, occurred_on__lte=end, customer__is_active=True)
        .values("customer_id")
        .annotate(count=Count("pk"), total=Sum("amount"))
        .order_by()
    )
    if customer_ids is not None:
        rows = rows.filter(customer_id__in=customer_ids)
    return {row["customer_id"]: (row["count"], row["total"] or Decimal(0)) for row in rows}


# --- ABC -------------------------------------------------------------------------------------


def _pct(part: Decimal, whole: Decimal, places: Decimal = CENT) -> Decimal:
    return (part * HUNDRED / whole).quantize(places, rounding=ROUND_HALF_UP)


def compute_abc(
    sales: dict[int, tuple[int, Decimal]],
    estimates: dict[int, Decimal | None],
    *,
    a_limit: Decimal = A_LIMIT,
    b_limit: Decimal = B_LIMIT,
    year_part: Decimal = Decimal(1),
) -> list[dict[str, Any]]:
    """The ABC table (pure): customers by amount, largest first (ties by id), with

    contribution % = amount / total of all customers, cumulative % = running sum / total,
    class A while cumulative % ≤ a_limit, B while ≤ b_limit, else C (on the shown, rounded
    percentage), loyalty % = amount / (estimated ANNUAL spend × `year_part`) (one decimal)
    with "+" at 50 % or more and "−" below; no estimate, no loyalty. Customers with no
    positive amount are left out.

    `year_part` is the part of a year the period is (`periods.year_share`): a period of whole
    months counts months / 12 (12 months: the annual estimate itself; a quarter: 3/12 of
    it), any other period its days / 365.25. So a quarter's sales are compared with a
    quarter's share of the year's spend, not with the whole year.
    """
    ranked = sorted(((cid, n, amount.quantize(CENT)) for cid, (n, amount) in sales.items() if amount > 0),
                    key=lambda row: (-row[2], row[0]))
    total = sum((amount for _cid, _n, amount in ranked), Decimal(0))
    rows, running = [], Decimal(0)
    for rank, (cid, count, amount) in enumerate(ranked, start=1):
        running += amount
        cumulative = _pct(running, total)
        letter = AbcClass.A if cumulative <= a_limit else AbcClass.B if cumulative <= b_limit else AbcClass.C
        estimate = estimates.get(cid)
        loyalty = _pct(amount, estimate * year_part, Decimal("0.1")) if estimate else None
        mark = "" if loyalty is None else PLUS if loyalty >= LOYAL_FROM else MINUS
        rows.append({
            "customer_id": cid, "rank": rank, "transactions": count, "amount": amount,
            "cumulative_amount": running, "cumulative_pct": cumulative, "contribution_pct": _pct(amount, total),
            "abc_class": letter, "annual_spend_estimate": estimate, "loyalty_pct": loyalty, "loyalty_mark": mark,
        })
    return rows


def abc_limits() -> tuple[Decimal, Decimal]:
    """The A/B limits in use: the ones of the latest computed snapshot (so those an
    administrator last chose on "recompute now", through the API or `kehu classify
    --a-limit/--b-limit`, and which the nightly job then carries on), 80/95 before any."""
    latest = AbcSnapshot.objects.order_by("-computed_at", "-pk").values_list("a_limit", "b_limit").first()
    return (Decimal(latest[0]), Decimal(latest[1])) if latest else (A_LIMIT, B_LIMIT)


def _limit(value: Any, default: Decimal, field: str) -> Decimal:
    if value in (None, ""):
        return default
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not (0 < number <= 100):
        raise ValidationError({field: [_("Enter a percentage above 0 and at most 100.")]})
    return number


@transaction.atomic
def abc_recompute(
    *, actor: Any, start: dt.date, end: dt.date, a_limit: Any = None, b_limit: Any = None
) -> AbcSnapshot:
    """Compute the ABC analysis of [start, end] over all customers; the period's snapshot is
    replaced (one per period). `actor` None is the nightly job. A limit not given is the one
    in use (`abc_limits`: the last chosen); the limits used are kept on the snapshot."""
    if actor is not None:
        require(actor, CUSTOMER, "transfer")
    if start > end:
        raise ValidationError({"end": [_("The end of the period is before its start.")]})
    a_in_use, b_in_use = abc_limits() if a_limit in (None, "") or b_limit in (None, "") else (A_LIMIT, B_LIMIT)
    a = _limit(a_limit, a_in_use, "a_limit")
    b = _limit(b_limit, b_in_use, "b_limit")
    if a >= b:
        raise ValidationError({"b_limit": [_("The limit of class B must be above the limit of class A.")]})
    sales = sales_by_customer(start, end)
    estimates = dict(
        CustomerClassification.objects.filter(customer_id__in=list(sales), annual_spend_estimate__isnull=False)
        .values_list("customer_id", "annual_spend_estimate")
    )
    rows = compute_abc(sales, estimates, a_limit=a, b_limit=b, year_part=year_share(start, end)[0])
    snapshot, _created = AbcSnapshot.objects.select_for_update().get_or_create(
        period_start=start, period_end=end, defaults={"computed_at": timezone.now()}
    )
    snapshot.a_limit, snapshot.b_limit = a, b
    snapshot.total_amount = sum((row["amount"] for row in rows), Decimal(0))
    snapshot.customer_count = len(rows)
    snapshot.computed_at = timezone.now()
    snapshot.computed_by = actor
    snapshot.save()
    snapshot.rows.all().delete()
    AbcRow.objects.bulk_create([AbcRow(snapshot=snapshot, **row) for row in rows], batch_size=500)
    return snapshot


# --- pyramid levels ----------------------------------------------------------------------------


def rule_matches(rule: LevelRule, customer: Customer, amounts: dict[int, dict[int, Decimal]]) -> bool:
    """All the rule's filled-in conditions hold for the customer (`amounts`: months → id → amount)."""
    if rule.min_status and STATUS_RANK.get(customer.status, 0) < STATUS_RANK[rule.min_status]:
        return False
    amount = amounts.get(rule.amount_months, {}).get(customer.pk, Decimal(0))
    if rule.min_amount is not None and amount < rule.min_amount:
        return False
    if rule.industries and customer.industry not in rule.industries:
        return False
    in_region = customer.province in rule.regions or customer.city in rule.regions
    return not rule.regions or in_region


def _amounts_for(
    rules: Iterable[LevelRule], today: dt.date, customer_ids: list[int] | None = None
) -> dict[int, dict[int, Decimal]]:
    months = {rule.amount_months for rule in rules if rule.min_amount is not None}
    return {
        m: {
            cid: amount
            for cid, (_n, amount) in sales_by_customer(*rolling_period(today, m), customer_ids).items()
        }
        for m in months
    }


RULE_BATCH = 1000
RECORD_FIELDS = ["level_source", "rule", "manual_level", "reason", "set_at", "set_by", "version"]


def _set_customer_level(customer: Customer, level: str) -> None:
    if customer.level != level:
        customer.level = level
        customer.version += 1
        customer.save(update_fields=["level", "version", "updated_at"])


def _apply_rules(customers: QuerySet[Customer], actor: Any, *, force: bool = False) -> int:
    """Level by the first matching rule for each of `customers`; only what moved is written
    (`force`: also a manual level, and write even when nothing moved).

    Written in bulk, 1000 customers at a time (the nightly job covers the whole archive), with
    the change-log entries the single saves would have written."""
    rules = list(LevelRule.objects.filter(is_active=True))
    if not rules:
        return 0
    pks = list(customers.values_list("pk", flat=True))
    # A few customers (a new one, an imported batch): read only their sales, not everybody's.
    amounts = _amounts_for(rules, timezone.localdate(), pks if len(pks) <= 500 else None)
    changed = 0
    now = timezone.now()
    for start in range(0, len(pks), RULE_BATCH):
        batch = list(Customer.objects.filter(pk__in=pks[start:start + RULE_BATCH]).order_by("pk"))
        records = {
            c.customer_id: c for c in CustomerClassification.objects.filter(customer_id__in=[c.pk for c in batch])
        }
        created, updated, moved, entries = [], [], [], []
        for customer in batch:
            record = records.get(customer.pk)
            if record is not None and record.level_source == LevelSource.MANUAL and not force:
                continue
            rule = next((r for r in rules if rule_matches(r, customer, amounts)), None)
            level = rule.level if rule else ""
            source = LevelSource.RULE if rule else LevelSource.NONE
            if (record is not None and record.level_source == source
                    and record.rule_id == (rule.pk if rule else None) and customer.level == level and not force):
                continue
            before = copy.copy(record) if record is not None else None
            record = record or CustomerClassification(customer=customer)
            record.level_source, record.rule, record.manual_level = source, rule, ""
            record.reason = rule.explanation if rule else ""
            record.set_at, record.set_by = now, actor
            record.version += 1
            if before is None:
                created.append(record)
                entries.append((record, Action.CREATE, creation_changes(record)))
            else:
                updated.append(record)
                entries.append((record, Action.UPDATE, update_changes(before, record, RECORD_FIELDS)))
            if customer.level != level:
                old = copy.copy(customer)
                customer.level, customer.version, customer.updated_at = level, customer.version + 1, now
                moved.append(customer)
                entries.append((customer, Action.UPDATE, update_changes(old, customer, ["level"])))
            changed += 1
        CustomerClassification.objects.bulk_create(created)
        CustomerClassification.objects.bulk_update(updated, RECORD_FIELDS)
        Customer.objects.bulk_update(moved, ["level", "version", "updated_at"])
        record_changes_bulk(actor=actor, entries=[entry for entry in entries if entry[2]])
    return changed


@transaction.atomic
def levels_recompute(*, actor: Any) -> int:
    """Set every active customer's level by the rules (first match wins); manual levels stay.

    Returns how many customers changed. No active rule: nothing changes (levels typed before
    rules existed are kept); rules but none matching: the level is emptied."""
    if actor is not None:
        require(actor, CUSTOMER, "transfer")
    return _apply_rules(Customer.objects.filter(is_active=True).order_by("pk"), actor)


@transaction.atomic
def levels_apply(*, actor: Any, customer_ids: Iterable[int]) -> int:
    """The rules' level for these customers at once (new or imported ones), as the nightly
    job would set it; manual levels stay. Returns how many changed.

    No right of its own: it writes only what the rules decide, for customers the caller has
    just been allowed to create or change (`customer_create`, the import)."""
    ids = list(customer_ids)
    if not ids or not LevelRule.objects.filter(is_active=True).exists():
        return 0
    return sum(  # in chunks: an import may pass more ids than one statement may carry
        _apply_rules(Customer.objects.filter(pk__in=ids[i:i + 900], is_active=True).order_by("pk"), actor)
        for i in range(0, len(ids), 900)
    )


def levels_set_by_import(*, actor: Any, levels: dict[int, tuple[str, str]]) -> None:
    """Manual levels for many customers at once (an import's level column): {customer id:
    (level, reason)}. The caller has checked the rights and written `Customer.level` with its
    change log; this records that the level was set by hand, as `customer_level_set` does."""
    if not levels:
        return
    now = timezone.now()
    existing = {
        record.customer_id: record
        for record in CustomerClassification.objects.select_for_update().filter(customer_id__in=list(levels))
    }
    new, changed = [], []
    for customer_id, (level, reason) in levels.items():
        record = existing.get(customer_id) or CustomerClassification(customer_id=customer_id)
        record.level_source, record.rule, record.manual_level = LevelSource.MANUAL, None, level
        record.reason, record.set_at, record.set_by = reason[:200], now, actor
        record.version += 1
        (changed if record.pk else new).append(record)
    CustomerClassification.objects.bulk_create(new, batch_size=1000)
    CustomerClassification.objects.bulk_update(
        changed, ["level_source", "rule", "manual_level", "reason", "set_at", "set_by", "version"], batch_size=1000
    )


def _classification(customer: Customer) -> CustomerClassification:
    record, _created = CustomerClassification.objects.select_for_update().get_or_create(customer=customer)
    return record


@transaction.atomic
def customer_level_set(*, actor: Any, customer: Customer, level: str, reason: str) -> CustomerClassification:
    """Set the level by hand, with a reason; it wins over the rules until cleared."""
    access(actor, Customer, customer.pk, "edit")
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if level not in Level.values:
        errors["level"] = [_("Choose the level: base, middle or top of the pyramid.")]
    if not reason:
        errors["reason"] = [_("Say why you set this level by hand.")]
    if errors:
        raise ValidationError(errors)
    record = _classification(customer)
    record.level_source, record.rule, record.manual_level = LevelSource.MANUAL, None, level
    record.reason = reason[:200]
    record.set_at, record.set_by = timezone.now(), actor
    record.version += 1
    record.save()
    _set_customer_level(customer, level)
    return record


@transaction.atomic
def customer_level_clear(*, actor: Any, customer: Customer) -> CustomerClassification:
    """Drop the manual level: the rules decide again, at once."""
    access(actor, Customer, customer.pk, "edit")
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    record = _classification(customer)
    if record.level_source != LevelSource.MANUAL:
        raise ValidationError({"level": [_("This customer's level was not set by hand.")]})
    record.level_source, record.manual_level, record.reason = LevelSource.NONE, "", ""
    record.set_at, record.set_by = timezone.now(), actor
    record.save()
    _apply_rules(Customer.objects.filter(pk=customer.pk), actor, force=True)
    record.refresh_from_db()
    return record


@transaction.atomic
def customer_spend_estimate_set(*, actor: Any, customer: Customer, amount: Any) -> CustomerClassification:
    """The customer's estimated annual spend in our category (年度费用预估); None clears it."""
    access(actor, Customer, customer.pk, "edit")
    if amount in ("", None):
        value = None
    else:
        try:
            value = Decimal(str(amount)).quantize(CENT)
        except InvalidOperation:
            value = Decimal(-1)
        if value <= 0:
            raise ValidationError({"annual_spend_estimate": [_("Enter an amount above zero, in yuan.")]})
    record = _classification(customer)
    record.annual_spend_estimate = value
    record.version += 1
    record.save()
    return record


# --- level rules -------------------------------------------------------------------------------


def _text_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = re.split(r"[,，、;；\n]+", value)
    return [item.strip()[:60] for item in (value or []) if str(item).strip()]


def _check_rule(rule: LevelRule, prefix: str = "") -> None:
    errors: dict[str, list[str]] = {}
    rule.name = (rule.name or "").strip()
    rule.explanation = (rule.explanation or "").strip()
    rule.industries, rule.regions = _text_list(rule.industries), _text_list(rule.regions)
    if not rule.name:
        errors[prefix + "name"] = [_("Give the rule a name.")]
    if rule.level not in Level.values:
        errors[prefix + "level"] = [_("Choose the level: base, middle or top of the pyramid.")]
    if rule.min_status and rule.min_status not in RelationshipStatus.values:
        errors[prefix + "min_status"] = [_("Choose a relationship status.")]
    if rule.min_amount is not None:
        try:
            rule.min_amount = Decimal(str(rule.min_amount)).quantize(CENT)
        except InvalidOperation:
            rule.min_amount = Decimal(-1)
        if rule.min_amount < 0:
            errors[prefix + "min_amount"] = [_("The least amount cannot be negative.")]
    if not (1 <= int(rule.amount_months or 0) <= 120):
        errors[prefix + "amount_months"] = [_("Count sales over 1 to 120 months.")]
    if not rule.explanation:
        errors[prefix + "explanation"] = [_("Explain the rule in a sentence; it is shown with the level.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def level_rule_save(*, actor: Any, rule: LevelRule | None = None, version: int | None = None,
                    **fields: Any) -> LevelRule:
    """Create a rule (at the end of the list) or change one; a stale `version` is refused."""
    require(actor, CUSTOMER, "transfer")
    unknown = set(fields) - set(RULE_FIELDS) - {"position"}
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    if rule is None:
        last = LevelRule.objects.order_by("-position").values_list("position", flat=True).first()
        rule = LevelRule(position=(last or 0) + 10)
    for name, value in fields.items():
        setattr(rule, name, value)
    _check_rule(rule)
    if rule.pk:
        bumped = LevelRule.objects.filter(pk=rule.pk, version=version).update(version=F("version") + 1)
        if not bumped:
            raise StaleEdit(rule.name)
        rule.version = (version or 0) + 1
    rule.save()
    return rule


@transaction.atomic
def level_rule_delete(*, actor: Any, rule: LevelRule) -> None:
    require(actor, CUSTOMER, "transfer")
    rule.delete()


@transaction.atomic
def level_rules_replace(*, actor: Any, rules: list[dict[str, Any]]) -> list[LevelRule]:
    """The whole ordered list at once (the API's PUT): rows with an `id` (and its `version`)
    change that rule, rows without one are new, rules left out are deleted. All or nothing."""
    require(actor, CUSTOMER, "transfer")
    existing = {rule.pk: rule for rule in LevelRule.objects.select_for_update()}
    kept, saved = set(), []
    for index, data in enumerate(rules):
        data = dict(data)
        pk, version = data.pop("id", None), data.pop("version", None)
        if pk is not None and pk not in existing:
            raise ValidationError({f"rules.{index}.id": [_("There is no level rule with this id.")]})
        rule = existing.get(pk) or LevelRule()
        if rule.pk and version != rule.version:
            raise StaleEdit(rule.name)
        for name in RULE_FIELDS:
            if name in data:
                setattr(rule, name, data[name])
        rule.position = (index + 1) * 10
        _check_rule(rule, prefix=f"rules.{index}.")
        if rule.pk:
            rule.version += 1
            kept.add(rule.pk)
        rule.save()
        saved.append(rule)
    for pk, rule in existing.items():
        if pk not in kept:
            rule.delete()
    return saved


# --- distributor assessment --------------------------------------------------------------------


@transaction.atomic
def assessment_create(
    *, actor: Any, customer: Customer, verdict: str, reason: str, period: str | None = None
) -> DistributorAssessment:
    """Record this period's evaluation of a distributor (usable / must train / must transform / eliminate)."""
    access(actor, Customer, customer.pk, "edit")
    period = (period or current_assessment_period()).strip().upper()
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not PERIOD_RE.match(period):
        errors["period"] = [_("Write the period as a year and a quarter, such as 2026Q4.")]
    if verdict not in Verdict.values:
        errors["verdict"] = [_("Choose a verdict: usable, must be trained, must be transformed or eliminate.")]
    if not reason:
        errors["reason"] = [_("Give the reason for the verdict.")]
    if errors:
        raise ValidationError(errors)
    return DistributorAssessment.objects.create(
        customer=customer, period=period, verdict=verdict, reason=reason[:500], evaluator=actor
    )


@transaction.atomic
def classification_run(
    *, actor: Any, start: dt.date | None = None, end: dt.date | None = None, a_limit: Any = None,
    b_limit: Any = None,
) -> tuple[AbcSnapshot, int]:
    """Levels by the rules, then the ABC snapshot of [start, end] (default the last 12 months)
    with the A/B limits given, else those in use (`abc_limits`: the last chosen): what the
    nightly job, `kehu classify` and the "recompute now" button do."""
    default_start, default_end = rolling_period()
    changed = levels_recompute(actor=actor)
    snapshot = abc_recompute(
        actor=actor, start=start or default_start, end=end or default_end, a_limit=a_limit, b_limit=b_limit
    )
    return snapshot, changed
