"""Working-time arithmetic over one loaded calendar: pure, no database access.

A `WorkingCalendar` is a snapshot (business periods + company overrides) loaded
once per call by `kehu.core.calendar.selectors.load_calendar`; every computation
below reads only that snapshot and the statutory data bundled in `chinese_calendar`.

The rules, precisely:

* Working day (5×8, kind "business_hours"): a company override for the date wins;
  otherwise the statutory data (holidays off, 调休 make-up weekend days on);
  for a year `chinese_calendar` has no data for, Monday to Friday (and the day
  says so: `DayInfo.source == "weekday"`). A 7×24 calendar ("round_the_clock")
  works every minute of every day and ignores overrides.
* Business hours are half-open periods [start, end) in minutes after midnight,
  the same on every working day, Asia/Shanghai time.
* A start outside business hours first moves to the next business-hours instant
  (a start at exactly 12:00 with a 09:00–12:00 period moves to 13:30).
* `days=N` moves N working days forward keeping the clock time (Friday 10:00 +
  1 day = the next working day 10:00).
* `half_days=N` adds N × (daily working time / 2) of working time: with the
  default 09:00–12:00, 13:30–18:00 (7 h 30 min a day) one half day is 3 h 45 min.
  A half day asked for at 10:00 is due at 15:15 the same day; asked for at 15:00
  it is due at 09:45 the next working day.
* `hours=H` adds H hours of working time. Days are applied first, then half days
  and hours together.
* The due instant is the first moment the working time has elapsed, so it may be
  the end of a period (09:00 + 3 h = 12:00, not 13:30; 09:00 + 7.5 h = 18:00).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

import chinese_calendar
from django.utils.translation import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")
MINUTES_PER_DAY = 24 * 60
BUSINESS_HOURS = "business_hours"
ROUND_THE_CLOCK = "round_the_clock"
# How far to look for the next working day before deciding the calendar has none.
SEARCH_LIMIT_DAYS = 3660

Period = tuple[int, int]  # minutes after midnight, [start, end)


class BusinessHoursError(ValueError):
    """Business hours that cannot be used; the message says why."""


class OutOfRangeError(ValueError):
    """The answer lies beyond what the calendar can count (too far away, past year 9999)."""


def parse_business_hours(text: str) -> tuple[Period, ...]:
    """Parse "09:00-12:00,13:30-18:00" into sorted, checked periods."""
    periods = []
    for chunk in (part.strip() for part in text.replace("，", ",").split(",")):
        if not chunk:
            continue
        start, sep, end = chunk.partition("-")
        if not sep:
            raise BusinessHoursError(
                _("“%(value)s” is not a period like 09:00-12:00.") % {"value": chunk}
            )
        periods.append((_minutes(start.strip()), _minutes(end.strip())))
    return check_periods(periods)


def _minutes(text: str) -> int:
    hour, sep, minute = text.partition(":")
    if not sep or not hour.isdigit() or not minute.isdigit() or len(minute) != 2:
        raise BusinessHoursError(_("“%(value)s” is not a time like 09:00.") % {"value": text})
    value = int(hour) * 60 + int(minute)
    if int(minute) > 59 or value > MINUTES_PER_DAY:
        raise BusinessHoursError(_("“%(value)s” is not a time of day.") % {"value": text})
    return value


def check_periods(periods: Sequence[Sequence[int]]) -> tuple[Period, ...]:
    """Sort and validate periods: at least one, each non-empty, none overlapping."""
    ordered = sorted((int(start), int(end)) for start, end in periods)
    if not ordered:
        raise BusinessHoursError(_("At least one period of business hours is needed."))
    previous_end = 0
    for start, end in ordered:
        if not 0 <= start < end <= MINUTES_PER_DAY:
            raise BusinessHoursError(
                _("The period %(value)s must end after it starts.")
                % {"value": f"{format_minutes(start)}-{format_minutes(end)}"}
            )
        if start < previous_end:
            raise BusinessHoursError(_("Business-hour periods must not overlap."))
        previous_end = end
    return tuple(ordered)


def format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_business_hours(periods: Sequence[Period]) -> str:
    return ",".join(f"{format_minutes(s)}-{format_minutes(e)}" for s, e in periods)


def _hours(hours: float | int | Decimal) -> dt.timedelta:
    """Hours as an exact timedelta (to the microsecond), without float drift for decimals."""
    micro = Decimal(str(hours)) * 3_600_000_000
    return dt.timedelta(microseconds=int(micro.to_integral_value()))


def has_statutory_data(year: int) -> bool:
    """Whether `chinese_calendar` knows the holidays of `year`."""
    try:
        chinese_calendar.get_holiday_detail(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class DayInfo:
    """What one date is in a calendar, and why."""

    date: dt.date
    is_working: bool
    holiday: str | None  # chinese_calendar's name: "Spring Festival", also on its make-up days
    is_makeup_workday: bool  # 调休: a Saturday/Sunday worked by statutory rule
    is_statutory_holiday: bool  # a named public holiday (not a plain weekend)
    override: bool | None  # the company override's is_working, None when none
    override_note: str
    source: str  # "statutory", "weekday" (no statutory data), "override", "round_the_clock"


@dataclass(frozen=True)
class WorkingTimeResult:
    """`add_working_time` with its working shown, for explanations in pages and the API."""

    start: dt.datetime
    effective_start: dt.datetime  # the first business-hours instant at or after start
    after_days: dt.datetime  # effective_start moved by `days` working days
    duration: dt.timedelta  # half days and hours, as working time
    half_day: dt.timedelta
    due: dt.datetime
    skipped_dates: tuple[dt.date, ...]  # non-working dates passed over between start and due


@dataclass(frozen=True)
class WorkingCalendar:
    """A loaded service calendar: periods and overrides, nothing lazy behind it."""

    code: str
    kind: str = BUSINESS_HOURS
    periods: tuple[Period, ...] = ((9 * 60, 12 * 60), (13 * 60 + 30, 18 * 60))
    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    override_notes: Mapping[dt.date, str] = field(default_factory=dict)
    name: str = ""
    tz: dt.tzinfo = SHANGHAI

    def __post_init__(self) -> None:
        if self.kind == ROUND_THE_CLOCK:
            object.__setattr__(self, "periods", ((0, MINUTES_PER_DAY),))
        else:
            object.__setattr__(self, "periods", check_periods(self.periods))

    # ---- days -------------------------------------------------------------

    @property
    def is_round_the_clock(self) -> bool:
        return self.kind == ROUND_THE_CLOCK

    @property
    def daily_working_time(self) -> dt.timedelta:
        return dt.timedelta(minutes=sum(end - start for start, end in self.periods))

    def day_info(self, day: dt.date) -> DayInfo:
        """The working status of `day` with the statutory facts behind it."""
        try:
            on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
            statutory_working, source = not on_holiday, "statutory"
        except NotImplementedError:
            holiday, statutory_working, source = None, day.weekday() < 5, "weekday"
        makeup = source == "statutory" and statutory_working and day.weekday() >= 5
        override = self.overrides.get(day)
        if self.is_round_the_clock:
            is_working, source, override = True, ROUND_THE_CLOCK, None
        elif override is not None:
            is_working, source = override, "override"
        else:
            is_working = statutory_working
        return DayInfo(
            date=day,
            is_working=is_working,
            holiday=holiday,
            is_makeup_workday=makeup,
            is_statutory_holiday=holiday is not None and not statutory_working,
            override=override,
            override_note=self.override_notes.get(day, "") if override is not None else "",
            source=source,
        )

    def is_working_day(self, day: dt.date) -> bool:
        if self.is_round_the_clock:
            return True
        override = self.overrides.get(day)
        if override is not None:
            return override
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            return day.weekday() < 5

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        for offset in range(1, SEARCH_LIMIT_DAYS + 1):
            candidate = day + dt.timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise OutOfRangeError(f"No working day within {SEARCH_LIMIT_DAYS} days after {day}.")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in [start, end); negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1 for n in range((end - start).days) if self.is_working_day(start + dt.timedelta(n))
        )

    def intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The business-hours intervals of `day` as aware datetimes; none on a closed day."""
        if not self.is_working_day(day):
            return []
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
        return [
            (midnight + dt.timedelta(minutes=s), midnight + dt.timedelta(minutes=e))
            for s, e in self.periods
        ]

    def month(self, year: int, month: int) -> list[DayInfo]:
        day = dt.date(year, month, 1)
        days = []
        while day.month == month:
            days.append(self.day_info(day))
            day += dt.timedelta(days=1)
        return days

    # ---- instants ---------------------------------------------------------

    def local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("Working-time arithmetic needs a time-zone-aware datetime.")
        return moment.astimezone(self.tz)

    def _days_from(self, day: dt.date) -> Iterator[dt.date]:
        for offset in range(SEARCH_LIMIT_DAYS + 1):
            yield day + dt.timedelta(days=offset)
        raise OutOfRangeError(f"No working time within {SEARCH_LIMIT_DAYS} days after {day}.")

    def next_business_instant(self, moment: dt.datetime) -> dt.datetime:
        """`moment` if inside business hours, else the start of the next period."""
        moment = self.local(moment)
        for day in self._days_from(moment.date()):
            for begin, end in self.intervals(day):
                if moment < end:
                    return max(begin, moment)
        raise AssertionError("unreachable")  # pragma: no cover

    def is_business_instant(self, moment: dt.datetime) -> bool:
        """Inside a period, its end included (where a due time may land)."""
        moment = self.local(moment)
        return any(begin <= moment <= end for begin, end in self.intervals(moment.date()))

    def explain(
        self,
        start: dt.datetime,
        *,
        days: int = 0,
        half_days: int = 0,
        hours: float | int | Decimal = 0,
    ) -> WorkingTimeResult:
        """Add working time to `start` (rules in the module docstring), showing each step.

        Raises ValueError for a naive start or a negative amount, OutOfRangeError when
        the due time lies more than SEARCH_LIMIT_DAYS past the start of a step or
        beyond the year 9999.
        """
        if days < 0 or half_days < 0 or hours < 0:
            raise ValueError("Working time to add must not be negative.")
        try:
            return self._explain(start, int(days), int(half_days), _hours(hours))
        except OverflowError as exc:
            raise OutOfRangeError("The due time lies beyond the year 9999.") from exc

    def _explain(
        self, start: dt.datetime, days: int, half_days: int, hours: dt.timedelta
    ) -> WorkingTimeResult:
        start = self.local(start)
        effective = self.next_business_instant(start)
        after_days = effective
        clock = effective.timetz().replace(tzinfo=None)
        day = effective.date()
        for _step in range(days):
            day = self.next_working_day(day)
        if days:
            after_days = dt.datetime.combine(day, clock, tzinfo=self.tz)
        half_day = self.daily_working_time / 2
        duration = half_day * half_days + hours
        due = self._advance(after_days, duration)
        skipped = tuple(
            start.date() + dt.timedelta(n)
            for n in range((due.date() - start.date()).days + 1)
            if not self.is_working_day(start.date() + dt.timedelta(n))
        )
        return WorkingTimeResult(start, effective, after_days, duration, half_day, due, skipped)

    def _advance(self, cursor: dt.datetime, remaining: dt.timedelta) -> dt.datetime:
        if not remaining:
            return cursor
        for day in self._days_from(cursor.date()):
            for begin, end in self.intervals(day):
                if end <= cursor:
                    continue
                begin = max(begin, cursor)
                available = end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        raise AssertionError("unreachable")  # pragma: no cover

    def add(self, start: dt.datetime, **amounts) -> dt.datetime:
        return self.explain(start, **amounts).due

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time inside [start, end]; negative when end is before start."""
        try:
            return self._between(self.local(start), self.local(end))
        except OverflowError as exc:
            raise OutOfRangeError("The instant lies beyond the year 9999.") from exc

    def _between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        if end < start:
            return -self._between(end, start)
        total = dt.timedelta(0)
        day = start.date()
        while day <= end.date():
            for begin, finish in self.intervals(day):
                overlap = min(finish, end) - max(begin, start)
                if overlap > dt.timedelta(0):
                    total += overlap
            if day == end.date():
                break
            day += dt.timedelta(days=1)
        return total
