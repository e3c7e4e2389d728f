"""Reads: load a calendar snapshot once per call (two queries), and lists for the doors."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kehu.core.calendar import engine
from kehu.core.calendar.defaults import DEFAULT_CALENDARS, DEFAULT_CODE, ensure_default_calendars
from kehu.core.calendar.models import CalendarKind, CalendarOverride, ServiceCalendar

MAX_SPAN = dt.timedelta(days=3660)


def check_span(start: dt.datetime, end: dt.datetime, field: str = "end") -> None:
    """Refuse spans longer than ten years: every door that measures working time uses this."""
    if abs(end - start) > MAX_SPAN:
        raise ValidationError({field: _("Start and end must be at most ten years apart.")})


def working_time_between(calendar: engine.WorkingCalendar, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Working time inside [start, end] on a loaded calendar, at most ten years apart."""
    check_span(start, end)
    return calendar.between(start, end)


def get_service_calendar(code: str) -> ServiceCalendar:
    """The calendar row for `code`; the shipped ones are created on first use."""
    calendar = ServiceCalendar.objects.filter(code=code).first()
    if calendar is None and code in DEFAULT_CALENDARS:
        ensure_default_calendars()
        calendar = ServiceCalendar.objects.filter(code=code).first()
    if calendar is None:
        raise ValidationError({"calendar": _("There is no calendar “%(code)s”.") % {"code": code}})
    return calendar


def snapshot(calendar: ServiceCalendar) -> engine.WorkingCalendar:
    """An engine calendar for a row: the overrides are read here, once."""
    overrides: dict = {}
    notes: dict = {}
    if calendar.kind == CalendarKind.BUSINESS_HOURS:
        for day, is_working, note in CalendarOverride.objects.values_list(
            "date", "is_working", "note"
        ):
            overrides[day] = is_working
            notes[day] = note
    return engine.WorkingCalendar(
        code=calendar.code,
        kind=calendar.kind,
        periods=calendar.periods,
        overrides=overrides,
        override_notes=notes,
        name=calendar.name,
    )


def load_calendar(code: str = DEFAULT_CODE) -> engine.WorkingCalendar:
    """Load a service calendar ("5x8" or "7x24") for working-time arithmetic.

    Load once per request or job and pass the result as `calendar=` to every call;
    nothing is cached between calls, so an administrator's change applies at once.
    """
    return snapshot(get_service_calendar(code))


def calendar_list() -> list[ServiceCalendar]:
    ensure_default_calendars()
    return list(ServiceCalendar.objects.all())


def override_list(year: int | None = None) -> list[CalendarOverride]:
    overrides = CalendarOverride.objects.select_related("created_by")
    if year is not None:
        overrides = overrides.filter(date__year=year)
    return list(overrides)
