"""Custom fields through the customers API: written, read back, filtered with cf_<key>."""

from __future__ import annotations

import pytest

from kehu.core.customfields.tests.factories import CONTACT, make_definition
from kehu.customers.tests.factories import make_customer

URL = "/api/v1/customers/"
JSON = "application/json"


@pytest.fixture
def fields(db):
    make_definition("grade", "choice", label="等级", choices=["A", "B", "C"])
    make_definition("employees", "number", label="员工人数")
    make_definition("channels", "multi_choice", label="渠道", choices=["线上", "线下"])


@pytest.fixture
def as_alice(client, personas):
    client.force_login(personas.alice)
    return client


def test_create_and_read_custom_values(as_alice, fields):
    answer = as_alice.post(URL, {"name": "星河科技有限公司", "custom": {"grade": "A", "channels": ["线下", "线上"]}},
                           content_type=JSON)

    assert answer.status_code == 201, answer.json()
    assert answer.json()["custom"] == {"grade": "A", "channels": ["线上", "线下"]}
    again = as_alice.get(f"{URL}{answer.json()['id']}").json()
    assert again["custom"] == {"grade": "A", "channels": ["线上", "线下"]}


def test_a_bad_value_answers_422_naming_the_field(as_alice, fields):
    answer = as_alice.post(URL, {"name": "星河科技有限公司", "custom": {"employees": "abc"}}, content_type=JSON)

    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "custom.employees", "message": "“员工人数”必须是数字，例如 12 或 3.5。"}
    ]


def test_patch_changes_only_the_keys_sent(as_alice, personas, fields):
    customer = make_customer(personas.alice, custom={"grade": "A", "employees": 5})

    answer = as_alice.patch(f"{URL}{customer.pk}", {"version": 0, "custom": {"employees": 7.5}},
                            content_type=JSON)

    assert answer.status_code == 200, answer.json()
    assert answer.json()["custom"] == {"grade": "A", "employees": 7.5}


def test_list_filters_by_custom_fields(as_alice, personas, fields):
    big = make_customer(personas.alice, custom={"grade": "A", "employees": 500, "channels": ["线上"]})
    make_customer(personas.alice, custom={"grade": "A", "employees": 5})
    make_customer(personas.alice, custom={"grade": "B", "employees": 900})

    found = as_alice.get(URL, {"cf_grade": "A", "cf_employees": "100..", "cf_channels": "线上"}).json()
    bad = as_alice.get(URL, {"cf_employees": "many"})

    assert [row["id"] for row in found["items"]] == [big.pk]
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "cf_employees"


def test_the_filter_stays_inside_the_users_scope(client, personas, fields):
    make_customer(personas.alice, custom={"grade": "A"})
    client.force_login(personas.erin)

    assert client.get(URL, {"cf_grade": "A"}).json()["items"] == []


def test_contacts_read_and_write_custom_values(as_alice, personas):
    make_definition("hobby", "text", label="爱好", record_type=CONTACT)
    customer = make_customer(personas.alice)

    created = as_alice.post(f"{URL}{customer.pk}/contacts", {"name": "王芳", "custom": {"hobby": "钓鱼"}},
                            content_type=JSON)

    assert created.status_code == 201, created.json()
    assert created.json()["custom"] == {"hobby": "钓鱼"}
