"""API validation errors come out in the reader's language, naming the field."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from kehu.core.api.errors import pydantic_message

pytestmark = pytest.mark.django_db


def post_token(body, **headers):
    client = Client()
    if "cookie" in headers:
        client.cookies["kehu_language"] = headers.pop("cookie")
    return client.post(
        reverse("api:auth_token_create"),
        body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


def errors(response) -> list[tuple]:
    assert response.status_code == 422, response.content
    return [(e["field"], e["message"]) for e in response.json()["errors"]]


def test_missing_field_is_named_in_chinese_by_default():
    response = post_token({"username": "alice"})

    assert errors(response) == [("password", "请填写“password”。")]
    assert response.json()["detail"] == "输入的内容有误。"


def test_missing_field_is_in_english_for_an_english_reader():
    assert errors(post_token({"username": "alice"}, **{"Accept-Language": "en"})) == [
        ("password", "“password” is required.")
    ]
    assert errors(post_token({"username": "alice"}, cookie="en")) == [("password", "“password” is required.")]


def test_too_long_and_wrong_type_carry_their_limits():
    response = post_token({"username": 5, "password": "x", "name": "名" * 101})

    assert errors(response) == [("username", "请输入文本。"), ("name", "最多可输入 100 个字符。")]


def test_invalid_json_body_is_explained():
    response = post_token("{not json")

    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容不是有效的 JSON。"


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ({"type": "int_parsing", "msg": "Input should be a valid integer"}, "请输入整数。"),
        ({"type": "float_parsing", "msg": "x"}, "请输入数字。"),
        ({"type": "bool_parsing", "msg": "x"}, "请输入 true 或 false。"),
        ({"type": "string_too_short", "msg": "x", "ctx": {"min_length": 2}}, "请至少输入 2 个字符。"),
        ({"type": "greater_than", "msg": "x", "ctx": {"gt": 0}}, "请输入大于 0 的值。"),
        ({"type": "greater_than_equal", "msg": "x", "ctx": {"ge": 1}}, "请输入不小于 1 的值。"),
        ({"type": "less_than", "msg": "x", "ctx": {"lt": 10}}, "请输入小于 10 的值。"),
        ({"type": "less_than_equal", "msg": "x", "ctx": {"le": 12}}, "请输入不大于 12 的值。"),
        ({"type": "date_parsing", "msg": "x"}, "请输入有效的日期，例如 2026-03-06。"),
        ({"type": "datetime_parsing", "msg": "x"}, "请输入有效的日期时间，例如 2026-03-06T09:30。"),
        ({"type": "literal_error", "msg": "x", "ctx": {"expected": "'a' or 'b'"}}, "请从以下选项中选择：'a' or 'b'。"),
        ({"type": "enum", "msg": "x", "ctx": {"expected": "'a' or 'b'"}}, "请从以下选项中选择：'a' or 'b'。"),
        ({"type": "json_invalid", "msg": "x"}, "请求内容不是有效的 JSON。"),
        ({"type": "list_type", "msg": "x"}, "请输入列表。"),
        ({"type": "value_error", "msg": "Value error, 手机号格式不对", "ctx": {"error": "手机号格式不对"}}, "手机号格式不对"),
        ({"type": "some_rare_type", "msg": "Something pydantic says"}, "Something pydantic says"),
        ({"type": "string_too_long", "msg": "fallback"}, "fallback"),
    ],
)
def test_common_pydantic_errors_are_translated(error, message):
    with override("zh-hans"):
        assert pydantic_message(error, "field") == message


def test_query_errors_on_a_real_endpoint_are_translated(personas):
    client = Client()
    client.force_login(personas.alice)

    response = client.get(reverse("api:calendar_month", args=[2026, 13]))

    assert errors(response) == [("month", "请输入不大于 12 的值。")]
