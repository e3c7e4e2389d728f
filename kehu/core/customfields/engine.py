"""The custom-field engine: the functions apps call (P13).

A record type that carries custom fields registers itself once
(`kehu.core.customfields.registry.register_custom_fields`) and keeps the values in
a JSON column, `custom` by default. Then:

    from kehu.core.customfields import engine as customfields

    customfields.definitions("customers.customer")       # active definitions, in order
    cleaned = customfields.clean_values("customers.customer", {"grade": "A"}, partial=True)
    record.custom = customfields.merge_values(record.custom, cleaned)
    customfields.form_fields("customers.customer")       # {"custom.grade": forms.ChoiceField(...)}
    customfields.display("customers.customer", record.custom)   # [{"key", "label", "text"}, ...]
    customfields.filter_q("customers.customer", "grade", "A")   # Q over the JSON column
    customfields.columns("customers.customer")           # import/export columns (see `Column`)

Stored values (what the JSON column holds, and what the API reads and writes):

    text          "any text" (at most 1000 characters, trimmed)
    number        12 or 3.5 (a JSON number; at most 15 significant digits, 4 decimals)
    date          "2026-03-06"
    choice        "A" (one of the definition's choices)
    multi_choice  ["A", "C"] (in the order of the choices, no repeats)

An empty value is not stored: its key is removed. Values of an inactive (switched off)
definition are kept and shown by the API, never changed by `clean_values` (a key of
an inactive definition is ignored), and hidden from forms and pages.

Errors are `ValidationError({"custom.<key>": [message]})`, the message naming the
field by its label in the reader's language; filters answer `cf_<key>` instead,
the name of the query parameter.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import NotSupportedError
from django.db.models import JSONField, Lookup, Q
from django.db.models.fields.json import KeyTransform
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core.customfields.models import FieldDefinition, FieldKind
from kehu.core.customfields.registry import target_for

MAX_TEXT = 1000
MAX_DIGITS = 15
MAX_DECIMALS = 4
RANGE = ".."
_SEPARATORS = re.compile(r"[,，、;；\n]")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


# --- definitions -------------------------------------------------------------------------------


def definitions(record_type: str, *, include_inactive: bool = False) -> list[FieldDefinition]:
    """The record type's custom fields in display order; only active ones unless asked."""
    rows = FieldDefinition.objects.filter(record_type=record_type)
    if not include_inactive:
        rows = rows.filter(is_active=True)
    return list(rows.order_by("order", "pk"))


def all_definitions() -> list[FieldDefinition]:
    """Every record type's active custom fields, in display order (one query for a page)."""
    return list(FieldDefinition.objects.filter(is_active=True).order_by("record_type", "order", "pk"))


def _by_key(record_type: str, given: Iterable[FieldDefinition] | None = None) -> dict[str, FieldDefinition]:
    rows = given if given is not None else definitions(record_type, include_inactive=True)
    return {definition.key: definition for definition in rows}


# --- values ----------------------------------------------------------------------------------


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, list | tuple | set) and not value
    )


def _error(definition: FieldDefinition, message: str) -> ValidationError:
    return ValidationError(message % {"label": definition.display_label})


