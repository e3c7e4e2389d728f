"""/api/v1/calendar: arithmetic for everyone logged in, administration for root."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from kehu.core.calendar.models import CalendarOverride, ServiceCalendar

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def due(client, **params):
    return client.get(reverse("api:calendar_add_working_time"), params)


def put_hours(client, periods, code="5x8", **extra):
    body = {"business_hours": [{"start": s, "end": e} for s, e in periods], **extra}
    return client.put(
        reverse("api:calendar_business_hours_update", args=[code]),
        json.dumps(body),
        content_type="application/json",
    )


def post_override(client, **body):
    return client.post(
        reverse("api:calendar_override_create"), json.dumps(body), content_type="application/json"
    )


def fields(response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


# --- arithmetic ---------------------------------------------------------------------


def test_due_across_the_spring_festival_with_a_chinese_explanation(personas):
    response = due(client_for(personas.alice), start="2026-02-14T17:00:00+08:00", hours="2")

    body = response.json()
    assert response.status_code == 200
    assert body["due"] == "2026-02-24T10:00:00+08:00"
    assert body["working_minutes_added"] == 120
    assert body["skipped_dates"][0] == "2026-02-15" and body["skipped_dates"][-1] == "2026-02-23"
    assert body["explanation"][-1] == "截止时间：2026-02-24 10:00。"
    assert any("跳过 9 个非工作日" in line for line in body["explanation"])


def test_start_without_offset_is_shanghai_time_and_utc_is_converted(personas):
    client = client_for(personas.alice)

    naive = due(client, start="2026-02-13T15:00", half_days=1).json()
    utc = due(client, start="2026-02-13T07:00:00Z", half_days=1).json()

    assert naive["due"] == utc["due"] == "2026-02-14T09:45:00+08:00"
    assert naive["half_day_minutes"] == 225


def test_due_on_the_7x24_calendar(personas):
    body = due(
        client_for(personas.dave), start="2026-10-01T10:00:00+08:00", days=1, calendar="7x24"
    ).json()

    assert body["due"] == "2026-10-02T10:00:00+08:00" and body["calendar"] == "7x24"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-02-13T10:00", "days": -1}, "days"),
        ({"start": "2026-02-13T10:00", "hours": "abc"}, "hours"),
        ({"start": "not a time"}, "start"),
        ({}, "start"),
        ({"start": "2026-02-13T10:00", "calendar": "9x9"}, "calendar"),
        ({"start": "9999-12-31T10:00"}, "start"),
        ({"start": "2026-02-13T10:00", "days": 99999}, "days"),
    ],
)
def test_bad_due_input_is_422_naming_the_field(personas, params, field):
    response = due(client_for(personas.alice), **params)

    assert response.status_code == 422
    assert fields(response) == [field]


def test_due_too_far_away_is_422_on_the_amount(personas):
    ServiceCalendar.objects.filter(code="5x8").update(business_hours=[[540, 541]])

    response = due(client_for(personas.alice), start="2026-02-13T09:00", hours="5000")

    assert response.status_code == 422
    assert fields(response) == ["hours"]
    assert response.json()["errors"][0]["message"] == "截止时间太远，无法计算，请减小时长。"


def test_working_time_between(personas):
    client = client_for(personas.bob)
    url = reverse("api:calendar_working_time_between")

    body = client.get(url, {"start": "2026-09-30T09:00", "end": "2026-10-11T23:00"}).json()
    back = client.get(url, {"start": "2026-10-11T23:00", "end": "2026-09-30T09:00"}).json()
    too_long = client.get(url, {"start": "2026-01-01T00:00", "end": "2037-01-01T00:00"})

    assert body["working_minutes"] == 4 * 450 and body["working_seconds"] == 4 * 450 * 60
    assert back["working_minutes"] == -4 * 450
    assert too_long.status_code == 422 and fields(too_long) == ["end"]


def test_month_marks_holidays_makeup_days_and_overrides(personas):
    CalendarOverride.objects.create(date="2026-02-27", is_working=False, note="年会")

    body = client_for(personas.erin).get(reverse("api:calendar_month", args=[2026, 2])).json()
    days = {day["date"]: day for day in body["days"]}

    assert len(days) == 28 and body["statutory_data"] is True
    assert days["2026-02-14"]["is_makeup_workday"] and days["2026-02-14"]["is_working"]
    assert (
        days["2026-02-17"]["is_statutory_holiday"] and days["2026-02-17"]["holiday_label"] == "春节"
    )
    assert days["2026-02-27"]["override"] is False and days["2026-02-27"]["override_note"] == "年会"
    assert days["2026-02-27"]["source"] == "override"


def test_month_path_is_checked(personas):
    response = client_for(personas.alice).get("/api/v1/calendar/months/2026/13")

    assert response.status_code == 422 and fields(response) == ["month"]


def test_calendar_list(personas):
    body = client_for(personas.alice).get(reverse("api:calendar_list")).json()

    assert [c["code"] for c in body] == ["5x8", "7x24"]
    assert body[0]["business_hours"] == [
        {"start": "09:00", "end": "12:00"},
        {"start": "13:30", "end": "18:00"},
    ]
    assert body[0]["daily_working_minutes"] == 450


def test_token_authentication_works(personas):
    token = (
        Client()
        .post(
            "/api/v1/auth/token",
            json.dumps({"username": "alice", "password": "Kehu-test-pass-2026"}),
            content_type="application/json",
        )
        .json()["token"]
    )

    response = Client().get(reverse("api:calendar_list"), HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200


# --- administration -----------------------------------------------------------------


def test_root_changes_business_hours_and_results_follow(personas):
    client = client_for(personas.root)

    response = put_hours(client, [("13:00", "17:00"), ("08:00", "12:00")], version=1)

    assert response.status_code == 200
    assert response.json()["version"] == 2 and response.json()["daily_working_minutes"] == 480
    assert (
        due(client, start="2026-03-03T10:00", half_days=1).json()["due"]
        == "2026-03-03T15:00:00+08:00"
    )


@pytest.mark.parametrize(
    ("periods", "extra", "field"),
    [
        ([("09:00", "08:00")], {}, "business_hours"),
        ([("09:00", "12:00"), ("11:00", "13:00")], {}, "business_hours"),
        ([("25:00", "26:00")], {}, "business_hours"),
        ([("9", "12:00")], {}, "business_hours.0.start"),
        ([], {}, "business_hours"),
        ([("09:00", "17:00")], {"version": 7}, "version"),
    ],
)
def test_bad_business_hours_are_422_naming_the_field_and_change_nothing(
    personas, periods, extra, field
):
    response = put_hours(client_for(personas.root), periods, **extra)

    assert response.status_code == 422
    assert fields(response) == [field]
    assert ServiceCalendar.objects.get(code="5x8").version == 1


def test_business_hours_of_7x24_and_unknown_calendars(personas):
    client = client_for(personas.root)

    assert put_hours(client, [("09:00", "17:00")], code="7x24").status_code == 422
    assert put_hours(client, [("09:00", "17:00")], code="nope").status_code == 404


def test_salesperson_cannot_change_business_hours(personas):
    response = put_hours(client_for(personas.carol), [("08:00", "17:00")])

    assert response.status_code == 403
    assert ServiceCalendar.objects.get(code="5x8").version == 1


def test_override_create_replace_list_delete_and_the_due_time_follows(personas):
    client = client_for(personas.root)
    start = {"start": "2026-03-05T10:00", "days": 1}
    assert due(client, **start).json()["due"] == "2026-03-06T10:00:00+08:00"

    created = post_override(client, date="2026-03-06", is_working=False, note="年会")
    replaced = post_override(client, date="2026-03-06", is_working=False, note="公司年会")

    assert (created.status_code, replaced.status_code) == (201, 200)
    assert due(client, **start).json()["due"] == "2026-03-09T10:00:00+08:00"
    listed = client.get(reverse("api:calendar_override_list"), {"year": 2026}).json()
    assert [(o["date"], o["note"]) for o in listed] == [("2026-03-06", "公司年会")]

    deleted = client.delete(reverse("api:calendar_override_delete", args=["2026-03-06"]))

    assert deleted.status_code == 204 and not CalendarOverride.objects.exists()
    assert due(client, **start).json()["due"] == "2026-03-06T10:00:00+08:00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": "2026-02-30", "is_working": False}, "date"),
        ({"is_working": False}, "date"),
        ({"date": "2026-03-06", "is_working": "maybe"}, "is_working"),
        ({"date": "2026-03-06", "is_working": True, "note": "长" * 201}, "note"),
    ],
)
def test_bad_override_is_422_naming_the_field_and_changes_nothing(personas, body, field):
    response = post_override(client_for(personas.root), **body)

    assert response.status_code == 422
    assert fields(response) == [field]
    assert not CalendarOverride.objects.exists()


def test_deleting_a_missing_override_is_404(personas):
    assert (
        client_for(personas.root).delete("/api/v1/calendar/overrides/2026-03-06").status_code == 404
    )


def test_non_admins_cannot_create_or_delete_overrides(personas):
    CalendarOverride.objects.create(date="2026-03-06", is_working=False)
    client = client_for(personas.alice)

    assert post_override(client, date="2026-03-09", is_working=False).status_code == 403
    assert client.delete("/api/v1/calendar/overrides/2026-03-06").status_code == 403
    assert list(CalendarOverride.objects.values_list("date", flat=True)) == [dt.date(2026, 3, 6)]


def test_replacing_a_company_day_needs_the_edit_right(personas):
    from kehu.accounts.models import Role, RoleGrant
    from kehu.accounts.permissions import forget_grants
    from kehu.core.calendar.apps import RECORD_TYPE

    role = Role.objects.create(code="daykeeper", name="daykeeper")
    RoleGrant.objects.create(role=role, record_type=RECORD_TYPE, actions=["view", "create"], scope="all")
    personas.dave.roles.add(role)
    forget_grants(personas.dave)
    client = client_for(personas.dave)

    first = post_override(client, date="2026-03-06", is_working=False, note="年会")
    again = post_override(client, date="2026-03-06", is_working=True)

    assert first.status_code == 201
    assert again.status_code == 403
    assert CalendarOverride.objects.get().is_working is False
