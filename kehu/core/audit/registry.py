"""Which models the change log follows, and the signal receivers that write it.

The generic change log is the one place Kehu uses Django signals (see
ARCHITECTURE.md): pre_save reads the row as stored, post_save and post_delete
write the entry, m2m_changed records many-to-many edits. A model joins with

    register_audited(Customer, exclude=("search_text",), masked={"mobile": mask_phone})

from its AppConfig.ready(), or with the `@track(...)` class decorator. Personal
data fields come from `masked=` and from the model's own `audit_masked_fields`.

Not seen by signals, so not logged: `QuerySet.update()`, `bulk_create()`,
`bulk_update()`, raw SQL, and fixture loading (raw saves). Services that use
those write the entry themselves with `change_record_event(...)`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone, translation
from django.utils.translation import gettext

Masker = Callable[[Any], str]
MAX_DISPLAY = 1000


@dataclass(frozen=True)
class AuditOptions:
    """How one model is followed: fields left out, personal-data maskers, M2M fields."""

    exclude: frozenset[str]
    masked: dict[str, Masker]
    m2m: tuple[str, ...] | None  # None: every many-to-many field not excluded

    def fields(self, model: type[models.Model]) -> list[models.Field]:
        return [
            field
            for field in model._meta.concrete_fields
            if field.name not in self.exclude
            and not field.primary_key
            and not getattr(field, "auto_now", False)
            and not getattr(field, "auto_now_add", False)
            and not isinstance(field, models.BinaryField)
        ]

    def m2m_fields(self, model: type[models.Model]) -> list[models.ManyToManyField]:
        names = self.m2m
        return [
            field
            for field in model._meta.many_to_many
            if field.name not in self.exclude and (names is None or field.name in names)
        ]


REGISTRY: dict[type[models.Model], AuditOptions] = {}
# (model, field name) -> a function giving {item name: (label, text)} for a JSON value,
# so the log records one line per key ("custom.grade") instead of the whole blob.
Expander = Callable[[Any], dict[str, tuple[str, str]]]
EXPANDERS: dict[tuple[type[models.Model], str], Expander] = {}


def expand_field(model: type[models.Model], field_name: str, expander: Expander) -> None:
    """Log `field_name` of `model` key by key through `expander` (e.g. custom-field values)."""
    EXPANDERS[(model, field_name)] = expander
    _PLANS.clear()


def _expanded(model: type[models.Model], options: AuditOptions, field: models.Field, old: Any, new: Any):
    """The per-key change items of an expanded field; None when the field is not expanded."""
    expander = EXPANDERS.get((model._meta.concrete_model, field.name))
    if expander is None:
        return None
    old_parts, new_parts = expander(old), expander(new)
    items = []
    for name in dict.fromkeys([*old_parts, *new_parts]):
        old_label, old_text = old_parts.get(name, ("", ""))
        new_label, new_text = new_parts.get(name, ("", ""))
        if old_text != new_text:
            items.append(change_item(name, new_label or old_label, old_text, new_text, options.masked.get(name)))
    return items


def register_audited(
    model: type[models.Model],
    *,
    exclude: Iterable[str] = (),
    masked: dict[str, Masker] | None = None,
    m2m: Iterable[str] | None = None,
) -> type[models.Model]:
    """Follow `model` in the change log; safe to call again (the last call wins)."""
    masked_fields = {**getattr(model, "audit_masked_fields", {}), **(masked or {})}
    _PLANS.clear()
    REGISTRY[model] = AuditOptions(
        exclude=frozenset(exclude), masked=masked_fields, m2m=None if m2m is None else tuple(m2m)
    )
    uid = f"kehu.audit.{model._meta.label_lower}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}.pre_save")
    post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}.post_save")
    post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}.post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="kehu.audit.m2m_changed")
    return model


def track(
    *, exclude: Iterable[str] = (), masked: dict[str, Masker] | None = None, m2m: Iterable[str] | None = None
) -> Callable[[type[models.Model]], type[models.Model]]:
    """Class decorator form of `register_audited`."""

    def decorator(model: type[models.Model]) -> type[models.Model]:
        return register_audited(model, exclude=exclude, masked=masked, m2m=m2m)

    return decorator


def is_audited(model: type[models.Model] | models.Model) -> bool:
    return _options(model if isinstance(model, type) else type(model)) is not None


def masked_fields_of(model: type[models.Model]) -> dict[str, Masker]:
    options = _options(model)
    return options.masked if options else dict(getattr(model, "audit_masked_fields", {}))


def _options(model: type[models.Model]) -> AuditOptions | None:
    return REGISTRY.get(model) or REGISTRY.get(model._meta.concrete_model)


# Display text ---------------------------------------------------------------------


def format_value(field: models.Field | None, value: Any) -> str:
    """The text a person reads for a stored value, as of now (choices by label)."""
    if value is None or value == "":
        return ""
    if field is not None and field.flatchoices:
        value = dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        text = gettext("Yes") if value else gettext("No")
    elif isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        text = value.strftime("%Y-%m-%d %H:%M:%S")
    elif isinstance(value, date | time):
        text = value.isoformat()
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    else:
        text = str(value)
    return text[:MAX_DISPLAY]


def _field_text(instance: models.Model, field: models.Field) -> str:
    if field.is_relation:
        if getattr(instance, field.attname) is None:
            return ""
        try:
            return str(getattr(instance, field.name))[:MAX_DISPLAY]
        except ObjectDoesNotExist:
            return str(getattr(instance, field.attname))
    return format_value(field, getattr(instance, field.attname))


def _m2m_text(instance: models.Model, field: models.ManyToManyField) -> str:
    return ", ".join(sorted(str(related) for related in getattr(instance, field.name).all()))[:MAX_DISPLAY]


def change_item(field_name: str, label: Any, old: str, new: str, masker: Masker | None) -> dict[str, str]:
    if masker is not None:
        old, new = masker(old), masker(new)
    return {"field": field_name, "label": str(label), "old": old, "new": new}


def _item(options: AuditOptions, field: models.Field, old: str, new: str) -> dict[str, str]:
    return change_item(field.name, field.verbose_name, old, new, options.masked.get(field.name))


# Receivers ------------------------------------------------------------------------


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    instance.__dict__.pop("_audit_before", None)
    options = _options(sender)
    if raw or options is None or instance._state.adding or instance.pk is None:
        return
    fields = options.fields(sender)
    if update_fields is not None:
        wanted = set(update_fields)
        fields = [field for field in fields if field.name in wanted or field.attname in wanted]
        if not fields:
            return  # e.g. a login touching only last_login
    old = sender._base_manager.filter(pk=instance.pk).first()
    if old is not None:
        instance.__dict__["_audit_before"] = (old, fields)


@dataclass(frozen=True)
class _FieldPlan:
    """What writing one field's change item needs, worked out once per model and language."""

    field: models.Field
    name: str
    attname: str
    label: str
    masker: Masker | None
    choices: dict[Any, Any] | None
    is_relation: bool
    expanded: bool


