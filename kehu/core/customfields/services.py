"""Writes: administrators add and change custom-field definitions.

A definition's `key` and record type never change (values are stored under the key).
Switching a definition off keeps every stored value; changing its kind once records
hold values is refused, since those values would no longer parse.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import JSONField, Max
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext as _

from kehu.accounts.permissions import require
from kehu.core.audit.context import audit_actor
from kehu.core.customfields.engine import has_values
from kehu.core.customfields.models import CHOICE_KINDS, RECORD_TYPE, FieldDefinition
from kehu.core.customfields.registry import target_for

EDITABLE_FIELDS = ("label", "label_en", "kind", "choices", "required", "help_text", "order", "is_active")
MAX_CHOICES = 100
MAX_CHOICE_LENGTH = 60


def reserved_keys() -> set[str]:
    """Names the ORM reads as lookups after a JSON key (`custom__contains`): not usable as keys."""
    return set(JSONField.get_lookups()) | set(KeyTransform.get_lookups())


def clean_choices(value: Any) -> list[str]:
    """Choices as a list of distinct, trimmed texts (a list, or text with one per line or comma)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace("，", ",").replace("\r", "").replace("\n", ",").split(",")
    if not isinstance(value, list | tuple):
        raise ValidationError({"choices": [_("Give the choices as a list of texts.")]})
    choices: list[str] = []
    for item in value:
        text = str(item).strip()
        if not text:
            continue
        if len(text) > MAX_CHOICE_LENGTH:
            raise ValidationError(
                {"choices": [_("The choice “%(choice)s” is too long: at most %(count)d characters.")
                             % {"choice": text[:20], "count": MAX_CHOICE_LENGTH}]}
            )
        if text not in choices:
            choices.append(text)
    if len(choices) > MAX_CHOICES:
        raise ValidationError({"choices": [_("Give at most %(count)d choices.") % {"count": MAX_CHOICES}]})
    return choices


def _check(definition: FieldDefinition) -> None:
    errors: dict[str, list[str]] = {}
    definition.label = (definition.label or "").strip()
    definition.label_en = (definition.label_en or "").strip()
    definition.help_text = (definition.help_text or "").strip()
    if not definition.label:
        errors["label"] = [_("Enter the field's label.")]
    try:
        definition.choices = clean_choices(definition.choices)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if definition.kind in CHOICE_KINDS and not definition.choices and "choices" not in errors:
        errors["choices"] = [_("A choice field needs at least one choice.")]
    if definition.kind not in CHOICE_KINDS:
        definition.choices = []
    try:
        definition.full_clean(exclude=["version"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def definition_create(
    *, actor: Any, record_type: str, key: str, label: str, kind: str = "text", **fields: Any
) -> FieldDefinition:
    """Add a custom field to a record type; it shows in forms, pages and the API at once."""
    require(actor, RECORD_TYPE, "create")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if target_for(record_type) is None:
        raise ValidationError({"record_type": [_("Custom fields cannot be added to this kind of record.")]})
    key = (key or "").strip()
    if fields.get("order") is None:
        fields.pop("order", None)
    definition = FieldDefinition(record_type=record_type, key=key, label=label, kind=kind, **fields)
    if definition.order is None or "order" not in fields:
        highest = FieldDefinition.objects.filter(record_type=record_type).aggregate(top=Max("order"))["top"]
        definition.order = (highest or 0) + 10
    if "__" in key or key in reserved_keys():
        raise ValidationError({"key": [_("“%(key)s” is reserved; choose another key.") % {"key": key}]})
    _check(definition)
    if FieldDefinition.objects.filter(record_type=record_type, key=key).exists():
        raise ValidationError({"key": [_("Another field of this record type already uses the key “%(key)s”.")
                                       % {"key": key}]})
    try:
        with transaction.atomic(), audit_actor(actor):
            definition.save()
    except IntegrityError as exc:
        raise ValidationError({"key": [_("Another field of this record type already uses the key “%(key)s”.")
                                       % {"key": key}]}) from exc
    return definition


@transaction.atomic
def definition_update(*, actor: Any, definition: FieldDefinition, version: int, **changes: Any) -> FieldDefinition:
    """Change a definition; a stale `version` is refused, and so is a new kind once values exist."""
    require(actor, RECORD_TYPE, "edit")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    current = FieldDefinition.objects.select_for_update().get(pk=definition.pk)
    if current.version != version:
        raise ValidationError(
            {"version": [_("Someone else changed this field after you opened it. "
                           "Reload the page and make your change again.")]}
        )
    stored_kind = current.kind
    for name, value in changes.items():
        setattr(current, name, value)
    if current.kind != stored_kind and has_values(current.record_type, current.key):
        raise ValidationError(
            {"kind": [_("“%(label)s” already holds values, so its kind cannot change. "
                        "Add a new field instead.") % {"label": current.display_label}]}
        )
    _check(current)
    current.version = version + 1
    with audit_actor(actor):
        current.save()
    return current
