"""Writes of archive cards (C3) and the sales record book (销售记录本).

Cards and sales records have no rights of their own: they are in scope when their customer
is, and changing them needs the edit right on the customer (checked here with `access()`).
The change log follows both models (registered in apps.py).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.accounts.permissions import access
from kehu.customers.models import CARD_COLUMNS, Card, CardKind, Customer, SalesRecord, card_fields
from kehu.customers.services.customer import StaleEdit

MAX_AMOUNT = Decimal("999999999999.99")


def _editable_customer(actor: Any, customer: Customer) -> Customer:
    """The customer, if the actor may edit it (404 out of scope, 403 without the right)."""
    return access(actor, Customer, customer.pk, "edit")


def _today() -> datetime.date:
    return timezone.localdate()


# --- values ----------------------------------------------------------------------------------


def _parse_date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError from None


def _parse_decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, float):
        value = str(value)
    try:
        number = Decimal(str(value).strip().replace(",", "").replace("¥", ""))
    except (InvalidOperation, ValueError):
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number.quantize(Decimal("0.01"))


def _date_field(errors: dict, name: str, value: Any, *, required: bool, label: Any) -> datetime.date | None:
    try:
        parsed = _parse_date(value)
    except ValueError:
        errors[name] = [_("Enter %(field)s as a date such as 2026-03-31.") % {"field": label}]
        return None
    if parsed is None and required:
        errors[name] = [_("Enter %(field)s.") % {"field": label}]
    return parsed


def _decimal_field(
    errors: dict, name: str, value: Any, *, required: bool, label: Any, minimum: Decimal | None = None
) -> Decimal | None:
    try:
        parsed = _parse_decimal(value)
    except ValueError:
        errors[name] = [_("Enter %(field)s as a number such as 1200.50.") % {"field": label}]
        return None
    if parsed is None:
        if required:
            errors[name] = [_("Enter %(field)s.") % {"field": label}]
        return None
    if abs(parsed) > MAX_AMOUNT:
        errors[name] = [_("%(field)s is too large.") % {"field": label}]
    elif minimum is not None and parsed < minimum:
        errors[name] = [_("%(field)s cannot be negative.") % {"field": label}]
    return parsed


# --- cards -----------------------------------------------------------------------------------


def _clean_card_values(kind: str, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict]:
    """Check the kind's fields: (column values, details, errors keyed by field name)."""
    errors: dict[str, list[str]] = {}
    specs = {spec.name: spec for spec in card_fields(kind)}
    unknown = sorted(set(values) - set(specs))
    for name in unknown:
        errors[name] = [_("A card of this type has no field “%(field)s”.") % {"field": name}]
    columns: dict[str, Any] = {name: None for name in CARD_COLUMNS}
    columns.update({"credit_rating": "", "product": "", "competitor_name": ""})
    details: dict[str, Any] = {}
    for name, spec in specs.items():
        raw = values.get(name)
        value: Any
        if spec.type == "date":
            value = _date_field(errors, name, raw, required=spec.required, label=spec.label)
        elif spec.type == "decimal":
            value = _decimal_field(errors, name, raw, required=spec.required, label=spec.label, minimum=spec.minimum)
        elif spec.type == "integer":
            value = _decimal_field(errors, name, raw, required=spec.required, label=spec.label, minimum=spec.minimum)
            if value is not None and value != value.to_integral_value():
                errors[name] = [_("Enter %(field)s as a whole number.") % {"field": spec.label}]
            value = int(value) if value is not None and name not in errors else None
        else:
            value = "" if raw is None else str(raw).strip()
            if spec.required and not value:
                errors[name] = [_("Enter %(field)s.") % {"field": spec.label}]
            elif len(value) > spec.max_length:
                errors[name] = [
                    _("%(field)s can have at most %(count)d characters.") % {"field": spec.label, "count": spec.max_length}
                ]
            elif spec.type == "choice" and value and value not in {key for key, _label in spec.choices}:
                errors[name] = [_("Choose %(field)s from the list.") % {"field": spec.label}]
        if spec.column:
            columns[name] = value if value is not None else columns[name]
        elif value not in (None, ""):
            details[name] = value.isoformat() if isinstance(value, datetime.date) else (
                str(value) if isinstance(value, Decimal) else value
            )
    valid_from, valid_to = columns.get("valid_from"), columns.get("valid_to")
    if valid_from and valid_to and valid_to < valid_from and "valid_to" not in errors:
        errors["valid_to"] = [_("The end of the validity cannot be before its start.")]
    return columns, details, errors


def _default_title(kind: str, columns: dict[str, Any], details: dict[str, Any]) -> str:
    label = str(CardKind(kind).label)
    main = (
        columns.get("product") or columns.get("competitor_name") or details.get("distributor")
        or columns.get("credit_rating") or details.get("expense_item") or ""
    )
    return f"{label} · {main}"[:120] if main else label


def _check_card(card: Card, values: dict[str, Any]) -> None:
    """Validate and apply the common fields and the kind's fields; ValidationError names each field."""
    errors: dict[str, list[str]] = {}
    if card.kind not in CardKind.values:
        raise ValidationError({"kind": [_("Choose a card type from the list.")]})
    card_date = _date_field(errors, "card_date", card.card_date, required=True, label=_("the date"))
    if card_date and card_date > _today():
        errors["card_date"] = [_("The date cannot be in the future.")]
    columns, details, field_errors = _clean_card_values(card.kind, values)
    errors.update(field_errors)
    card.title = (card.title or "").strip()
    card.summary = (card.summary or "").strip()
    if len(card.title) > 120:
        errors["title"] = [_("The title can have at most 120 characters.")]
    if len(card.summary) > 4000:
        errors["summary"] = [_("The summary can have at most 4000 characters.")]
    if errors:
        raise ValidationError(errors)
    card.card_date = card_date
    for name, value in columns.items():
        setattr(card, name, value)
    card.details = details
    if not card.title:
        card.title = _default_title(card.kind, columns, details)


