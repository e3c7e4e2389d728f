"""API schemas of the working-day calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from kehu.core.calendar.defaults import DEFAULT_CODE

MAX_DAYS = 3660  # ten years of working days is more than any deadline needs
MAX_HOURS = 87840


class DueQuery(Schema):
    start: dt.datetime = Field(description="Start; without an offset it is Asia/Shanghai time.")
    days: int = Field(0, ge=0, le=MAX_DAYS, description="Working days (clock time kept).")
    half_days: int = Field(0, ge=0, le=2 * MAX_DAYS, description="Half working days.")
    hours: Decimal = Field(Decimal(0), ge=0, le=MAX_HOURS, decimal_places=4)
    calendar: str = Field(DEFAULT_CODE, max_length=20, description="Calendar code: 5x8 or 7x24.")


class DueOut(Schema):
    calendar: str
    start: dt.datetime
    effective_start: dt.datetime
    due: dt.datetime
    days: int
    half_days: int
    hours: Decimal
    half_day_minutes: float
    working_minutes_added: float
    skipped_dates: list[dt.date]
    explanation: list[str]


class BetweenQuery(Schema):
    start: dt.datetime
    end: dt.datetime
    calendar: str = Field(DEFAULT_CODE, max_length=20)


class BetweenOut(Schema):
    calendar: str
    start: dt.datetime
    end: dt.datetime
    working_minutes: float
    working_seconds: int


class MonthQuery(Schema):
    calendar: str = Field(DEFAULT_CODE, max_length=20)


class DayOut(Schema):
    date: dt.date
    weekday: int = Field(description="1 = Monday … 7 = Sunday")
    is_working: bool
    holiday: str | None = Field(description="Statutory holiday name from chinese_calendar")
    holiday_label: str | None = Field(description="The holiday name in the user's language")
    is_statutory_holiday: bool
    is_makeup_workday: bool = Field(description="调休: a weekend day worked by statutory rule")
    override: bool | None = Field(description="Company override: true working, false closed")
    override_note: str
    source: str = Field(
        description="statutory, weekday (no statutory data), override, round_the_clock"
    )


class MonthOut(Schema):
    calendar: str
    year: int
    month: int
    statutory_data: bool = Field(
        description="False: no holiday data for this year; Mon–Fri assumed"
    )
    days: list[DayOut]


class PeriodSchema(Schema):
    start: str = Field(pattern=r"^\d{2}:\d{2}$", examples=["09:00"])
    end: str = Field(pattern=r"^\d{2}:\d{2}$", examples=["12:00"])


class CalendarOut(Schema):
    code: str
    name: str
    kind: str
    business_hours: list[PeriodSchema]
    daily_working_minutes: int
    version: int


class BusinessHoursIn(Schema):
    business_hours: list[PeriodSchema] = Field(min_length=1, max_length=12)
    version: int | None = Field(None, description="The version read; a stale one is refused")


class OverrideIn(Schema):
    date: dt.date
    is_working: bool
    note: str = Field("", max_length=200)


class OverrideOut(Schema):
    date: dt.date
    is_working: bool
    note: str
    created_at: dt.datetime


class OverrideQuery(Schema):
    year: int | None = Field(None, ge=1900, le=2200)
