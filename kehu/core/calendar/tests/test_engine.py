"""Working-time arithmetic (engine.py): statutory holidays, 调休, business hours, half days.

Every statutory fact used below is checked against `chinese_calendar` first, so a
test fails loudly (not silently wrong) if the package's data ever changes.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kehu.core.calendar import engine
from kehu.core.calendar.engine import (
    ROUND_THE_CLOCK,
    SHANGHAI,
    BusinessHoursError,
    OutOfRangeError,
    WorkingCalendar,
)

FIVE_BY_EIGHT = WorkingCalendar(code="5x8")
SEVEN_BY_24 = WorkingCalendar(code="7x24", kind=ROUND_THE_CLOCK)
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- the statutory facts the tests rely on ------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-02-13", True),  # Friday before the Spring Festival
        ("2026-02-14", True),  # Saturday, 调休 make-up workday
        *[(f"2026-02-{n}", False) for n in range(15, 24)],  # Spring Festival 02-15..02-23
        ("2026-02-24", True),
        ("2026-02-28", True),  # Saturday, make-up workday
        ("2026-09-19", False),  # plain Saturday
        ("2026-09-20", True),  # Sunday, make-up workday for National Day
        *[(f"2026-10-0{n}", False) for n in range(1, 8)],  # National Day 10-01..10-07
        ("2026-10-08", True),
        ("2026-10-10", True),  # Saturday, make-up workday
        ("2026-10-11", False),
    ],
)
def test_statutory_facts_match_chinese_calendar(day, working):
    assert chinese_calendar.is_workday(d(day)) is working
    assert FIVE_BY_EIGHT.is_working_day(d(day)) is working


def test_day_info_names_holidays_and_makeup_days():
    makeup = FIVE_BY_EIGHT.day_info(d("2026-02-14"))
    holiday = FIVE_BY_EIGHT.day_info(d("2026-02-17"))
    weekend = FIVE_BY_EIGHT.day_info(d("2026-09-19"))

    assert (makeup.is_working, makeup.is_makeup_workday, makeup.is_statutory_holiday) == (
        True,
        True,
        False,
    )
    assert makeup.holiday == "Spring Festival"
    assert (holiday.is_working, holiday.is_statutory_holiday, holiday.holiday) == (
        False,
        True,
        "Spring Festival",
    )
    assert (weekend.is_working, weekend.is_statutory_holiday, weekend.is_makeup_workday) == (
        False,
        False,
        False,
    )
    assert {makeup.source, holiday.source, weekend.source} == {"statutory"}


def test_year_without_statutory_data_counts_monday_to_friday():
    assert not engine.has_statutory_data(2199)
    monday, saturday = (
        FIVE_BY_EIGHT.day_info(d("2199-01-07")),
        FIVE_BY_EIGHT.day_info(d("2199-01-05")),
    )
    assert monday.date.weekday() == 0 and monday.is_working and monday.source == "weekday"
    assert saturday.date.weekday() == 5 and not saturday.is_working


# --- Spring Festival 2026 -----------------------------------------------------------


def test_one_day_before_spring_festival_lands_on_the_makeup_saturday():
    assert FIVE_BY_EIGHT.add(at("2026-02-13T10:00"), days=1) == at("2026-02-14T10:00")


def test_two_days_before_spring_festival_jump_the_whole_holiday():
    assert FIVE_BY_EIGHT.add(at("2026-02-13T10:00"), days=2) == at("2026-02-24T10:00")


def test_half_day_asked_friday_afternoon_is_due_on_the_makeup_saturday():
    # 15:00–18:00 is 3 h of the 3 h 45 min; the remaining 45 min fall on Saturday 02-14.
    assert FIVE_BY_EIGHT.add(at("2026-02-13T15:00"), half_days=1) == at("2026-02-14T09:45")


def test_hours_cross_the_holiday_and_list_the_skipped_dates():
    result = FIVE_BY_EIGHT.explain(at("2026-02-14T17:00"), hours=2)

    assert result.due == at("2026-02-24T10:00")
    assert result.skipped_dates == tuple(d(f"2026-02-{n}") for n in range(15, 24))


def test_a_start_inside_the_holiday_counts_from_the_first_working_morning():
    result = FIVE_BY_EIGHT.explain(at("2026-02-18T11:00"), hours=1)

    assert result.effective_start == at("2026-02-24T09:00")
    assert result.due == at("2026-02-24T10:00")


def test_working_time_between_spans_the_spring_festival():
    # 02-13, 02-14 and 02-24 are worked: 3 × 7 h 30 min.
    assert FIVE_BY_EIGHT.between(at("2026-02-13T09:00"), at("2026-02-24T18:00")) == 22 * H + 30 * M
    assert FIVE_BY_EIGHT.between(at("2026-02-15T00:00"), at("2026-02-23T23:59")) == dt.timedelta(0)


# --- National Day 2026 --------------------------------------------------------------


def test_saturday_before_the_makeup_sunday_starts_on_the_sunday():
    result = FIVE_BY_EIGHT.explain(at("2026-09-19T10:00"), hours=1)

    assert result.effective_start == at("2026-09-20T09:00")
    assert result.due == at("2026-09-20T10:00")


def test_hours_from_the_last_day_before_national_day_resume_on_october_8():
    assert FIVE_BY_EIGHT.add(at("2026-09-30T17:00"), hours=2) == at("2026-10-08T10:00")
    assert FIVE_BY_EIGHT.add(at("2026-09-30T10:00"), days=1) == at("2026-10-08T10:00")


def test_friday_after_national_day_plus_one_day_is_the_makeup_saturday():
    assert FIVE_BY_EIGHT.add(at("2026-10-09T16:00"), days=1) == at("2026-10-10T16:00")
    assert FIVE_BY_EIGHT.add(at("2026-10-10T16:00"), days=1) == at("2026-10-12T16:00")


def test_between_over_national_day_counts_the_makeup_days():
    # 09-30, 10-08, 10-09, 10-10 (Saturday) worked; 10-01..10-07 and 10-11 not.
    assert FIVE_BY_EIGHT.between(at("2026-09-30T09:00"), at("2026-10-11T23:00")) == 4 * (
        7 * H + 30 * M
    )


# --- business hours, lunch break, half days ------------------------------------------


def test_lunch_break_is_not_working_time():
    assert FIVE_BY_EIGHT.add(at("2026-03-03T11:00"), hours=2) == at("2026-03-03T14:30")
    assert FIVE_BY_EIGHT.between(at("2026-03-03T11:00"), at("2026-03-03T14:30")) == 2 * H


def test_start_in_the_lunch_break_or_at_noon_moves_to_13_30():
    assert FIVE_BY_EIGHT.explain(at("2026-03-03T12:00"), hours=1).effective_start == at(
        "2026-03-03T13:30"
    )
    assert FIVE_BY_EIGHT.add(at("2026-03-03T12:45"), hours=1) == at("2026-03-03T14:30")


def test_due_may_be_the_end_of_a_period():
    assert FIVE_BY_EIGHT.add(at("2026-03-03T09:00"), hours=3) == at("2026-03-03T12:00")
    assert FIVE_BY_EIGHT.add(at("2026-03-03T09:00"), hours=7.5) == at("2026-03-03T18:00")


def test_start_after_hours_counts_from_the_next_working_morning():
    # Friday 2026-03-06 19:00 → Monday 03-09 09:00.
    assert FIVE_BY_EIGHT.add(at("2026-03-06T19:00"), hours=1) == at("2026-03-09T10:00")


def test_half_day_is_half_of_the_daily_working_time():
    assert FIVE_BY_EIGHT.daily_working_time == 7 * H + 30 * M  # 3 h + 4 h 30 min
    assert FIVE_BY_EIGHT.add(at("2026-03-03T10:00"), half_days=1) == at("2026-03-03T15:15")
    assert FIVE_BY_EIGHT.add(at("2026-03-03T15:00"), half_days=1) == at("2026-03-04T09:45")
    assert FIVE_BY_EIGHT.add(at("2026-03-03T09:00"), half_days=2) == at("2026-03-03T18:00")


def test_days_keep_the_clock_time_then_half_days_and_hours_are_added():
    result = FIVE_BY_EIGHT.explain(at("2026-03-06T10:00"), days=1, half_days=1, hours=1)

    assert result.after_days == at("2026-03-09T10:00")
    assert result.due == at("2026-03-09T16:15")  # 3 h 45 min + 1 h from Monday 10:00


def test_custom_business_hours_change_the_half_day():
    calendar = WorkingCalendar(
        code="x", periods=engine.parse_business_hours("08:00-12:00，13:00-17:00")
    )

    assert calendar.explain(at("2026-03-03T08:00"), half_days=1).half_day == 4 * H
    assert calendar.add(at("2026-03-03T10:00"), hours=3) == at("2026-03-03T14:00")


def test_zero_amount_is_the_effective_start():
    assert FIVE_BY_EIGHT.add(at("2026-03-03T10:00")) == at("2026-03-03T10:00")
    assert FIVE_BY_EIGHT.add(at("2026-03-03T07:00")) == at("2026-03-03T09:00")


@pytest.mark.parametrize("amounts", [{"days": -1}, {"half_days": -1}, {"hours": -0.5}])
def test_negative_amounts_are_refused(amounts):
    with pytest.raises(ValueError, match="negative"):
        FIVE_BY_EIGHT.add(at("2026-03-03T10:00"), **amounts)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        FIVE_BY_EIGHT.add(dt.datetime(2026, 3, 3, 10), hours=1)


def test_other_time_zones_are_read_as_shanghai_time():
    start = dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
    due = FIVE_BY_EIGHT.add(start, hours=1)

    assert due == at("2026-03-03T11:00") and due.tzinfo == SHANGHAI


def test_between_is_negative_when_end_is_before_start():
    assert FIVE_BY_EIGHT.between(at("2026-03-03T11:00"), at("2026-03-03T10:00")) == -H


def test_working_days_between_and_next_working_day():
    assert FIVE_BY_EIGHT.working_days_between(d("2026-02-13"), d("2026-02-25")) == 3
    assert FIVE_BY_EIGHT.working_days_between(d("2026-02-25"), d("2026-02-13")) == -3
    assert FIVE_BY_EIGHT.next_working_day(d("2026-02-14")) == d("2026-02-24")


def test_hours_are_exact_for_decimals():
    from decimal import Decimal

    assert FIVE_BY_EIGHT.add(at("2026-03-03T09:00"), hours=Decimal("0.1")) == at("2026-03-03T09:06")


# --- overrides ----------------------------------------------------------------------


def test_company_closed_day_is_skipped_and_extra_working_day_is_counted():
    closed = WorkingCalendar(code="5x8", overrides={d("2026-03-06"): False})
    opened = WorkingCalendar(code="5x8", overrides={d("2026-03-07"): True})

    assert FIVE_BY_EIGHT.add(at("2026-03-05T10:00"), days=1) == at("2026-03-06T10:00")
    assert closed.add(at("2026-03-05T10:00"), days=1) == at("2026-03-09T10:00")
    assert opened.add(at("2026-03-06T10:00"), days=1) == at("2026-03-07T10:00")
    assert closed.day_info(d("2026-03-06")).source == "override"


def test_override_can_open_a_statutory_holiday():
    calendar = WorkingCalendar(
        code="5x8", overrides={d("2026-02-16"): True}, override_notes={d("2026-02-16"): "值班"}
    )

    info = calendar.day_info(d("2026-02-16"))
    assert (info.is_working, info.override, info.override_note) == (True, True, "值班")
    assert calendar.add(at("2026-02-14T17:00"), hours=2) == at("2026-02-16T10:00")


# --- 7×24 ---------------------------------------------------------------------------


def test_round_the_clock_counts_every_minute_of_holidays_too():
    start = at("2026-02-13T22:00")

    assert SEVEN_BY_24.add(start, hours=5) == at("2026-02-14T03:00")
    assert SEVEN_BY_24.add(start, days=2) == at("2026-02-15T22:00")
    assert SEVEN_BY_24.add(start, half_days=1) == at("2026-02-14T10:00")
    assert SEVEN_BY_24.between(start, at("2026-02-23T22:00")) == dt.timedelta(days=10)


def test_round_the_clock_ignores_overrides_and_5x8_does_not():
    start = at("2026-02-13T10:00")
    seven = WorkingCalendar(code="7x24", kind=ROUND_THE_CLOCK, overrides={d("2026-02-14"): False})

    assert seven.add(start, days=1) == at("2026-02-14T10:00")
    assert FIVE_BY_EIGHT.add(start, hours=9) != SEVEN_BY_24.add(start, hours=9)


# --- parsing and limits -------------------------------------------------------------


def test_parse_business_hours():
    assert engine.parse_business_hours("13:30-18:00, 09:00-12:00") == ((540, 720), (810, 1080))
    assert engine.format_business_hours(((540, 720), (810, 1080))) == "09:00-12:00,13:30-18:00"
    assert engine.parse_business_hours("00:00-24:00") == ((0, 1440),)


@pytest.mark.parametrize(
    "text",
    ["", "09:00", "9-12", "09:00-08:00", "09:00-12:00,11:00-13:00", "25:00-26:00", "09:61-10:00"],
)
def test_bad_business_hours_are_refused(text):
    with pytest.raises(BusinessHoursError):
        engine.parse_business_hours(text)


def test_due_too_far_away_is_out_of_range():
    one_minute = WorkingCalendar(code="x", periods=((540, 541),))
    with pytest.raises(OutOfRangeError):
        one_minute.add(at("2026-03-03T09:00"), hours=100)  # 6000 working days
    with pytest.raises(OutOfRangeError):
        FIVE_BY_EIGHT.add(dt.datetime(9999, 12, 31, 17, tzinfo=SHANGHAI), days=1)


# --- properties ---------------------------------------------------------------------

starts = st.datetimes(min_value=dt.datetime(2025, 12, 1), max_value=dt.datetime(2026, 11, 30)).map(
    lambda moment: moment.replace(second=0, microsecond=0, tzinfo=SHANGHAI)
)
minutes = st.integers(min_value=0, max_value=200 * 60)
PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(start=starts, a=minutes, b=minutes)
def test_property_due_is_monotonic_in_hours(start, a, b):
    low, high = sorted((a, b))
    assert FIVE_BY_EIGHT.add(start, hours=low / 60) <= FIVE_BY_EIGHT.add(start, hours=high / 60)


@PROPERTY
@given(start=starts, a=st.integers(0, 40), b=st.integers(0, 40), half=st.booleans())
def test_property_due_is_monotonic_in_days_and_half_days(start, a, b, half):
    low, high = sorted((a, b))
    unit = "half_days" if half else "days"
    assert FIVE_BY_EIGHT.add(start, **{unit: low}) <= FIVE_BY_EIGHT.add(start, **{unit: high})


@PROPERTY
@given(start=starts, days=st.integers(0, 30), half_days=st.integers(0, 10), amount=minutes)
def test_property_due_never_lands_in_non_working_time(start, days, half_days, amount):
    due = FIVE_BY_EIGHT.add(start, days=days, half_days=half_days, hours=amount / 60)

    assert FIVE_BY_EIGHT.is_working_day(due.date())
    assert FIVE_BY_EIGHT.is_business_instant(due)
    assert due >= start
    if due.year <= 2026:
        assert not chinese_calendar.is_holiday(due.date())


@PROPERTY
@given(start=starts, days=st.integers(0, 30), half_days=st.integers(0, 10), amount=minutes)
def test_property_add_then_between_round_trips(start, days, half_days, amount):
    due = FIVE_BY_EIGHT.add(start, days=days, half_days=half_days, hours=amount / 60)
    expected = (
        FIVE_BY_EIGHT.daily_working_time * days + FIVE_BY_EIGHT.daily_working_time / 2 * half_days
    )
    expected += amount * M

    assert FIVE_BY_EIGHT.between(start, due) == expected


@PROPERTY
@given(start=starts, amount=st.integers(1, 200 * 60))
def test_property_due_is_the_first_instant_with_enough_working_time(start, amount):
    due = FIVE_BY_EIGHT.add(start, hours=amount / 60)
    assume(due - M >= start)

    assert FIVE_BY_EIGHT.between(start, due - M) < amount * M


@PROPERTY
@given(a=starts, b=starts, c=starts)
def test_property_between_is_additive(a, b, c):
    a, b, c = sorted((a, b, c))
    assert FIVE_BY_EIGHT.between(a, b) + FIVE_BY_EIGHT.between(b, c) == FIVE_BY_EIGHT.between(a, c)


@PROPERTY
@given(start=starts, amount=minutes, half_days=st.integers(0, 10))
def test_property_round_the_clock_is_plain_time(start, amount, half_days):
    due = SEVEN_BY_24.add(start, half_days=half_days, hours=amount / 60)

    assert due == start + dt.timedelta(hours=12 * half_days, minutes=amount)
    assert SEVEN_BY_24.between(start, due) == due - start
