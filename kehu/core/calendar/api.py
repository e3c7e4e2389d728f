"""/api/v1/calendar: working-time arithmetic for everyone who may view the calendar;
business hours and override days for administrators."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from kehu.accounts.permissions import access, require
from kehu.core.calendar import engine, selectors, services
from kehu.core.calendar.apps import RECORD_TYPE
from kehu.core.calendar.explanation import TOO_FAR, amount_field, explanation_lines, holiday_label
from kehu.core.calendar.models import CalendarOverride, ServiceCalendar
from kehu.core.calendar.schemas import (
    BetweenOut,
    BetweenQuery,
    BusinessHoursIn,
    CalendarOut,
    DueOut,
    DueQuery,
    MonthOut,
    MonthQuery,
    OverrideIn,
    OverrideOut,
    OverrideQuery,
)

router = Router(tags=["calendar"])
MIN_YEAR, MAX_YEAR = 1901, 2199


def aware(value: dt.datetime, field: str = "start") -> dt.datetime:
    """A datetime without an offset is Asia/Shanghai wall time; years 1901–2199 only."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(
            {
                field: _("Give a time between the years %(min)d and %(max)d.")
                % {"min": MIN_YEAR, "max": MAX_YEAR}
            }
        )
    if timezone.is_naive(value):
        return timezone.make_aware(value, engine.SHANGHAI)
    return value.astimezone(engine.SHANGHAI)


def calendar_out(calendar: ServiceCalendar) -> dict:
    return {
        "code": calendar.code,
        "name": calendar.name,
        "kind": calendar.kind,
        "business_hours": [
            {"start": engine.format_minutes(s), "end": engine.format_minutes(e)}
            for s, e in calendar.periods
        ],
        "daily_working_minutes": sum(e - s for s, e in calendar.periods),
        "version": calendar.version,
    }


def day_out(day: engine.DayInfo) -> dict:
    return {
        "date": day.date,
        "weekday": day.date.isoweekday(),
        "is_working": day.is_working,
        "holiday": day.holiday,
        "holiday_label": holiday_label(day.holiday),
        "is_statutory_holiday": day.is_statutory_holiday,
        "is_makeup_workday": day.is_makeup_workday,
        "override": day.override,
        "override_note": day.override_note,
        "source": day.source,
    }


@router.get("/due", response=DueOut, url_name="calendar_add_working_time")
def add_working_time(request: HttpRequest, query: Query[DueQuery]):
    """When is `start` plus days / half days / hours of working time? (due = start + working time)"""
    require(request.user, RECORD_TYPE, "view")
    start = aware(query.start)
    calendar = selectors.load_calendar(query.calendar)
    try:
        result = calendar.explain(
            start, days=query.days, half_days=query.half_days, hours=query.hours
        )
    except engine.OutOfRangeError as exc:
        field = amount_field(query.days, query.half_days, query.hours)
        raise ValidationError({field: str(TOO_FAR)}) from exc
    return {
        "calendar": calendar.code,
        "start": result.start,
        "effective_start": result.effective_start,
        "due": result.due,
        "days": query.days,
        "half_days": query.half_days,
        "hours": query.hours,
        "half_day_minutes": result.half_day.total_seconds() / 60,
        "working_minutes_added": calendar.between(result.start, result.due).total_seconds() / 60,
        "skipped_dates": list(result.skipped_dates),
        "explanation": explanation_lines(
            result, calendar, days=query.days, half_days=query.half_days
        ),
    }


@router.get("/between", response=BetweenOut, url_name="calendar_working_time_between")
def working_time_between(request: HttpRequest, query: Query[BetweenQuery]):
    """Working time between two instants (negative when end is before start)."""
    require(request.user, RECORD_TYPE, "view")
    start, end = aware(query.start), aware(query.end, "end")
    calendar = selectors.load_calendar(query.calendar)
    working = selectors.working_time_between(calendar, start, end)
    return {
        "calendar": calendar.code,
        "start": start,
        "end": end,
        "working_minutes": working.total_seconds() / 60,
        "working_seconds": int(working.total_seconds()),
    }


@router.get("/months/{year}/{month}", response=MonthOut, url_name="calendar_month")
def month(
    request: HttpRequest,
    query: Query[MonthQuery],
    year: int = Path(..., ge=1901, le=2199),
    month: int = Path(..., ge=1, le=12),
):
    """Every date of a month: working or not, statutory holiday, 调休 make-up day, override."""
    require(request.user, RECORD_TYPE, "view")
    calendar = selectors.load_calendar(query.calendar)
    return {
        "calendar": calendar.code,
        "year": year,
        "month": month,
        "statutory_data": engine.has_statutory_data(year),
        "days": [day_out(day) for day in calendar.month(year, month)],
    }


@router.get("/calendars", response=list[CalendarOut], url_name="calendar_list")
def calendars(request: HttpRequest):
    """The service calendars (5×8, 7×24) with their business hours."""
    require(request.user, RECORD_TYPE, "view")
    return [calendar_out(c) for c in selectors.calendar_list()]


@router.put(
    "/calendars/{code}/business-hours",
    response=CalendarOut,
    url_name="calendar_business_hours_update",
)
def update_business_hours(request: HttpRequest, code: str, payload: BusinessHoursIn):
    """Replace a 5×8 calendar's business hours (administrators)."""
    pk = ServiceCalendar.objects.filter(code=code).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404
    calendar = access(request.user, ServiceCalendar, pk, "edit")
    text = ",".join(f"{p.start}-{p.end}" for p in payload.business_hours)
    calendar = services.calendar_set_business_hours(
        actor=request.user, calendar=calendar, business_hours=text, version=payload.version
    )
    return calendar_out(calendar)


@router.get("/overrides", response=list[OverrideOut], url_name="calendar_override_list")
def overrides(request: HttpRequest, query: Query[OverrideQuery]):
    """The company's own closed and working days."""
    require(request.user, RECORD_TYPE, "view")
    return selectors.override_list(query.year)


@router.post(
    "/overrides", response={200: OverrideOut, 201: OverrideOut}, url_name="calendar_override_create"
)
def create_override(request: HttpRequest, payload: OverrideIn):
    """Set a date as a company working or closed day (201; 200 when it replaced one)."""
    require(request.user, RECORD_TYPE, "create")
    override, created = services.calendar_override_set(
        actor=request.user, date=payload.date, is_working=payload.is_working, note=payload.note
    )
    return Status(201 if created else 200, override)


@router.delete("/overrides/{date}", response={204: None}, url_name="calendar_override_delete")
def delete_override(request: HttpRequest, date: dt.date):
    """Remove a company override; the date follows the statutory calendar again."""
    require(request.user, RECORD_TYPE, "view")
    override = get_object_or_404(CalendarOverride, date=date)
    require(request.user, RECORD_TYPE, "delete")
    services.calendar_override_delete(actor=request.user, override=override)
    return Status(204, None)
