"""Writes: business hours of a calendar, and the company's override days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kehu.accounts.permissions import require
from kehu.core.calendar import engine
from kehu.core.calendar.apps import RECORD_TYPE
from kehu.core.calendar.models import CalendarKind, CalendarOverride, ServiceCalendar


def _periods(value: str | Sequence[Sequence[int]]) -> tuple[engine.Period, ...]:
    try:
        if isinstance(value, str):
            return engine.parse_business_hours(value)
        return engine.check_periods(value)
    except engine.BusinessHoursError as exc:
        raise ValidationError({"business_hours": str(exc)}) from exc
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            {"business_hours": _("Give business hours like 09:00-12:00,13:30-18:00.")}
        ) from exc


@transaction.atomic
def calendar_set_business_hours(
    *,
    actor: Any,
    calendar: ServiceCalendar,
    business_hours: str | Sequence[Sequence[int]],
    version: int | None = None,
) -> ServiceCalendar:
    """Replace a 5×8 calendar's business hours ("09:00-12:00,13:30-18:00" or minute pairs).

    With `version` (the one the form was read at) a concurrent edit is refused
    instead of silently overwritten. Deadlines computed later use the new hours;
    stored deadlines are not recomputed.
    """
    if calendar.kind == CalendarKind.ROUND_THE_CLOCK:
        raise ValidationError(
            {
                "business_hours": _(
                    "A round-the-clock calendar counts every minute; it has no business hours."
                )
            }
        )
    periods = _periods(business_hours)
    # Lock the row (PostgreSQL; SQLite serialises writers) and compare versions, then
    # save() so the change log sees the edit.
    locked = ServiceCalendar.objects.select_for_update().get(pk=calendar.pk)
    if version is not None and locked.version != version:
        raise ValidationError(
            {
                "version": _(
                    "Someone else changed these business hours meanwhile. Reload and try again."
                )
            }
        )
    locked.business_hours = [list(p) for p in periods]
    locked.version = locked.version + 1
    locked.updated_by = actor if getattr(actor, "pk", None) else None
    locked.save()
    return locked


@transaction.atomic
def calendar_override_set(
    *, actor: Any, date: dt.date, is_working: bool, note: str = ""
) -> tuple[CalendarOverride, bool]:
    """Make `date` a working or a closed day for the company; replaces an earlier override.

    Replacing a day that already has an override is an edit: a signed-in `actor`
    needs the "edit" right for it (the "create" right alone gives PermissionDenied).
    Returns (override, created).
    """
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise ValidationError({"date": _("Give a date, e.g. 2026-03-06.")})
    if not isinstance(is_working, bool):
        raise ValidationError({"is_working": _("Say whether the company works on this date.")})
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": _("Keep the note under 200 characters.")})
    values = {
        "is_working": is_working,
        "note": note,
        "created_by": actor if getattr(actor, "pk", None) else None,
    }
    existing = CalendarOverride.objects.select_for_update().filter(date=date).first()
    if existing is None:
        return CalendarOverride.objects.create(date=date, **values), True
    if getattr(actor, "pk", None):
        require(actor, RECORD_TYPE, "edit")
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save()
    return existing, False


@transaction.atomic
def calendar_override_delete(*, actor: Any, override: CalendarOverride) -> None:
    """Remove an override: the date follows the statutory calendar again."""
    override.delete()