def parse_number(definition: FieldDefinition, value: Any) -> int | float:
    if isinstance(value, bool):
        raise _error(definition, _("“%(label)s” must be a number, such as 12 or 3.5."))
    text = str(value).strip().replace(",", "").replace("，", "").replace(" ", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _error(definition, _("“%(label)s” must be a number, such as 12 or 3.5.")) from None
    if not number.is_finite():
        raise _error(definition, _("“%(label)s” must be a number, such as 12 or 3.5."))
    sign, digits, exponent = number.normalize().as_tuple()
    decimals = -exponent if exponent < 0 else 0
    if decimals > MAX_DECIMALS:
        raise ValidationError(
            _("“%(label)s” may have at most %(count)d decimal places.")
            % {"label": definition.display_label, "count": MAX_DECIMALS}
        )
    whole_digits = len(digits) - decimals if exponent < 0 else len(digits) + exponent
    if whole_digits + decimals > MAX_DIGITS:
        raise _error(definition, _("“%(label)s” is too large a number."))
    number = number.normalize()
    return int(number) if number == number.to_integral_value() else float(number)


def parse_date(definition: FieldDefinition, value: Any) -> str:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise _error(definition, _("“%(label)s” must be a date such as 2026-03-06."))


def _choice_error(definition: FieldDefinition, value: Any) -> ValidationError:
    return ValidationError(
        _("“%(label)s” has no choice “%(value)s”; choose from: %(choices)s.")
        % {"label": definition.display_label, "value": value, "choices": "、".join(definition.choices)}
    )


def parse_value(definition: FieldDefinition, value: Any) -> Any:
    """The value to store for `value` (typed, or text from a form or a file); None when empty.

    Raises ValidationError with one message naming the field by its label.
    """
    if is_empty(value):
        return None
    kind = definition.kind
    if kind == FieldKind.MULTI_CHOICE:
        items = _SEPARATORS.split(value) if isinstance(value, str) else value
        if not isinstance(items, list | tuple | set):
            raise _choice_error(definition, value)
        chosen = set()
        for item in items:
            item = str(item).strip()
            if not item:
                continue
            if item not in definition.choices:
                raise _choice_error(definition, item)
            chosen.add(item)
        return [choice for choice in definition.choices if choice in chosen] or None
    if isinstance(value, list | tuple | set | dict):
        raise _error(definition, _("“%(label)s” takes a single value."))
    if kind == FieldKind.NUMBER:
        return parse_number(definition, value)
    if kind == FieldKind.DATE:
        return parse_date(definition, value)
    text = str(value).strip()
    if kind == FieldKind.CHOICE:
        if text not in definition.choices:
            raise _choice_error(definition, text)
        return text
    if len(text) > MAX_TEXT:
        raise ValidationError(
            _("“%(label)s” is too long: at most %(count)d characters.")
            % {"label": definition.display_label, "count": MAX_TEXT}
        )
    return text


def clean_values(
    record_type: str, raw: dict | None, *, partial: bool = False,
    given: Iterable[FieldDefinition] | None = None,
) -> dict[str, Any]:
    """Check and convert custom values typed by a person or sent by a client.

    Returns {key: stored value, or None to remove it}. With `partial=False` (a new
    record, a full form) every active field is in the answer and required fields must
    have a value; with `partial=True` (an API PATCH) only the keys given are checked.
    Keys of inactive fields are ignored (their stored values stay). Raises
    ValidationError({"custom.<key>": [message naming the label]}) for every bad value,
    unknown key and missing required field at once. `given` passes the definitions
    read once (`definitions(record_type, include_inactive=True)`) when checking many
    rows, e.g. an import, so each row costs no query.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ValidationError({"custom": [_("Give custom fields as an object of key and value.")]})
    known = _by_key(record_type, given)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for key, value in raw.items():
        definition = known.get(key)
        if definition is None:
            errors[f"custom.{key}"] = [_("There is no custom field “%(key)s”.") % {"key": key}]
            continue
        if not definition.is_active:
            continue
        try:
            cleaned[key] = parse_value(definition, value)
        except ValidationError as exc:
            errors[definition.error_key] = exc.messages
    for definition in known.values():
        if not definition.is_active or definition.error_key in errors:
            continue
        if partial and definition.key not in raw:
            continue
        cleaned.setdefault(definition.key, None)
        if definition.required and cleaned[definition.key] is None:
            errors[definition.error_key] = [
                _("“%(label)s” is required.") % {"label": definition.display_label}
            ]
    if errors:
        raise ValidationError(errors)
    return cleaned


def merge_values(current: dict | None, cleaned: dict[str, Any]) -> dict[str, Any]:
    """The record's new JSON: `current` with the cleaned values set (None removes a key)."""
    merged = dict(current or {})
    for key, value in cleaned.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def format_value(definition: FieldDefinition | None, value: Any) -> str:
    """The text a person reads for a stored value."""
    if is_empty(value):
        return ""
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float) and (definition is None or definition.kind == FieldKind.NUMBER):
        number = Decimal(str(value)).normalize()
        return f"{number:f}"
    return str(value)


