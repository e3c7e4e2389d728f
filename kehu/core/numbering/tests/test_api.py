"""/api/v1/numbering: list, get, preview (consumes nothing) and update (administrators only)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from kehu.core.numbering.models import IssuedNumber, NumberCounter, NumberPattern
from kehu.core.numbering.services import local_day, next_number
from kehu.core.numbering.tests.factories import NumberPatternFactory

URL = "/api/v1/numbering"


def api(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


def send(client: Client, method: str, url: str, data: dict):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def today() -> str:
    return local_day(timezone.now()).strftime("%Y%m%d")


@pytest.fixture
def invoice(db):
    return NumberPatternFactory(form_type="tests.invoice", name="发票", prefix="PI", date_format="YYYYMMDD",
                                infix="A", width=4, reset_period="daily")


def update_body(pattern: NumberPattern, **changes) -> dict:
    body = {
        "name": pattern.name, "prefix": pattern.prefix, "date_format": pattern.date_format,
        "infix": pattern.infix, "width": pattern.width, "suffix": pattern.suffix,
        "reset_period": pattern.reset_period, "is_active": pattern.is_active, "version": pattern.version,
    }
    return {**body, **changes}


def saved(pattern: NumberPattern) -> tuple:
    row = NumberPattern.objects.get(pk=pattern.pk)
    return (row.prefix, row.date_format, row.infix, row.width, row.suffix, row.reset_period,
            row.is_active, row.version)


# --- reads -------------------------------------------------------------------------------------


def test_list_shows_every_pattern_with_its_next_number(personas, invoice):
    with transaction.atomic():
        next_number("tests.invoice")

    response = api(personas.alice).get(URL)

    assert response.status_code == 200
    rows = {row["form_type"]: row for row in response.json()}
    assert rows["tests.invoice"] == {
        "form_type": "tests.invoice", "name": "发票", "prefix": "PI", "date_format": "YYYYMMDD",
        "infix": "A", "width": 4, "suffix": "", "reset_period": "daily", "is_active": True,
        "version": 0, "layout": "PIYYYYMMDDA0000", "next_number": f"PI{today()}A0002",
    }
    assert rows["numbering.demo"]["name"] == "演示单据"


def test_get_returns_one_pattern(personas, invoice):
    response = api(personas.dave).get(f"{URL}/tests.invoice")

    assert response.status_code == 200
    assert response.json()["next_number"] == f"PI{today()}A0001"


def test_get_an_unknown_form_type_is_not_found(personas):
    response = api(personas.alice).get(f"{URL}/tests.no_such_form")

    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。", "errors": []}


def test_anonymous_callers_are_refused(db):
    assert api().get(URL).status_code == 401


# --- preview -----------------------------------------------------------------------------------


def test_preview_with_other_settings_shows_the_number_and_consumes_nothing(personas, invoice):
    response = send(api(personas.alice), "post", f"{URL}/tests.invoice/preview",
                    {"prefix": "FP", "date_format": "YYMMDD", "infix": "", "width": 6, "on": "2026-11-22"})

    assert response.status_code == 200
    assert response.json() == {"form_type": "tests.invoice", "number": "FP261122000001"}
    assert IssuedNumber.objects.count() == 0
    assert NumberCounter.objects.count() == 0
    assert saved(invoice)[:4] == ("PI", "YYYYMMDD", "A", 4)


def test_preview_counts_from_the_numbers_already_issued(personas, invoice):
    with transaction.atomic():
        for _ in range(3):
            next_number("tests.invoice", on=datetime.date(2026, 11, 22))

    response = send(api(personas.alice), "post", f"{URL}/tests.invoice/preview", {"on": "2026-11-22"})

    assert response.json()["number"] == "PI20261122A0004"
    assert IssuedNumber.objects.count() == 3


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"width": 2}, "width", "至少使用 3 位。"),
        ({"prefix": "编号"}, "prefix", "只能使用字母、数字和连字符（-）。"),
        ({"on": "22/11/2026"}, "on", "请按 YYYY-MM-DD 格式输入日期。"),
        ({"date_format": "none"}, "reset_period",
         "日期部分必须能体现流水号的重置周期：请选择更精细的日期部分，或降低重置频率。"),
    ],
)
def test_preview_with_bad_settings_names_the_field(personas, invoice, body, field, message):
    response = send(api(personas.alice), "post", f"{URL}/tests.invoice/preview", body)

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": field, "message": message}]
    assert IssuedNumber.objects.count() == 0


# --- update ------------------------------------------------------------------------------------


def test_an_administrator_updates_a_pattern_and_the_next_number_follows(personas, invoice):
    body = update_body(invoice, prefix="FP-", date_format="YYYYMM", infix="", width=5,
                       reset_period="monthly")

    response = send(api(personas.root), "put", f"{URL}/tests.invoice", body)

    assert response.status_code == 200
    data = response.json()
    assert (data["prefix"], data["version"], data["layout"]) == ("FP-", 1, "FP-YYYYMM00000")
    assert data["next_number"] == f"FP-{today()[:6]}00001"
    assert saved(invoice) == ("FP-", "YYYYMM", "", 5, "", "monthly", True, 1)
    with transaction.atomic():
        assert next_number("tests.invoice") == f"FP-{today()[:6]}00001"


def test_a_salesperson_may_not_update_a_pattern(personas, invoice):
    response = send(api(personas.alice), "put", f"{URL}/tests.invoice", update_body(invoice, prefix="XX"))

    assert response.status_code == 403
    assert saved(invoice)[0] == "PI"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"prefix": "P I"}, "prefix", "只能使用字母、数字和连字符（-）。"),
        ({"prefix": ""}, "prefix", "此字段不能为空。"),
        ({"suffix": "末尾"}, "suffix", "只能使用字母、数字和连字符（-）。"),
        ({"width": 11}, "width", "最多使用 10 位。"),
        ({"date_format": "YYYY"}, "reset_period",
         "日期部分必须能体现流水号的重置周期：请选择更精细的日期部分，或降低重置频率。"),
        ({"version": 7}, "version", "您打开此规则后，其他人已修改了它。请刷新页面后重新修改。"),
    ],
)
def test_a_bad_update_names_the_field_and_changes_nothing(personas, invoice, changes, field, message):
    before = saved(invoice)

    response = send(api(personas.root), "put", f"{URL}/tests.invoice", update_body(invoice, **changes))

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": field, "message": message}]
    assert saved(invoice) == before


def test_an_unknown_date_format_is_refused_on_its_field(personas, invoice):
    response = send(api(personas.root), "put", f"{URL}/tests.invoice",
                    update_body(invoice, date_format="DDMMYYYY"))

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["date_format"]
    assert saved(invoice)[1] == "YYYYMMDD"


def test_a_missing_field_is_refused_by_name(personas, invoice):
    body = update_body(invoice)
    del body["prefix"]

    response = send(api(personas.root), "put", f"{URL}/tests.invoice", body)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["prefix"]
    assert saved(invoice)[-1] == 0
