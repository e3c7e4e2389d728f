"""Services, selectors and the public working-time functions, against the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from kehu.core.audit.models import ChangeLogEntry
from kehu.core.calendar import selectors, services
from kehu.core.calendar.engine import SHANGHAI
from kehu.core.calendar.models import CalendarOverride, ServiceCalendar
from kehu.core.calendar.working_time import (
    add_working_time,
    explain_working_time,
    is_working_day,
    load_calendar,
    next_working_day,
    working_days_between,
    working_time_between,
)

pytestmark = pytest.mark.django_db


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def five_by_eight() -> ServiceCalendar:
    return ServiceCalendar.objects.get(code="5x8")


# --- the shipped calendars ----------------------------------------------------------


def test_the_migration_ships_5x8_and_7x24_with_default_hours():
    rows = {c.code: c for c in ServiceCalendar.objects.all()}

    assert set(rows) == {"5x8", "7x24"}
    assert rows["5x8"].business_hours_text == "09:00-12:00,13:30-18:00"
    assert rows["7x24"].business_hours_text == "00:00-24:00"


def test_missing_defaults_are_recreated_on_first_use():
    ServiceCalendar.objects.all().delete()

    assert load_calendar("7x24").is_round_the_clock
    assert ServiceCalendar.objects.count() == 2


def test_unknown_calendar_names_the_field():
    with pytest.raises(ValidationError) as caught:
        load_calendar("9x9")
    assert list(caught.value.message_dict) == ["calendar"]


# --- the public functions other apps use ----------------------------------------------


def test_add_working_time_uses_the_5x8_calendar_by_default():
    assert add_working_time(at("2026-02-13T10:00"), days=2) == at("2026-02-24T10:00")
    assert add_working_time(at("2026-02-13T15:00"), half_days=1) == at("2026-02-14T09:45")
    assert add_working_time(at("2026-02-13T22:00"), hours=5, calendar="7x24") == at(
        "2026-02-14T03:00"
    )


def test_working_time_between_and_day_helpers():
    calendar = load_calendar()

    assert working_time_between(
        at("2026-02-13T09:00"), at("2026-02-24T18:00"), calendar=calendar
    ) == dt.timedelta(hours=22, minutes=30)
    assert is_working_day(dt.date(2026, 9, 20), calendar=calendar)
    assert not is_working_day(at("2026-10-01T10:00"))
    assert next_working_day(dt.date(2026, 9, 30)) == dt.date(2026, 10, 8)
    assert working_days_between(dt.date(2026, 10, 1), dt.date(2026, 10, 12)) == 3
    assert explain_working_time(at("2026-02-14T17:00"), hours=2).skipped_dates[0] == dt.date(
        2026, 2, 15
    )


# --- business hours -----------------------------------------------------------------


def test_new_business_hours_change_later_results(personas):
    before = add_working_time(at("2026-03-03T10:00"), half_days=1)

    calendar = services.calendar_set_business_hours(
        actor=personas.root,
        calendar=five_by_eight(),
        business_hours="08:00-12:00,13:00-17:00",
        version=1,
    )

    assert (calendar.version, calendar.updated_by) == (2, personas.root)
    assert before == at("2026-03-03T15:15")
    assert add_working_time(at("2026-03-03T10:00"), half_days=1) == at(
        "2026-03-03T15:00"
    )  # 4 h: 2 h + 2 h after lunch


def test_business_hours_accept_minute_pairs(personas):
    calendar = services.calendar_set_business_hours(
        actor=personas.root, calendar=five_by_eight(), business_hours=[[780, 1020], [480, 720]]
    )
    assert calendar.business_hours == [[480, 720], [780, 1020]]


@pytest.mark.parametrize(
    "bad", ["09:00-08:00", "09:00-12:00,11:00-13:00", "nine to five", "", [[1, "x"]], [[600]]]
)
def test_bad_business_hours_name_the_field_and_change_nothing(personas, bad):
    with pytest.raises(ValidationError) as caught:
        services.calendar_set_business_hours(
            actor=personas.root, calendar=five_by_eight(), business_hours=bad
        )

    assert list(caught.value.message_dict) == ["business_hours"]
    assert (five_by_eight().business_hours, five_by_eight().version) == (
        [[540, 720], [810, 1080]],
        1,
    )


def test_stale_version_is_refused(personas):
    stale = five_by_eight()
    services.calendar_set_business_hours(
        actor=personas.root, calendar=stale, business_hours="08:00-17:00", version=1
    )

    with pytest.raises(ValidationError) as caught:
        services.calendar_set_business_hours(
            actor=personas.root, calendar=stale, business_hours="10:00-16:00", version=1
        )
    assert list(caught.value.message_dict) == ["version"]
    assert five_by_eight().business_hours == [[480, 1020]]


def test_round_the_clock_has_no_business_hours(personas):
    with pytest.raises(ValidationError) as caught:
        services.calendar_set_business_hours(
            actor=personas.root,
            calendar=ServiceCalendar.objects.get(code="7x24"),
            business_hours="09:00-17:00",
        )
    assert list(caught.value.message_dict) == ["business_hours"]


def test_business_hours_edit_is_in_the_change_log(personas):
    services.calendar_set_business_hours(
        actor=personas.root, calendar=five_by_eight(), business_hours="08:00-17:00"
    )

    entry = ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ServiceCalendar)
    ).get()
    assert [change["field"] for change in entry.changes] == ["business_hours"]


# --- company days -------------------------------------------------------------------


def test_company_closed_day_changes_the_due_time(personas):
    assert add_working_time(at("2026-03-05T10:00"), days=1) == at("2026-03-06T10:00")

    override, created = services.calendar_override_set(
        actor=personas.root, date=dt.date(2026, 3, 6), is_working=False, note=" 年会 "
    )

    assert created and override.note == "年会" and override.created_by == personas.root
    assert add_working_time(at("2026-03-05T10:00"), days=1) == at("2026-03-09T10:00")
    assert add_working_time(at("2026-03-05T10:00"), days=1, calendar="7x24") == at(
        "2026-03-06T10:00"
    )


def test_company_working_day_opens_a_holiday_and_replacing_keeps_one_row(personas):
    services.calendar_override_set(actor=personas.root, date=dt.date(2026, 2, 16), is_working=False)
    override, created = services.calendar_override_set(
        actor=personas.root, date=dt.date(2026, 2, 16), is_working=True, note="值班"
    )

    assert not created and CalendarOverride.objects.count() == 1
    assert add_working_time(at("2026-02-14T17:00"), hours=2) == at("2026-02-16T10:00")
    assert load_calendar().day_info(dt.date(2026, 2, 16)).override_note == "值班"


def test_removing_a_company_day_restores_the_statutory_day(personas):
    override, _ = services.calendar_override_set(
        actor=personas.root, date=dt.date(2026, 3, 6), is_working=False
    )

    services.calendar_override_delete(actor=personas.root, override=override)

    assert not CalendarOverride.objects.exists()
    assert is_working_day(dt.date(2026, 3, 6))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"date": dt.date(2026, 3, 6), "is_working": False, "note": "长" * 201}, "note"),
        ({"date": "2026-03-06", "is_working": False}, "date"),
        ({"date": dt.date(2026, 3, 6), "is_working": "no"}, "is_working"),
    ],
)
def test_bad_company_day_names_the_field_and_changes_nothing(personas, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        services.calendar_override_set(actor=personas.root, **kwargs)

    assert list(caught.value.message_dict) == [field]
    assert not CalendarOverride.objects.exists()


def test_override_list_filters_by_year(personas):
    for day in (dt.date(2025, 12, 31), dt.date(2026, 1, 2)):
        services.calendar_override_set(actor=personas.root, date=day, is_working=True)

    assert [o.date.year for o in selectors.override_list(2026)] == [2026]
    assert len(selectors.override_list()) == 2


def test_working_time_between_refuses_more_than_ten_years_on_the_end_field():
    from django.utils.translation import override

    with override("zh-hans"), pytest.raises(ValidationError) as caught:
        working_time_between(at("2026-01-01T00:00"), at("2037-01-01T00:00"))

    assert caught.value.message_dict == {"end": ["开始时间与结束时间最多相隔十年。"]}
    assert working_time_between(at("2026-01-01T00:00"), at("2035-12-31T00:00")) > dt.timedelta(0)


def give_create_only(user):
    from kehu.accounts.models import Role, RoleGrant
    from kehu.accounts.permissions import forget_grants
    from kehu.core.calendar.apps import RECORD_TYPE

    role = Role.objects.create(code="daykeeper", name="daykeeper")
    RoleGrant.objects.create(role=role, record_type=RECORD_TYPE, actions=["view", "create"], scope="all")
    user.roles.add(role)
    forget_grants(user)


def test_create_right_alone_cannot_replace_an_existing_company_day(personas):
    from django.core.exceptions import PermissionDenied

    give_create_only(personas.dave)
    services.calendar_override_set(actor=personas.root, date=dt.date(2026, 3, 6), is_working=False, note="年会")

    with pytest.raises(PermissionDenied):
        services.calendar_override_set(actor=personas.dave, date=dt.date(2026, 3, 6), is_working=True)

    override = CalendarOverride.objects.get()
    assert override.is_working is False and override.note == "年会"
    _, created = services.calendar_override_set(actor=personas.dave, date=dt.date(2026, 3, 9), is_working=False)
    assert created