# --- pages and forms -------------------------------------------------------------------------

FORM_PREFIX = "custom."


def form_field(definition: FieldDefinition) -> forms.Field:
    """The Django form field for one definition (named `custom.<key>` in forms)."""
    common = {
        "label": definition.display_label, "required": definition.required,
        "help_text": definition.help_text,
    }
    kind = definition.kind
    if kind == FieldKind.NUMBER:
        return forms.DecimalField(max_digits=MAX_DIGITS, decimal_places=MAX_DECIMALS, **common)
    if kind == FieldKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if kind == FieldKind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *((c, c) for c in definition.choices)], **common)
    if kind == FieldKind.MULTI_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in definition.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.CharField(max_length=MAX_TEXT, **common)


def form_fields(record_type: str) -> dict[str, forms.Field]:
    """Form fields for the active definitions, in order, named `custom.<key>`.

    The names match the services' error keys, so `add_service_errors` puts a
    service's message on the right field.
    """
    return {f"{FORM_PREFIX}{d.key}": form_field(d) for d in definitions(record_type)}


def form_initial(values: dict | None) -> dict[str, Any]:
    """Initial data for `form_fields` from a record's stored values."""
    return {f"{FORM_PREFIX}{key}": value for key, value in (values or {}).items()}


def form_values(cleaned_data: dict[str, Any]) -> dict[str, Any]:
    """{key: value} of the custom fields in a form's cleaned_data (for the services)."""
    return {
        name[len(FORM_PREFIX):]: value for name, value in cleaned_data.items() if name.startswith(FORM_PREFIX)
    }


def display(
    record_type: str, values: dict | None, given: Iterable[FieldDefinition] | None = None
) -> list[dict[str, str]]:
    """What a page shows: [{"key", "label", "text"}] of the active fields that have a value."""
    values = values or {}
    rows = given if given is not None else definitions(record_type)
    return [
        {"key": d.key, "label": d.display_label, "text": format_value(d, values.get(d.key))}
        for d in rows
        if d.is_active and not is_empty(values.get(d.key))
    ]


def audit_parts(record_type: str, values: Any) -> dict[str, tuple[str, str]]:
    """The change log's view of a JSON column: {"custom.<key>": (label, text)} per stored key."""
    if not isinstance(values, dict) or not values:
        return {}
    known = _by_key(record_type)
    parts = {}
    for key, value in values.items():
        definition = known.get(key)
        label = definition.display_label if definition else key
        parts[f"{FORM_PREFIX}{key}"] = (label, format_value(definition, value))
    return parts


# --- filters ---------------------------------------------------------------------------------


class ArrayHasElement(Lookup):
    """`custom__colours__kehu_has="红"`: the JSON array under a key contains the text.

    PostgreSQL: jsonb containment; SQLite: json_each over the extracted array.
    """

    lookup_name = "kehu_has"
    prepare_rhs = False

    def as_sql(self, compiler, connection):  # noqa: ANN001 - Django's signature
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            import json

            return f"({lhs}) @> %s::jsonb", (*lhs_params, json.dumps([self.rhs]))
        if connection.vendor == "sqlite":
            return (
                f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)",
                (*lhs_params, self.rhs),
            )
        raise NotSupportedError("kehu_has supports PostgreSQL and SQLite")


KeyTransform.register_lookup(ArrayHasElement)
JSONField.register_lookup(ArrayHasElement)


def _filter_error(key: str, message: str) -> ValidationError:
    return ValidationError({f"cf_{key}": [message]})


def _range(definition: FieldDefinition, text: str, parse: Callable[[FieldDefinition, Any], Any]):
    low, _sep, high = text.partition(RANGE)
    return (parse(definition, low) if low.strip() else None, parse(definition, high) if high.strip() else None)