_PLANS: dict[tuple[type[models.Model], str], tuple[_FieldPlan, ...]] = {}


def _plan(model: type[models.Model]) -> tuple[_FieldPlan, ...]:
    """The audited fields of `model` with their labels in the active language (bulk writers)."""
    key = (model, translation.get_language() or "")
    plan = _PLANS.get(key)
    if plan is None:
        options = _options(model)
        plan = tuple(
            _FieldPlan(
                field=field, name=field.name, attname=field.attname, label=str(field.verbose_name),
                masker=options.masked.get(field.name),
                choices={code: str(label) for code, label in field.flatchoices} if field.flatchoices else None,
                is_relation=field.is_relation,
                expanded=(model._meta.concrete_model, field.name) in EXPANDERS,
            )
            for field in (options.fields(model) if options else ())
        )
        _PLANS[key] = plan
    return plan


def _plan_text(instance: models.Model, plan: _FieldPlan) -> str:
    value = getattr(instance, plan.attname)
    if value is None or value == "":
        return ""
    if plan.is_relation:
        return _field_text(instance, plan.field)
    if plan.choices is not None:
        value = plan.choices.get(value, value)
    if isinstance(value, str):
        return value[:MAX_DISPLAY]
    return format_value(None, value)


def _plan_item(plan: _FieldPlan, old: str, new: str) -> dict[str, str]:
    if plan.masker is not None:
        old, new = plan.masker(old), plan.masker(new)
    return {"field": plan.name, "label": plan.label, "old": old, "new": new}


def creation_changes(instance: models.Model) -> list[dict[str, str]]:
    """The change items an automatic "created" entry holds (for bulk writers such as imports)."""
    model = type(instance)
    items: list[dict[str, str]] = []
    for plan in _plan(model):
        if plan.expanded:
            items += _expanded(model, _options(model), plan.field, None, getattr(instance, plan.attname)) or []
            continue
        new = _plan_text(instance, plan)
        if new != "":
            items.append(_plan_item(plan, "", new))
    return items


