"""/api/v1/custom-fields: list, add, read, change."""

from __future__ import annotations

import pytest

from kehu.core.customfields.models import FieldDefinition
from kehu.core.customfields.tests.factories import CUSTOMER, make_definition
from kehu.customers.models import Customer
from kehu.customers.tests.factories import make_customer

URL = "/api/v1/custom-fields"


@pytest.fixture
def as_root(client, personas):
    client.force_login(personas.root)
    return client


def test_create_then_list_by_record_type(as_root):
    answer = as_root.post(URL, {"record_type": CUSTOMER, "key": "grade", "label": "等级", "kind": "choice",
                                "choices": ["A", "B"]}, content_type="application/json")
    make_definition("role_note", record_type="customers.contact")

    listed = as_root.get(URL, {"record_type": CUSTOMER}).json()

    assert answer.status_code == 201, answer.json()
    assert answer.json()["key"] == "grade" and answer.json()["version"] == 0
    assert [row["key"] for row in listed["items"]] == ["grade"]


def test_bad_input_names_the_field_in_chinese(as_root):
    answer = as_root.post(URL, {"record_type": CUSTOMER, "key": "grade", "label": "", "kind": "choice"},
                          content_type="application/json")

    assert answer.status_code == 422
    errors = {item["field"]: item["message"] for item in answer.json()["errors"]}
    assert errors == {"label": "请输入字段名称。", "choices": "选项字段至少需要一个选项。"}
    assert not FieldDefinition.objects.exists()


def test_patch_changes_and_refuses_a_kind_change_with_values(as_root, personas):
    definition = make_definition("size", "text", label="规模")
    customer = make_customer(personas.alice)
    Customer.objects.filter(pk=customer.pk).update(custom={"size": "大"})

    relabelled = as_root.patch(f"{URL}/{definition.pk}", {"label": "企业规模", "version": 0},
                               content_type="application/json")
    refused = as_root.patch(f"{URL}/{definition.pk}", {"kind": "number", "version": 1},
                            content_type="application/json")

    assert relabelled.status_code == 200 and relabelled.json()["label"] == "企业规模"
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "kind"


def test_a_salesperson_reads_but_does_not_write(client, personas):
    definition = make_definition("size", "text", label="规模")
    client.force_login(personas.alice)

    assert client.get(f"{URL}/{definition.pk}").status_code == 200
    answer = client.patch(f"{URL}/{definition.pk}", {"label": "x", "version": 0}, content_type="application/json")
    assert answer.status_code == 403
    assert FieldDefinition.objects.get().label == "规模"


def test_the_list_is_paginated_with_a_cursor(as_root, django_assert_max_num_queries):
    for number in range(5):
        make_definition(f"field_{number}", "text", label=f"字段{number}")

    with django_assert_max_num_queries(8):
        first = as_root.get(URL, {"limit": 3}).json()
    second = as_root.get(URL, {"limit": 3, "cursor": first["next_cursor"]}).json()

    assert len(first["items"]) == 3 and len(second["items"]) == 2
    assert second["next_cursor"] is None
