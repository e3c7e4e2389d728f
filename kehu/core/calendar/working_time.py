"""The public working-time functions other apps call (tickets, tasks, SLAs, reminders).

    from kehu.core.calendar.working_time import add_working_time, load_calendar

    calendar = load_calendar("5x8")          # once per request/job
    due = add_working_time(created_at, half_days=1, calendar=calendar)

`calendar` may be a loaded `WorkingCalendar`, a code ("5x8", "7x24") or None (the
5×8 calendar); a code or None loads it for that one call. Every datetime given
must be aware; every datetime returned is aware in Asia/Shanghai. The exact rules
(outside-hours starts, days vs half days vs hours, period ends) are in
`kehu.core.calendar.engine`'s docstring.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kehu.core.calendar import selectors
from kehu.core.calendar.engine import WorkingCalendar, WorkingTimeResult
from kehu.core.calendar.selectors import load_calendar

__all__ = [
    "WorkingCalendar",
    "add_working_time",
    "explain_working_time",
    "is_working_day",
    "load_calendar",
    "next_working_day",
    "working_days_between",
    "working_time_between",
]

CalendarArg = WorkingCalendar | str | None


def _resolve(calendar: CalendarArg) -> WorkingCalendar:
    if isinstance(calendar, WorkingCalendar):
        return calendar
    return load_calendar(calendar) if calendar else load_calendar()


def _date(value: dt.date | dt.datetime, calendar: WorkingCalendar) -> dt.date:
    if isinstance(value, dt.datetime):
        return calendar.local(value).date()
    return value


def add_working_time(
    start: dt.datetime,
    *,
    days: int = 0,
    half_days: int = 0,
    hours: float | int | Decimal = 0,
    calendar: CalendarArg = None,
) -> dt.datetime:
    """The aware instant when `days`, `half_days` and `hours` of working time have passed.

    A start outside business hours first moves to the next business-hours instant;
    `days` keeps the clock time on the N-th next working day; a half day is half the
    calendar's daily working time (3 h 45 min with 09:00–12:00, 13:30–18:00);
    hours are working hours. Raises ValueError for a naive start or a negative amount.
    """
    return explain_working_time(
        start, days=days, half_days=half_days, hours=hours, calendar=calendar
    ).due


def explain_working_time(
    start: dt.datetime,
    *,
    days: int = 0,
    half_days: int = 0,
    hours: float | int | Decimal = 0,
    calendar: CalendarArg = None,
) -> WorkingTimeResult:
    """`add_working_time` with each step (effective start, after days, skipped dates)."""
    return _resolve(calendar).explain(start, days=days, half_days=half_days, hours=hours)


def working_time_between(
    start: dt.datetime, end: dt.datetime, *, calendar: CalendarArg = None
) -> dt.timedelta:
    """Working time inside [start, end] (negative when end < start); inverse of add_working_time.

    Start and end may be at most ten years apart (ValidationError on "end").
    """
    return selectors.working_time_between(_resolve(calendar), start, end)


def is_working_day(day: dt.date | dt.datetime, *, calendar: CalendarArg = None) -> bool:
    """Whether the date (a datetime: its Asia/Shanghai date) is a working day."""
    loaded = _resolve(calendar)
    return loaded.is_working_day(_date(day, loaded))


def next_working_day(day: dt.date | dt.datetime, *, calendar: CalendarArg = None) -> dt.date:
    """The first working day strictly after `day`."""
    loaded = _resolve(calendar)
    return loaded.next_working_day(_date(day, loaded))


def working_days_between(
    start: dt.date | dt.datetime, end: dt.date | dt.datetime, *, calendar: CalendarArg = None
) -> int:
    """The number of working days in [start, end) (negative when end < start)."""
    loaded = _resolve(calendar)
    return loaded.working_days_between(_date(start, loaded), _date(end, loaded))
