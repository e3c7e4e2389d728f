"""The handover API: preview, then hand over with the preview's digest; list and detail."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from kehu.customers.models import Customer
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db
BASE = "/api/v1/customers/handovers"


def api(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_preview_then_handover_then_read_it_back(personas):
    customers = [make_customer(personas.alice, name=f"交接{index}科技有限公司") for index in range(3)]
    client = api(personas.carol)
    plan = {"from_user_id": personas.alice.pk, "to_user_ids": [personas.bob.pk, personas.erin.pk]}

    preview = post(client, f"{BASE}/preview", plan)
    assert preview.status_code == 200
    body = preview.json()
    assert body["total"] == 3 and [r["count"] for r in body["recipients"]] == [2, 1]
    assert body["recipients"][1]["department"]["name"] == "华北销售组"
    assert Customer.objects.filter(owner=personas.alice).count() == 3  # a preview changes nothing

    done = post(client, BASE, {**plan, "reason": "离职交接", "digest": body["digest"]})
    assert done.status_code == 201
    record = done.json()
    assert record["customer_count"] == 3 and record["created_by"]["id"] == personas.carol.pk
    assert {(i["customer"]["id"], i["to_user"]["id"]) for i in record["items"]} == {
        (c["id"], r["user"]["id"]) for r in body["recipients"] for c in r["customers"]
    }
    assert Customer.objects.get(pk=customers[1].pk).owner == personas.erin

    listed = client.get(BASE).json()
    assert [h["id"] for h in listed["items"]] == [record["id"]]
    assert client.get(f"{BASE}/{record['id']}").json()["reason"] == "离职交接"


def test_bad_input_names_the_field_in_chinese(personas):
    make_customer(personas.alice)
    client = api(personas.carol)

    missing = post(client, BASE, {"from_user_id": personas.alice.pk, "to_user_ids": [], "reason": "离职"})
    assert missing.status_code == 422 and "请至少选择一位接收人" in str(missing.json())
    stale = post(client, BASE, {"from_user_id": personas.alice.pk, "to_user_ids": [personas.bob.pk],
                                "reason": "离职", "digest": "0000000000000000"})
    assert stale.status_code == 422 and not Customer.objects.filter(owner=personas.bob).exists()


def test_a_salesperson_may_not_hand_over(personas):
    make_customer(personas.alice)
    answer = post(api(personas.alice), BASE, {"from_user_id": personas.alice.pk, "to_user_ids": [personas.bob.pk],
                                              "reason": "离职"})
    assert answer.status_code == 403