def filter_q(record_type: str, key: str, value: Any) -> Q:
    """A filter on one custom field, for `.filter()` of the record type's queryset.

    text: contains (case-insensitive); number and date: equal, or a range "10..20",
    "10..", "..20" (dates "2026-01-01..2026-03-31"); choice: equal; multiple choice:
    has that choice among its values. Works on SQLite and PostgreSQL. Raises
    ValidationError({"cf_<key>": [...]}) for an unknown field or a bad value.
    """
    target = target_for(record_type)
    definition = _by_key(record_type).get(key) if target else None
    if definition is None:
        raise _filter_error(key, _("There is no custom field “%(key)s”.") % {"key": key})
    path = f"{target.field}__{key}"
    text = str(value).strip()
    if not text:
        return Q()
    kind = definition.kind
    try:
        if kind in (FieldKind.NUMBER, FieldKind.DATE):
            parse = parse_number if kind == FieldKind.NUMBER else parse_date
            if RANGE not in text:
                return Q(**{path: parse(definition, text)})
            low, high = _range(definition, text, parse)
            condition = Q()
            if low is not None:
                condition &= Q(**{f"{path}__gte": low})
            if high is not None:
                condition &= Q(**{f"{path}__lte": high})
            return condition
        if kind == FieldKind.CHOICE:
            return Q(**{path: parse_value(definition, text)})
        if kind == FieldKind.MULTI_CHOICE:
            if text not in definition.choices:
                raise _choice_error(definition, text)
            return Q(**{f"{path}__kehu_has": text})
    except ValidationError as exc:
        raise _filter_error(key, exc.messages[0]) from None
    return Q(**{f"{path}__icontains": text})


def filters_from_query(record_type: str, params: Any) -> Q:
    """All `cf_<key>=value` parameters of a query string (a QueryDict or dict) as one Q."""
    condition = Q()
    errors: dict[str, list[str]] = {}
    for name in params:
        if not name.startswith("cf_"):
            continue
        value = params.get(name)
        try:
            condition &= filter_q(record_type, name[3:], value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return condition


# --- import and export -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One custom field as a spreadsheet column, for import and export.

    `name` ("custom.<key>") is the column's stable id (use it in remembered column
    mappings); `label` its header in the reader's language. `parse(cell)` turns a
    cell (text, number, date or datetime from xlsx) into the value to pass to
    `clean_values` under `key` (None when empty), raising ValidationError whose
    message names the field; `format(stored)` gives the cell text for export
    (multiple choices joined with "、", which `parse` splits again, as it does , ， ; ；).
    Check a whole row with `clean_values(record_type, {key: parse(cell), ...})`,
    which also enforces required fields.
    """

    name: str
    key: str
    label: str
    kind: str
    required: bool
    choices: tuple[str, ...]
    parse: Callable[[Any], Any]
    format: Callable[[Any], str]


def columns(record_type: str) -> list[Column]:
    """The active custom fields of `record_type` as import/export columns, in display order."""

    def column(definition: FieldDefinition) -> Column:
        return Column(
            name=f"{FORM_PREFIX}{definition.key}", key=definition.key, label=definition.display_label,
            kind=definition.kind, required=definition.required, choices=tuple(definition.choices),
            parse=lambda cell: parse_value(definition, cell),
            format=lambda stored: format_value(definition, stored),
        )

    return [column(definition) for definition in definitions(record_type)]


def has_values(record_type: str, key: str) -> bool:
    """Does any record of the type store a value under `key`?"""
    target = target_for(record_type)
    if target is None:
        return False
    return target.model._base_manager.filter(**{f"{target.field}__has_key": key}).exists()


__all__ = [
    "Column", "ArrayHasElement", "audit_parts", "clean_values", "columns",
    "all_definitions", "definitions", "display", "filter_q", "filters_from_query", "form_field", "form_fields", "form_initial",
    "form_values", "format_value", "has_values", "merge_values", "parse_value",
]
