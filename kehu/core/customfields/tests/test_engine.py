"""The engine: parsing each kind, required fields, choices, messages naming the label, filters on JSON.

Filters run against customers (the first record type that carries custom fields), on
whichever database the suite uses (SQLite by default, PostgreSQL with DATABASE_URL).
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kehu.core.customfields import engine
from kehu.core.customfields.tests.factories import CUSTOMER, make_definition
from kehu.customers.models import Customer
from kehu.customers.tests.factories import make_customer


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


@pytest.fixture
def fields(db):
    return {
        "grade": make_definition("grade", "choice", label="等级", label_en="Grade", choices=["A", "B", "C"]),
        "channels": make_definition("channels", "multi_choice", label="渠道", choices=["线上", "线下", "展会"]),
        "employees": make_definition("employees", "number", label="员工人数"),
        "founded": make_definition("founded", "date", label="成立日期"),
        "motto": make_definition("motto", "text", label="口号"),
    }


def test_each_kind_is_stored_in_its_json_shape(fields):
    cleaned = engine.clean_values(CUSTOMER, {
        "grade": "B", "channels": "展会，线上", "employees": "1,250", "founded": "2020/3/6", "motto": "  诚信  ",
    })

    assert cleaned == {
        "grade": "B", "channels": ["线上", "展会"], "employees": 1250, "founded": "2020-03-06", "motto": "诚信",
    }


def test_numbers_keep_decimals_and_dates_accept_date_objects(fields):
    cleaned = engine.clean_values(
        CUSTOMER, {"employees": 12.5, "founded": datetime.date(2021, 1, 2)}, partial=True
    )

    assert cleaned == {"employees": 12.5, "founded": "2021-01-02"}


def test_a_bad_number_is_refused_naming_the_label(fields):
    errors = errors_of(lambda: engine.clean_values(CUSTOMER, {"employees": "很多"}, partial=True))

    assert errors == {"custom.employees": ["“员工人数”必须是数字，例如 12 或 3.5。"]}


def test_too_many_decimals_are_refused(fields):
    errors = errors_of(lambda: engine.clean_values(CUSTOMER, {"employees": "1.23456"}, partial=True))

    assert "员工人数" in errors["custom.employees"][0]


def test_a_bad_date_is_refused_naming_the_label(fields):
    errors = errors_of(lambda: engine.clean_values(CUSTOMER, {"founded": "2020-13-45"}, partial=True))

    assert errors == {"custom.founded": ["“成立日期”必须是日期，例如 2026-03-06。"]}


def test_an_unknown_choice_is_refused_with_the_choices(fields):
    errors = errors_of(lambda: engine.clean_values(CUSTOMER, {"grade": "D", "channels": ["电话"]}, partial=True))

    assert errors["custom.grade"] == ["“等级”没有选项“D”，请从以下选项中选择：A、B、C。"]
    assert "电话" in errors["custom.channels"][0]


def test_messages_follow_the_readers_language(fields):
    with translation.override("en"):
        errors = errors_of(lambda: engine.clean_values(CUSTOMER, {"grade": "D"}, partial=True))

    assert errors["custom.grade"] == ["“Grade” has no choice “D”; choose from: A、B、C."]


def test_required_fields_need_a_value_unless_partial(fields):
    make_definition("region_code", "text", label="区域编码", required=True)

    errors = errors_of(lambda: engine.clean_values(CUSTOMER, {"grade": "A"}))

    assert errors == {"custom.region_code": ["“区域编码”为必填项。"]}
    assert engine.clean_values(CUSTOMER, {"grade": "A"}, partial=True) == {"grade": "A"}
    assert "custom.region_code" in errors_of(
        lambda: engine.clean_values(CUSTOMER, {"region_code": " "}, partial=True)
    )


def test_unknown_keys_are_refused_and_inactive_ones_ignored(fields):
    make_definition("old", "text", label="旧字段", is_active=False)

    errors = errors_of(lambda: engine.clean_values(CUSTOMER, {"nope": "x"}, partial=True))

    assert errors == {"custom.nope": ["没有自定义字段“nope”。"]}
    assert engine.clean_values(CUSTOMER, {"old": "changed"}, partial=True) == {}


def test_all_errors_are_reported_at_once(fields):
    errors = errors_of(lambda: engine.clean_values(
        CUSTOMER, {"employees": "x", "founded": "y", "grade": "Z"}, partial=True
    ))

    assert set(errors) == {"custom.employees", "custom.founded", "custom.grade"}


def test_merge_sets_and_removes_keys():
    merged = engine.merge_values({"a": 1, "b": "x", "old": "kept"}, {"a": 2, "b": None})

    assert merged == {"a": 2, "old": "kept"}


def test_display_shows_active_fields_with_values_in_order(fields):
    make_definition("old", "text", label="旧字段", is_active=False)
    values = {"grade": "A", "employees": 1250.5, "channels": ["线上", "展会"], "old": "hidden", "motto": ""}

    rows = engine.display(CUSTOMER, values)

    assert [(row["label"], row["text"]) for row in rows] == [
        ("等级", "A"), ("渠道", "线上、展会"), ("员工人数", "1250.5"),
    ]


def test_form_fields_are_named_by_key_and_typed(fields):
    form_fields = engine.form_fields(CUSTOMER)

    assert list(form_fields) == [
        "custom.grade", "custom.channels", "custom.employees", "custom.founded", "custom.motto",
    ]
    assert form_fields["custom.grade"].label == "等级"
    assert form_fields["custom.employees"].clean("12.5") == pytest.approx(12.5)


def test_columns_parse_and_format_for_import_and_export(fields):
    columns = {column.key: column for column in engine.columns(CUSTOMER)}

    assert columns["grade"].label == "等级" and columns["grade"].name == "custom.grade"
    assert columns["channels"].parse("线下、展会") == ["线下", "展会"]
    assert columns["channels"].format(["线下", "展会"]) == "线下、展会"
    assert columns["founded"].parse(datetime.datetime(2020, 3, 6, 8, 0)) == "2020-03-06"
    assert columns["employees"].format(1250) == "1250"
    with pytest.raises(ValidationError):
        columns["employees"].parse("abc")


# --- filters on the JSON column ------------------------------------------------------------


@pytest.fixture
def stocked(personas, fields):
    def customer(name, **custom):
        record = make_customer(personas.alice, name)
        Customer.objects.filter(pk=record.pk).update(custom=custom)
        return record.pk

    return {
        "a": customer("甲公司", grade="A", channels=["线上", "展会"], employees=50, founded="2019-05-01",
                      motto="诚信为本"),
        "b": customer("乙公司", grade="B", channels=["线下"], employees=1250.5, founded="2021-01-10",
                      motto="客户第一"),
        "c": customer("丙公司", grade="A", employees=9),
        "d": customer("丁公司"),
    }


def matching(key, value) -> set[int]:
    return set(Customer.objects.filter(engine.filter_q(CUSTOMER, key, value)).values_list("pk", flat=True))


def test_filter_text_contains(stocked):
    assert matching("motto", "客户") == {stocked["b"]}


def test_filter_single_choice(stocked):
    assert matching("grade", "A") == {stocked["a"], stocked["c"]}


def test_filter_multiple_choice_has_the_choice(stocked):
    assert matching("channels", "展会") == {stocked["a"]}
    assert matching("channels", "线下") == {stocked["b"]}


def test_filter_number_equal_and_ranges(stocked):
    assert matching("employees", "50") == {stocked["a"]}
    assert matching("employees", "10..2000") == {stocked["a"], stocked["b"]}
    assert matching("employees", "..49") == {stocked["c"]}
    assert matching("employees", "1000..") == {stocked["b"]}


def test_filter_date_range(stocked):
    assert matching("founded", "2020-01-01..") == {stocked["b"]}
    assert matching("founded", "2019-05-01") == {stocked["a"]}


def test_filter_errors_name_the_parameter(stocked):
    assert errors_of(lambda: engine.filter_q(CUSTOMER, "employees", "many")) == {
        "cf_employees": ["“员工人数”必须是数字，例如 12 或 3.5。"]
    }
    assert "cf_nope" in errors_of(lambda: engine.filter_q(CUSTOMER, "nope", "x"))
    assert "cf_channels" in errors_of(lambda: engine.filter_q(CUSTOMER, "channels", "电话"))


def test_filters_from_a_query_string_combine(stocked):
    condition = engine.filters_from_query(CUSTOMER, {"cf_grade": "A", "cf_employees": "..20", "q": "x"})

    assert set(Customer.objects.filter(condition).values_list("pk", flat=True)) == {stocked["c"]}