@transaction.atomic
def card_create(
    *, actor: Any, customer: Customer, kind: str, card_date: Any = None, title: str = "", summary: str = "",
    fields: dict[str, Any] | None = None,
) -> Card:
    """Add a card of `kind` to a customer the actor may edit; `fields` are the kind's (CARD_SPECS)."""
    customer = _editable_customer(actor, customer)
    card = Card(
        customer=customer, kind=kind, card_date=card_date if card_date not in (None, "") else _today(),
        title=title or "", summary=summary or "", author=actor,
    )
    _check_card(card, dict(fields or {}))
    card.save()
    return card


@transaction.atomic
def card_update(
    *, actor: Any, card: Card, version: int, card_date: Any = None, title: str | None = None,
    summary: str | None = None, fields: dict[str, Any] | None = None,
) -> Card:
    """Change a card (its kind stays); an edit based on an older `version` is refused with StaleEdit.

    `fields` replaces the kind's fields when given (send them all, as the form does); the
    date, title and summary change when given.
    """
    _editable_customer(actor, card.customer)
    if card_date is not None:
        card.card_date = card_date
    if title is not None:
        card.title = title
    if summary is not None:
        card.summary = summary
    values = fields if fields is not None else card_values(card)
    _check_card(card, dict(values))
    bumped = Card.objects.filter(pk=card.pk, version=version).update(version=F("version") + 1)
    if not bumped:
        raise StaleEdit(f"{card.customer.name} · {card.title}")
    card.version = version + 1
    card.save()
    return card


@transaction.atomic
def card_delete(*, actor: Any, card: Card) -> None:
    """Remove a card (the change log keeps what it held)."""
    _editable_customer(actor, card.customer)
    card.delete()


def card_values(card: Card) -> dict[str, Any]:
    """The kind's field values of a card, by field name (columns and details together)."""
    values: dict[str, Any] = {}
    for spec in card_fields(card.kind):
        values[spec.name] = getattr(card, spec.name) if spec.column else card.details.get(spec.name)
    return values


# --- the sales record book -------------------------------------------------------------------

SALES_RECORD_FIELDS = ("occurred_on", "product", "quantity", "amount", "remarks")


def _check_sales_record(record: SalesRecord, values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(values) - set(SALES_RECORD_FIELDS))
    if unknown:
        raise ValueError(f"not editable here: {unknown}")
    occurred_on = _date_field(
        errors, "occurred_on", values.get("occurred_on", record.occurred_on), required=True, label=_("the date")
    )
    if occurred_on and occurred_on > _today():
        errors["occurred_on"] = [_("The date of a sale cannot be in the future.")]
    product = str(values.get("product", record.product) or "").strip()
    if not product:
        errors["product"] = [_("Enter the product sold.")]
    elif len(product) > 120:
        errors["product"] = [_("The product can have at most 120 characters.")]
    quantity = _decimal_field(
        errors, "quantity", values.get("quantity", record.quantity), required=False, label=_("the quantity")
    )
    if quantity is None and "quantity" not in errors:
        quantity = Decimal("1")
    if quantity is not None and quantity <= 0 and "quantity" not in errors:
        errors["quantity"] = [_("The quantity must be greater than zero.")]
    amount = _decimal_field(errors, "amount", values.get("amount", record.amount), required=True, label=_("the amount"))
    if amount is not None and amount <= 0 and "amount" not in errors:
        errors["amount"] = [_("The amount must be greater than zero.")]
    remarks = str(values.get("remarks", record.remarks) or "").strip()
    if len(remarks) > 200:
        errors["remarks"] = [_("The remarks can have at most 200 characters.")]
    if errors:
        raise ValidationError(errors)
    record.occurred_on, record.product, record.quantity = occurred_on, product, quantity
    record.amount, record.remarks = amount, remarks


@transaction.atomic
def sales_record_create(*, actor: Any, customer: Customer, **values: Any) -> SalesRecord:
    """Enter one sale in a customer's record book: amount > 0, date not in the future, product named."""
    customer = _editable_customer(actor, customer)
    record = SalesRecord(customer=customer, author=actor, occurred_on=None, product="", amount=None, quantity=None)
    _check_sales_record(record, values)
    record.save()
    return record


@transaction.atomic
def sales_record_update(*, actor: Any, record: SalesRecord, version: int, **values: Any) -> SalesRecord:
    """Correct an entry; an edit based on an older `version` is refused with StaleEdit."""
    _editable_customer(actor, record.customer)
    _check_sales_record(record, values)
    bumped = SalesRecord.objects.filter(pk=record.pk, version=version).update(version=F("version") + 1)
    if not bumped:
        raise StaleEdit(f"{record.customer.name} · {record.product}")
    record.version = version + 1
    record.save()
    return record


@transaction.atomic
def sales_record_delete(*, actor: Any, record: SalesRecord) -> None:
    _editable_customer(actor, record.customer)
    record.delete()
