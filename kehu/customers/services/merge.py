"""Merge two customers (C7): everything moves to the survivor, the loser stays as a merged alias.

Both rows are locked and their versions checked, the chosen field values are copied onto
the survivor, then every link (see selectors/merge.py: reverse relations from any app,
the customer's own many-to-manys, generic links such as attachments) is repointed in bulk.
The change log keeps its entries on each record and gains one merge entry on both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core.audit.models import Action
from kehu.core.audit.services import change_record_event
from kehu.customers.models import Contact, Customer
from kehu.customers.selectors.merge import (
    MERGE_FIELDS,
    Link,
    customer_links,
    merge_pair,
    merge_problems,
)
from kehu.customers.services.customer import (
    StaleEdit,
    _check_customer,
    _derive,
    _refuse_exact_duplicates,
    refresh_search_text,
)

SURVIVOR, LOSER = "survivor", "loser"


@dataclass
class MergeResult:
    survivor: Customer
    loser: Customer
    moved: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)  # rows a unique rule kept on the loser


def _check_choices(choices: dict[str, str]) -> None:
    unknown = sorted(set(choices) - set(MERGE_FIELDS))
    if unknown:
        raise ValidationError({"choices": [_("These fields cannot be chosen: %(fields)s.") % {
            "fields": ", ".join(unknown)}]})
    bad = sorted(name for name, side in choices.items() if side not in (SURVIVOR, LOSER))
    if bad:
        raise ValidationError({"choices": [_("Choose “survivor” or “loser” for: %(fields)s.") % {
            "fields": ", ".join(bad)}]})


def _lock(survivor: Customer, loser: Customer, survivor_version: int, loser_version: int) -> None:
    """Lock both rows (in id order, so two merges cannot deadlock) and refuse stale versions."""
    rows = {
        row.pk: row
        for row in Customer.objects.select_for_update().filter(pk__in=[survivor.pk, loser.pk]).order_by("pk")
    }
    for customer, version in ((survivor, survivor_version), (loser, loser_version)):
        stored = rows.get(customer.pk)
        if stored is None or stored.version != version or stored.merged_into_id != customer.merged_into_id:
            raise StaleEdit(customer.name)


def _move(link: Link, loser: Customer, survivor: Customer) -> tuple[int, int]:
    """Repoint one link's rows from loser to survivor: (moved, kept on the loser)."""
    rows = link.rows(loser)
    column = link.field
    if link.kind == "m2m":
        other = link.model._meta.get_field(link.other).attname
        already = link.model._base_manager.filter(**{column: survivor.pk}).values_list(other, flat=True)
        rows.filter(**{f"{other}__in": list(already)}).delete()  # linked to both: keep one link
        return rows.update(**{column: survivor.pk}), 0
    if link.kind == "generic":
        return rows.update(**{column: str(survivor.pk)}), 0
    if link.model is Customer:  # a customer pointing at a customer (aliases, a network parent)
        rows = rows.exclude(pk__in=[survivor.pk, loser.pk])
        if Customer._meta.get_field(column).null:  # the survivor pointed at the loser: no loop onto itself
            Customer.objects.filter(pk=survivor.pk, **{column: loser.pk}).update(**{column: None})
    if link.kind == "o2o" and link.model._base_manager.filter(**{column: survivor.pk}).exists():
        return 0, rows.count()  # the survivor has its own; the loser keeps this one
    try:
        with transaction.atomic():
            return rows.update(**{column: survivor.pk}), 0
    except IntegrityError:
        pass
    # A unique rule on the related table (one per customer and …): move row by row.
    moved = kept = 0
    for pk in list(rows.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                link.model._base_manager.filter(pk=pk).update(**{column: survivor.pk})
            moved += 1
        except IntegrityError:
            kept += 1
    return moved, kept


@transaction.atomic
def customer_merge(
    *,
    actor: Any,
    survivor: Customer,
    loser: Customer,
    survivor_version: int,
    loser_version: int,
    choices: dict[str, str] | None = None,
) -> MergeResult:
    """Merge `loser` into `survivor`; `choices` maps a field to "survivor" or "loser" (whose value stays,
    the survivor's by default). Needs `edit` on the survivor and `delete` on the loser."""
    survivor, loser = merge_pair(actor=actor, survivor_id=survivor.pk, loser_id=loser.pk)
    choices = dict(choices or {})
    _check_choices(choices)
    problems = merge_problems(survivor, loser)
    if problems:
        raise ValidationError({"loser_id": problems})
    _lock(survivor, loser, survivor_version, loser_version)

    # 1. The loser becomes an alias first, so the unique rules (which ignore merged rows) let the
    #    survivor take its credit code or name.
    now = timezone.now()
    Customer.objects.filter(pk=loser.pk).update(
        merged_into=survivor.pk, is_active=False, version=F("version") + 1, updated_at=now
    )
    loser.merged_into, loser.is_active, loser.version = survivor, False, loser_version + 1

    # 2. The chosen values onto the survivor, checked like any edit.
    taken = [name for name in MERGE_FIELDS if choices.get(name) == LOSER]
    before = {name: getattr(survivor, name) for name in taken}
    for name in taken:
        setattr(survivor, name, getattr(loser, name))
    _check_customer(survivor)
    _derive(survivor)
    _refuse_exact_duplicates(actor, survivor)
    columns = {name: getattr(survivor, name) for name in (*MERGE_FIELDS, "name_key", "phone_digits", "name_pinyin")}
    try:
        with transaction.atomic():
            Customer.objects.filter(pk=survivor.pk).update(**columns, version=F("version") + 1, updated_at=now)
    except IntegrityError as exc:
        raise ValidationError({"name": [_("This customer already exists.")]}) from exc
    survivor.version = survivor_version + 1

    # 3. Everything that hangs on the loser moves.
    had_primary = Contact.objects.filter(customer=survivor.pk, is_primary=True).exists()
    result = MergeResult(survivor=survivor, loser=loser)
    for link in customer_links():
        moved, kept = _move(link, loser, survivor)
        if moved:
            result.moved[link.label] = result.moved.get(link.label, 0) + moved
        if kept:
            result.kept[link.label] = result.kept.get(link.label, 0) + kept
    if had_primary:  # one primary contact: the survivor's
        first = Contact.objects.filter(customer=survivor.pk, is_primary=True).order_by("created_at", "pk").first()
        Contact.objects.filter(customer=survivor.pk, is_primary=True).exclude(pk=first.pk).update(is_primary=False)
    refresh_search_text(survivor)

    # 4. One merge entry on each record.
    moved_text = "；".join(f"{label} {count}" for label, count in result.moved.items()) or _("nothing")
    change_record_event(
        actor=actor, target=survivor, action=Action.MERGE,
        changes=[(name, _plain(name, before[name]), _plain(name, getattr(survivor, name))) for name in taken],
        note=_("Merged %(loser)s (no. %(id)s) into this customer; moved: %(moved)s")
        % {"loser": loser.name, "id": loser.pk, "moved": moved_text},
    )
    change_record_event(
        actor=actor, target=loser, action=Action.MERGE,
        changes=[
            ("merged_into", "", survivor.name),
            ("is_active", _plain("is_active", True), _plain("is_active", False)),
        ],
        note=_("Merged into %(survivor)s (no. %(id)s).") % {"survivor": survivor.name, "id": survivor.pk},
    )
    return result


def _plain(name: str, value: Any) -> str:
    from kehu.core.audit.registry import format_value

    return format_value(Customer._meta.get_field(name), value)
