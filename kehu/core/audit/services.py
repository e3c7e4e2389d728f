"""Business events in the change log (merge, unmask, deactivate …), written explicitly."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction

from kehu.core.audit.models import Action, ChangeLogEntry
from kehu.core.audit.registry import change_item, masked_fields_of, write_entry
from kehu.core.bulk import Blank, bulk_insert


@transaction.atomic
def change_record_event(
    *,
    actor: Any,
    target: models.Model,
    action: str,
    changes: Iterable[tuple[str, Any, Any]] = (),
    labels: Mapping[str, Any] | None = None,
    note: str = "",
) -> ChangeLogEntry:
    """Append a business event on `target`'s change log.

    `changes` are (field name, old, new) triples; personal-data fields of the
    target's model are stored masked, exactly as automatic entries are. `labels`
    names fields that are not model fields ("merged_into": _("Merged into")).
    """
    if action not in Action.values:
        raise ValueError(f"unknown change-log action {action!r}")
    model = type(target)
    maskers = masked_fields_of(model)
    items = []
    for field_name, old, new in changes:
        label = (labels or {}).get(field_name)
        if label is None:
            try:
                label = model._meta.get_field(field_name).verbose_name
            except FieldDoesNotExist:
                label = field_name
        items.append(
            change_item(
                field_name, label, "" if old is None else str(old), "" if new is None else str(new),
                maskers.get(field_name),
            )
        )
    return write_entry(target, action, items, note=note, actor=actor)


def record_changes_bulk(
    *, actor: Any, entries: Iterable[tuple[models.Model, str, list[dict[str, str]]]], note: str = "",
) -> int:
    """Append many entries at once (imports): (target, action, change items) each, items from
    `creation_changes`/`update_changes` (already masked). Runs in the caller's transaction."""
    from django.contrib.contenttypes.models import ContentType

    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    actor_repr = str(actor)[:150] if actor is not None else ""
    types: dict[type, ContentType] = {}
    rows = []
    entry = Blank(ChangeLogEntry)
    for target, action, changes in entries:
        if action not in Action.values:
            raise ValueError(f"unknown change-log action {action!r}")
        model = type(target)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model)
        rows.append(
            entry(
                actor=actor, actor_repr=actor_repr, content_type=types[model], object_id=str(target.pk),
                object_repr=str(target)[:200], action=action, changes=changes, note=note[:500],
            )
        )
    bulk_insert(ChangeLogEntry, rows, returning=False)
    return len(rows)
