"""The pages under /settings/numbering/: the list, the edit form and its live preview."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kehu.core.numbering.models import IssuedNumber, NumberCounter, NumberPattern
from kehu.core.numbering.services import local_day, next_number
from kehu.core.numbering.tests.factories import NumberPatternFactory


def page(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def today() -> str:
    return local_day(timezone.now()).strftime("%Y%m%d")


@pytest.fixture
def invoice(db):
    return NumberPatternFactory(form_type="tests.invoice", name="发票", prefix="PI", date_format="YYYYMMDD",
                                infix="A", width=4, reset_period="daily")


def form_data(pattern: NumberPattern, **changes) -> dict:
    data = {
        "name": pattern.name, "prefix": pattern.prefix, "date_format": pattern.date_format,
        "infix": pattern.infix, "width": pattern.width, "suffix": pattern.suffix,
        "reset_period": pattern.reset_period, "is_active": "on", "version": pattern.version,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def saved(pattern: NumberPattern) -> tuple:
    row = NumberPattern.objects.get(pk=pattern.pk)
    return (row.prefix, row.date_format, row.infix, row.width, row.suffix, row.reset_period,
            row.is_active, row.version)


EDIT = lambda form_type="tests.invoice": reverse("numbering:pattern_edit", args=[form_type])  # noqa: E731
PREVIEW = lambda form_type="tests.invoice": reverse("numbering:pattern_preview", args=[form_type])  # noqa: E731


# --- the list ----------------------------------------------------------------------------------


def test_the_list_shows_each_pattern_its_layout_and_next_number_in_chinese(personas, invoice):
    with transaction.atomic():
        next_number("tests.invoice")

    response = page(personas.alice).get(reverse("numbering:pattern_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "单据编号" in html
    assert "发票" in html and "PIYYYYMMDDA0000" in html
    assert f"PI{today()}A0002" in html
    assert "演示单据" in html  # the app's own registered pattern, created after migrate
    assert "每天" in html
    assert EDIT() not in html  # a salesperson reads, does not edit


def test_an_administrator_sees_edit_links(personas, invoice):
    html = page(personas.root).get(reverse("numbering:pattern_list")).content.decode()

    assert EDIT() in html


# --- the edit form -----------------------------------------------------------------------------


def test_the_edit_form_shows_the_next_number(personas, invoice):
    response = page(personas.root).get(EDIT())

    assert response.status_code == 200
    html = response.content.decode()
    assert "编号规则：发票" in html
    assert f"PI{today()}A0001" in html
    assert 'data-testid="preview-number"' in html


def test_saving_the_form_changes_the_pattern_and_the_next_number(personas, invoice):
    response = page(personas.root).post(
        EDIT(), form_data(invoice, prefix="FP", date_format="YYMMDD", infix="-", width=5), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("numbering:pattern_list")
    assert "编号规则已保存。" in response.content.decode()
    assert saved(invoice) == ("FP", "YYMMDD", "-", 5, "", "daily", True, 1)
    with transaction.atomic():
        assert next_number("tests.invoice", on=datetime.date(2026, 11, 22)) == "FP261122-00001"


def test_unticking_active_switches_numbering_off(personas, invoice):
    response = page(personas.root).post(EDIT(), form_data(invoice, is_active=None))

    assert response.status_code == 302
    assert saved(invoice)[6] is False


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"prefix": "P I"}, "只能使用字母、数字和连字符（-）。"),
        ({"prefix": ""}, "这个字段是必填项。"),
        ({"width": "2"}, "至少使用 3 位。"),
        ({"width": "十"}, "输入整数。"),
        ({"date_format": "YYYY"}, "日期部分必须能体现流水号的重置周期"),
        ({"reset_period": "hourly"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_is_shown_on_the_form_and_changes_nothing(personas, invoice, changes, message):
    before = saved(invoice)

    response = page(personas.root).post(EDIT(), form_data(invoice, **changes))

    assert response.status_code == 422
    assert message in response.content.decode()
    assert saved(invoice) == before


def test_a_stale_form_is_refused_with_a_clear_message(personas, invoice):
    client = page(personas.root)
    stale = form_data(invoice, prefix="AA")
    client.post(EDIT(), form_data(invoice, prefix="BB"))

    response = client.post(EDIT(), stale)

    assert response.status_code == 422
    assert "您打开此规则后，其他人已修改了它。请刷新页面后重新修改。" in response.content.decode()
    assert saved(invoice)[0] == "BB"


def test_a_salesperson_cannot_open_or_post_the_form(personas, invoice):
    client = page(personas.alice)

    assert client.get(EDIT()).status_code == 403
    assert client.post(EDIT(), form_data(invoice, prefix="XX")).status_code == 403
    assert saved(invoice)[0] == "PI"


def test_an_unknown_form_type_is_not_found(personas):
    assert page(personas.root).get(EDIT("tests.no_such_form")).status_code == 404


# --- the live preview (HTMX partial) -----------------------------------------------------------


def test_the_preview_shows_the_number_under_the_typed_values_and_consumes_nothing(personas, invoice):
    response = page(personas.root).get(
        PREVIEW(), form_data(invoice, prefix="HT", date_format="YYYY", infix="", width=3, reset_period="yearly"),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f"HT{today()[:4]}001" in html
    assert "<html" not in html  # only the fragment
    assert IssuedNumber.objects.count() == 0
    assert NumberCounter.objects.count() == 0
    assert saved(invoice)[0] == "PI"


def test_the_preview_lists_what_is_wrong_with_the_typed_values(personas, invoice):
    response = page(personas.root).get(PREVIEW(), form_data(invoice, prefix="P/I"))

    html = response.content.decode()
    assert 'data-testid="preview-errors"' in html
    assert "只能使用字母、数字和连字符（-）。" in html
    assert 'data-testid="preview-number"' not in html


def test_the_edit_page_shows_the_patterns_change_log(personas, invoice):
    from kehu.core.numbering.services import number_pattern_update

    number_pattern_update(actor=personas.root, pattern=invoice, version=0, prefix="FP")
    client = page(personas.root)
    html = client.get(EDIT()).content.decode()
    assert 'hx-get="/changes/' in html
    url = html.split('hx-get="/changes/', 1)[1].split('"', 1)[0]

    log = client.get(f"/changes/{url}").content.decode()

    assert "前缀" in log and "PI" in log and "FP" in log
