"""Pages under /settings/calendar/: month grid, calculator, business hours, company days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from kehu.core.calendar.models import CalendarOverride, ServiceCalendar

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


# --- month ---------------------------------------------------------------------------


def test_month_page_in_chinese_marks_spring_festival_and_makeup_saturday(personas):
    response = client_for(personas.alice).get(
        reverse("calendar:calendar_month"), {"year": 2026, "month": 2}
    )

    page = text(response)
    assert response.status_code == 200
    assert "工作日历" in page and "2026年2月" in page and "上个月" in page
    assert '<div class="weekday" role="columnheader">一</div>' in page
    assert "春节" in page and "调休上班" in page and "节假日" in page
    assert "工作日工作时间：09:00-12:00,13:30-18:00" in page
    assert 'data-date="2026-02-14" class="day working makeup"' in page
    assert 'data-date="2026-02-17" class="day closed holiday"' in page
    assert 'data-testid="edit-hours"' not in page  # alice may not edit


def test_month_page_for_root_offers_editing_and_shows_overrides(personas):
    CalendarOverride.objects.create(date="2026-10-09", is_working=False, note="团建")

    page = text(
        client_for(personas.root).get(
            reverse("calendar:calendar_month"), {"year": 2026, "month": 10}
        )
    )

    assert 'data-testid="edit-hours"' in page
    assert "公司放假" in page and "团建" in page
    assert 'data-date="2026-10-10" class="day working makeup"' in page


def test_month_grid_partial_for_htmx_and_7x24(personas):
    response = client_for(personas.alice).get(
        reverse("calendar:calendar_month"),
        {"year": 2026, "month": 10, "calendar": "7x24"},
        HTTP_HX_REQUEST="true",
    )

    page = text(response)
    assert page.lstrip().startswith('<section id="month-grid"')
    assert "每天每一分钟都计时。" in page
    # 7×24 works through National Day; the grid still names the holiday.
    assert 'data-date="2026-10-01" class="day working holiday"' in page
    assert 'class="day closed' not in page


def test_month_without_statutory_data_says_so(personas):
    page = text(
        client_for(personas.alice).get(
            reverse("calendar:calendar_month"), {"year": 2150, "month": 1}
        )
    )

    assert 'data-testid="no-statutory-data"' in page and "暂无 2150 年的法定节假日数据" in page


def test_bad_month_shows_the_error_and_today(personas):
    response = client_for(personas.alice).get(
        reverse("calendar:calendar_month"), {"year": 2026, "month": 13}
    )

    assert response.status_code == 200
    assert "月份" in text(response) and 'class="errorlist"' in text(response)


def test_month_page_in_english(personas):
    client = client_for(personas.alice)
    client.cookies["kehu_language"] = "en"

    page = text(client.get(reverse("calendar:calendar_month"), {"year": 2026, "month": 2}))

    assert "Working calendar" in page and "Spring Festival" in page and "Make-up workday" in page
    assert '<div class="weekday" role="columnheader">Mon</div>' in page
    assert "春节" not in page


# --- calculator ---------------------------------------------------------------------


def test_calculator_explains_the_due_time_in_chinese(personas):
    response = client_for(personas.dave).get(
        reverse("calendar:calendar_calculator"),
        {"start": "2026-09-30T17:00", "calendar": "5x8", "hours": "2"},
    )

    page = text(response)
    assert 'datetime="2026-10-08T10:00:00+08:00"' in page
    assert "加上 2 小时 工作时间，得到 2026-10-08 10:00。" in page
    assert "跳过 7 个非工作日" in page


def test_calculator_htmx_returns_only_the_result(personas):
    response = client_for(personas.alice).get(
        reverse("calendar:calendar_calculator"),
        {"start": "2026-02-13T15:00", "calendar": "5x8", "half_days": "1"},
        HTTP_HX_REQUEST="true",
    )

    page = text(response).strip()
    assert page.startswith('<section id="result"') and "2026-02-14 09:45" in page


@pytest.mark.parametrize(
    ("params", "label"),
    [
        ({"start": "yesterday", "calendar": "5x8"}, "开始时间"),
        ({"start": "2026-02-13T10:00", "calendar": "5x8", "days": "-1"}, "工作日数"),
        ({"start": "2026-02-13T10:00", "calendar": "9x9"}, "日历"),
        ({"start": "2400-01-01T10:00", "calendar": "5x8"}, "开始时间"),
    ],
)
def test_calculator_bad_input_names_the_field(personas, params, label):
    response = client_for(personas.alice).get(reverse("calendar:calendar_calculator"), params)

    page = text(response)
    assert response.status_code == 200
    assert 'data-testid="calculator-errors"' in page and f"<li>{label}:" in page
    assert 'data-testid="due"' not in page


def test_calculator_too_far_away_is_an_error_on_the_amount(personas):
    ServiceCalendar.objects.filter(code="5x8").update(business_hours=[[540, 541]])

    page = text(
        client_for(personas.alice).get(
            reverse("calendar:calendar_calculator"),
            {"start": "2026-02-13T10:00", "calendar": "5x8", "hours": "5000"},
        )
    )

    assert "<li>工作小时数: 截止时间太远，无法计算，请减小时长。</li>" in page


# --- business hours -----------------------------------------------------------------


def test_root_saves_business_hours_and_the_calculator_follows(personas):
    client = client_for(personas.root)
    url = reverse("calendar:business_hours_edit", args=["5x8"])
    assert "09:00-12:00,13:30-18:00" in text(client.get(url))

    response = client.post(
        url, {"business_hours": "08:00-12:00, 13:00-17:00", "version": 1}, follow=True
    )

    assert "工作时间已保存。" in text(response)
    assert ServiceCalendar.objects.get(code="5x8").business_hours == [[480, 720], [780, 1020]]
    page = text(
        client.get(
            reverse("calendar:calendar_calculator"),
            {"start": "2026-03-03T10:00", "calendar": "5x8", "half_days": "1"},
        )
    )
    assert 'datetime="2026-03-03T15:00:00+08:00"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"business_hours": "09:00-08:00", "version": 1},
            "时间段 09:00-08:00 的结束时间必须晚于开始时间。",
        ),
        ({"business_hours": "09:00-12:00,11:00-13:00", "version": 1}, "工作时间段不能重叠。"),
        ({"business_hours": "9点到5点", "version": 1}, "不是有效的时间段"),
        (
            {"business_hours": "09:00-17:00", "version": 5},
            "其他人刚刚修改了工作时间，请刷新后重试。",
        ),
    ],
)
def test_bad_business_hours_show_the_error_and_change_nothing(personas, data, message):
    response = client_for(personas.root).post(
        reverse("calendar:business_hours_edit", args=["5x8"]), data
    )

    assert response.status_code == 200 and message in text(response)
    assert ServiceCalendar.objects.get(code="5x8").version == 1


def test_business_hours_page_for_7x24_and_unknown_is_404(personas):
    client = client_for(personas.root)

    assert client.get(reverse("calendar:business_hours_edit", args=["7x24"])).status_code == 404
    assert client.get(reverse("calendar:business_hours_edit", args=["nope"])).status_code == 404


# --- company days -------------------------------------------------------------------


def test_root_adds_and_removes_a_company_day(personas):
    client = client_for(personas.root)
    url = reverse("calendar:override_list")

    saved = client.post(url, {"date": "2026-03-06", "is_working": "0", "note": "年会"}, follow=True)

    assert "公司特殊日已保存。" in text(saved) and "年会" in text(saved)
    assert CalendarOverride.objects.get().is_working is False
    calc = text(
        client.get(
            reverse("calendar:calendar_calculator"),
            {"start": "2026-03-05T10:00", "calendar": "5x8", "days": "1"},
        )
    )
    assert 'datetime="2026-03-09T10:00:00+08:00"' in calc

    removed = client.post(reverse("calendar:override_delete", args=["2026-03-06"]), follow=True)

    assert "公司特殊日已删除。" in text(removed) and not CalendarOverride.objects.exists()


def test_bad_company_day_shows_the_error_and_changes_nothing(personas):
    response = client_for(personas.root).post(
        reverse("calendar:override_list"), {"date": "2026-02-30", "is_working": "0"}
    )

    assert response.status_code == 200 and "输入一个有效的日期。" in text(response)
    assert not CalendarOverride.objects.exists()


def test_company_days_are_read_only_for_others(personas):
    CalendarOverride.objects.create(date=dt.date(2026, 3, 6), is_working=False, note="年会")
    client = client_for(personas.alice)

    page = text(client.get(reverse("calendar:override_list")))

    assert "年会" in page and 'data-testid="override-form"' not in page and "删除" not in page
    assert client.post(reverse("calendar:override_delete", args=["2026-03-06"])).status_code == 403
    assert client.post(reverse("calendar:override_delete", args=["not-a-date"])).status_code == 404
    assert CalendarOverride.objects.count() == 1
