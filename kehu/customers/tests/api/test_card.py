"""The cards and sales-record API: cursor lists, create with field errors, patch with version, delete, totals."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from kehu.customers import services
from kehu.customers.models import Card, SalesRecord
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db
def today() -> datetime.date:
    return timezone.localdate()


def api(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def send(client: Client, method: str, url: str, data: dict | None = None):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")


def base(customer) -> str:
    return f"/api/v1/customers/{customer.pk}"


def test_create_list_by_cursor_and_filter_cards(personas):
    customer = make_customer(personas.alice)
    client = api(personas.alice)

    created = send(client, "post", f"{base(customer)}/cards", {
        "kind": "price", "card_date": str(today() - datetime.timedelta(days=3)),
        "fields": {"product": "工业网关", "unit_price": 3500, "valid_from": "2026-01-01", "valid_to": "2026-12-31"},
    })
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["kind_label"] == "价格协议" and body["author"]["name"] == "王丽"
    assert body["fields"] == {"product": "工业网关", "unit_price": "3500.00", "valid_from": "2026-01-01",
                              "valid_to": "2026-12-31"}
    for _index in range(2):
        send(client, "post", f"{base(customer)}/cards", {"kind": "strategy", "fields": {"objective": "扩大份额"}})

    first = client.get(f"{base(customer)}/cards", {"limit": 2}).json()
    second = client.get(f"{base(customer)}/cards", {"limit": 2, "cursor": first["next_cursor"]}).json()
    ids = [c["id"] for c in first["items"] + second["items"]]
    assert sorted(ids) == sorted(Card.objects.values_list("pk", flat=True)) and second["next_cursor"] is None
    assert second["items"][0]["kind"] == "price"  # the oldest date comes last
    only = client.get(f"{base(customer)}/cards", {"kind": "price"}).json()["items"]
    assert [c["id"] for c in only] == [body["id"]]


def test_a_bad_field_answers_422_naming_it_and_nothing_is_saved(personas):
    customer = make_customer(personas.alice)

    response = send(api(personas.alice), "post", f"{base(customer)}/cards",
                    {"kind": "competitor", "fields": {"competitor_products": "PLC"}})

    assert response.status_code == 422
    assert "competitor_name" in json.dumps(response.json(), ensure_ascii=False)
    assert "请填写竞争对手。" in json.dumps(response.json(), ensure_ascii=False)
    assert not Card.objects.exists()


def test_patch_with_an_old_version_answers_409_and_delete_removes(personas):
    customer = make_customer(personas.alice)
    card = services.card_create(actor=personas.alice, customer=customer, kind="strategy", fields={"objective": "A"})
    client = api(personas.alice)
    url = f"{base(customer)}/cards/{card.pk}"

    ok = send(client, "patch", url, {"version": 0, "fields": {"objective": "B", "measures": "拜访"}})
    assert ok.status_code == 200 and ok.json()["fields"] == {"objective": "B", "measures": "拜访"}
    assert ok.json()["version"] == 1
    stale = send(client, "patch", url, {"version": 0, "summary": "旧"})
    assert stale.status_code == 409 and "已被其他人修改" in stale.json()["detail"]
    assert client.get(url).json()["summary"] == ""
    assert client.delete(url).status_code == 204
    assert not Card.objects.exists()


def test_cards_of_another_customer_are_not_found_under_this_one(personas):
    mine, other = make_customer(personas.alice), make_customer(personas.alice)
    card = services.card_create(actor=personas.alice, customer=other, kind="strategy", fields={"objective": "A"})

    assert api(personas.alice).get(f"{base(mine)}/cards/{card.pk}").status_code == 404
    assert api(personas.bob).get(f"{base(other)}/cards").status_code == 404


def test_sales_records_crud_and_totals(personas):
    customer = make_customer(personas.alice)
    client = api(personas.alice)

    created = send(client, "post", f"{base(customer)}/sales-records",
                   {"occurred_on": str(today()), "product": "工业网关", "quantity": 2, "amount": "7600"})
    assert created.status_code == 201, created.content
    record = created.json()
    assert record["quantity"] == "2.00" and record["amount"] == "7600.00" and record["source"] == "manual"
    refused = send(client, "post", f"{base(customer)}/sales-records",
                   {"occurred_on": str(today() + datetime.timedelta(days=1)), "product": "网关", "amount": "-1"})
    assert refused.status_code == 422
    assert "销售日期不能晚于今天。" in json.dumps(refused.json(), ensure_ascii=False)
    assert SalesRecord.objects.count() == 1

    url = f"{base(customer)}/sales-records/{record['id']}"
    assert send(client, "patch", url, {"version": 0, "amount": "8000"}).json()["amount"] == "8000.00"
    assert send(client, "patch", url, {"version": 0, "amount": "9000"}).status_code == 409
    totals = client.get(f"{base(customer)}/sales-records/totals", {"date_from": str(today())}).json()
    assert totals == {"count": 1, "quantity": "2.00", "amount": "8000.00", "date_from": str(today()), "date_to": None}
    listed = client.get(f"{base(customer)}/sales-records").json()
    assert [r["id"] for r in listed["items"]] == [record["id"]]
    assert client.delete(url).status_code == 204 and not SalesRecord.objects.exists()
