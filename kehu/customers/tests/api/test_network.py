"""The network API: the tree with roll-ups and masking, PUT/DELETE the parent and PUT the channel role
with 422/409 answers."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from kehu.customers.models import Customer, SalesRecord
from kehu.customers.services import customer_set_parent
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db
BASE = "/api/v1/customers/"


def api(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def put(client, url, data):
    return client.put(url, data=json.dumps(data), content_type="application/json")


def test_the_network_answers_a_tree_with_roll_ups_and_masked_nodes(personas):
    top = make_customer(personas.alice, name="华东总经销有限公司")
    hidden = make_customer(personas.erin, name="北方二批贸易有限公司")
    shop = make_customer(personas.alice, name="华东零售有限公司", province="浙江", city="杭州")
    customer_set_parent(actor=personas.carol, customer=hidden, parent=top)
    customer_set_parent(actor=personas.carol, customer=shop, parent=hidden, channel_role="retail")
    SalesRecord.objects.create(customer=shop, occurred_on=date(2026, 2, 1), product="设备", amount=Decimal("88.00"))
    SalesRecord.objects.create(customer=hidden, occurred_on=date(2026, 2, 1), product="设备", amount=Decimal("9"))

    response = api(personas.alice).get(
        f"{BASE}{top.pk}/network", {"date_from": "2026-01-01", "date_to": "2026-12-31"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["customer"] == {"id": top.pk, "name": "华东总经销有限公司"}
    root, masked, leaf = body["nodes"]
    assert masked["id"] is None and masked["visible"] is False and "北方二批" not in masked["name"]
    assert masked["own_amount"] is None and masked["parent_key"] == 0
    assert leaf["parent_key"] == 1 and leaf["channel_role"] == "retail" and leaf["depth"] == 2
    assert Decimal(root["total_amount"]) == Decimal("88.00") and root["descendants"] == 2
    assert body["hidden"] == 1 and body["coverage"][0]["city"] in {"上海", "杭州"}
    assert "北方二批贸易有限公司" not in response.content.decode()


def test_put_and_delete_the_parent(personas):
    top, shop = make_customer(personas.alice, name="华东总经销有限公司"), make_customer(personas.alice)
    client = api(personas.alice)

    done = put(client, f"{BASE}{shop.pk}/parent", {"parent_id": top.pk, "channel_role": "retail", "version": 0})
    assert done.status_code == 200
    assert done.json()["parent"] == {"id": top.pk, "name": "华东总经销有限公司", "visible": True}
    assert done.json()["version"] == 1

    stale = put(client, f"{BASE}{shop.pk}/parent", {"parent_id": top.pk, "version": 0})
    assert stale.status_code == 409
    loop = put(client, f"{BASE}{top.pk}/parent", {"parent_id": shop.pk})
    assert loop.status_code == 422 and "循环" in str(loop.json())

    cleared = client.delete(f"{BASE}{shop.pk}/parent")
    assert cleared.status_code == 200 and cleared.json()["parent"] is None
    assert Customer.objects.get(pk=shop.pk).parent_id is None


def test_a_parent_outside_the_scope_is_422_and_the_customer_404(personas):
    mine, theirs = make_customer(personas.alice), make_customer(personas.erin)
    client = api(personas.alice)

    refused = put(client, f"{BASE}{mine.pk}/parent", {"parent_id": theirs.pk})
    assert refused.status_code == 422 and "范围内没有这个客户" in str(refused.json())
    assert put(client, f"{BASE}{theirs.pk}/parent", {"parent_id": mine.pk}).status_code == 404
    assert client.get(f"{BASE}{theirs.pk}/network").status_code == 404


def test_put_the_channel_role(personas):
    # given alice's customer with no role
    customer = make_customer(personas.alice)
    client = api(personas.alice)

    # when she makes it a 总经销, then clears the role
    done = put(client, f"{BASE}{customer.pk}/channel-role", {"channel_role": "general", "version": 0})
    assert done.status_code == 200
    assert done.json() == {"id": customer.pk, "parent": None, "channel_role": "general", "version": 1}
    cleared = put(client, f"{BASE}{customer.pk}/channel-role", {"channel_role": ""})

    # then the role is stored, then gone
    assert cleared.status_code == 200 and cleared.json()["version"] == 2
    assert Customer.objects.get(pk=customer.pk).channel_role == ""


def test_a_bad_or_stale_channel_role_changes_nothing(personas):
    customer = make_customer(personas.alice)
    client = api(personas.alice)

    unknown = put(client, f"{BASE}{customer.pk}/channel-role", {"channel_role": "king"})
    assert unknown.status_code == 422 and "channel_role" in str(unknown.json())
    assert "请从列表中选择渠道角色" in str(unknown.json())
    stale = put(client, f"{BASE}{customer.pk}/channel-role", {"channel_role": "retail", "version": 7})
    assert stale.status_code == 409
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.channel_role, stored.version) == ("", 0)


def test_the_channel_role_of_a_customer_outside_the_scope_is_404_and_read_only_is_403(personas):
    theirs, mine = make_customer(personas.erin), make_customer(personas.alice)

    assert put(api(personas.alice), f"{BASE}{theirs.pk}/channel-role", {"channel_role": "retail"}).status_code == 404
    assert put(api(personas.dave), f"{BASE}{mine.pk}/channel-role", {"channel_role": "retail"}).status_code == 403
    assert Customer.objects.get(pk=mine.pk).channel_role == ""