def update_changes(old: models.Model, new: models.Model, field_names: Iterable[str]) -> list[dict[str, str]]:
    """The change items an automatic "updated" entry holds for these fields (for bulk writers)."""
    model = type(new)
    wanted = set(field_names)
    items: list[dict[str, str]] = []
    for plan in _plan(model):
        if plan.name not in wanted or getattr(old, plan.attname) == getattr(new, plan.attname):
            continue
        if plan.expanded:
            items += _expanded(model, _options(model), plan.field, getattr(old, plan.attname),
                               getattr(new, plan.attname)) or []
            continue
        old_text, new_text = _plan_text(old, plan), _plan_text(new, plan)
        if old_text != new_text:
            items.append(_plan_item(plan, old_text, new_text))
    return items


def _after_save(sender, instance, created, raw=False, **kwargs) -> None:
    from kehu.core.audit.models import Action

    options = _options(sender)
    if raw or options is None:
        return
    if created:
        changes = []
        for field in options.fields(sender):
            expanded = _expanded(sender, options, field, None, getattr(instance, field.attname))
            if expanded is not None:
                changes += expanded
                continue
            new = _field_text(instance, field)
            if new != "":
                changes.append(_item(options, field, "", new))
        write_entry(instance, Action.CREATE, changes)
        return
    before = instance.__dict__.pop("_audit_before", None)
    if before is None:
        return
    old, fields = before
    changes = []
    for field in fields:
        if getattr(old, field.attname) == getattr(instance, field.attname):
            continue
        expanded = _expanded(sender, options, field, getattr(old, field.attname), getattr(instance, field.attname))
        if expanded is not None:
            changes += expanded
            continue
        old_text, new_text = _field_text(old, field), _field_text(instance, field)
        if old_text != new_text:
            changes.append(_item(options, field, old_text, new_text))
    if changes:
        write_entry(instance, Action.UPDATE, changes)


def _after_delete(sender, instance, **kwargs) -> None:
    from kehu.core.audit.models import Action

    options = _options(sender)
    if options is None:
        return
    changes = []
    for field in options.fields(sender):
        expanded = _expanded(sender, options, field, getattr(instance, field.attname), None)
        if expanded is not None:
            changes += expanded
            continue
        old = _field_text(instance, field)
        if old != "":
            changes.append(_item(options, field, old, ""))
    write_entry(instance, Action.DELETE, changes)


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    from kehu.core.audit.models import Action

    if action not in {"pre_add", "post_add", "pre_remove", "post_remove", "pre_clear", "post_clear"}:
        return
    owner_model = model if reverse else type(instance)
    options = _options(owner_model)
    if options is None:
        return
    field = next((f for f in options.m2m_fields(owner_model) if f.remote_field.through is sender), None)
    if field is None:
        return
    phase, operation = action.split("_", 1)
    pending = instance.__dict__.setdefault("_audit_m2m", {})
    key = (sender, operation)
    if phase == "pre":
        if not reverse:
            owners = [instance]
        elif pk_set is None:
            owners = list(owner_model._base_manager.filter(**{field.name: instance}))
        else:
            owners = list(owner_model._base_manager.filter(pk__in=pk_set))
        pending[key] = {owner.pk: (owner, _m2m_text(owner, field)) for owner in owners}
        return
    snapshot = pending.pop(key, None) or {}
    for owner, old in snapshot.values():
        new = _m2m_text(owner, field)
        if new != old:
            write_entry(owner, Action.UPDATE, [_item(options, field, old, new)])


# Writing --------------------------------------------------------------------------

_FROM_CONTEXT = object()


def write_entry(
    target: models.Model, action: str, changes: list[dict[str, str]], *, note: str = "", actor: Any = _FROM_CONTEXT
):
    """Append one entry for `target`; the actor defaults to the audit context's user."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from kehu.core.audit.context import current_actor
    from kehu.core.audit.models import Action, ChangeLogEntry

    if actor is _FROM_CONTEXT:
        actor = current_actor()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    actor_repr = str(actor)[:150] if actor is not None else ""
    # A user deleting their own account: the row the FK would point at is gone.
    if (
        actor is not None
        and action == Action.DELETE
        and isinstance(target, get_user_model())
        and target.pk == actor.pk
    ):
        actor = None
    return ChangeLogEntry.objects.create(
        actor=actor,
        actor_repr=actor_repr,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        object_repr=str(target)[:200],
        action=action,
        changes=changes,
        note=note[:500],
    )
