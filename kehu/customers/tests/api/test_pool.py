"""公海 pool API: the scoped list with cursor and filters, claim, release, the rules."""

from __future__ import annotations

import pytest

from kehu.customers.models import Customer, PoolRules
from kehu.customers.tests.api.test_customer import api, send
from kehu.customers.tests.factories import make_customer
from kehu.customers.tests.services.test_pool import pooled, set_rules

pytestmark = pytest.mark.django_db
BASE = "/api/v1/customers/"


def test_pool_list_is_scoped_filtered_and_paginated(personas):
    for index in range(3):
        pooled(personas, f"公海甲{index}有限公司", level="base" if index else "")
    pooled(personas, "华北公海有限公司", department=personas.north)
    make_customer(personas.alice, name="我的客户有限公司")

    first = api(personas.alice).get(BASE + "pool", {"limit": 2})
    assert first.status_code == 200
    body = first.json()
    second = api(personas.alice).get(BASE + "pool", {"limit": 2, "cursor": body["next_cursor"]}).json()
    names = {c["name"] for c in body["items"] + second["items"]}
    assert names == {"公海甲0有限公司", "公海甲1有限公司", "公海甲2有限公司"}
    assert body["items"][0]["department"]["name"] == "华东销售组"
    assert body["items"][0]["pool_reason"] == "never_owned"
    base = api(personas.alice).get(BASE + "pool", {"level": "base"}).json()["items"]
    assert {c["name"] for c in base} == {"公海甲1有限公司", "公海甲2有限公司"}
    assert [c["name"] for c in api(personas.alice).get(BASE + "pool", {"q": "甲0"}).json()["items"]] == [
        "公海甲0有限公司"
    ]
    assert len(api(personas.carol).get(BASE + "pool").json()["items"]) == 4


def test_claim_then_the_second_claim_is_refused_with_the_reason(personas):
    customer = pooled(personas, "抢手客户有限公司")

    response = api(personas.alice).post(f"{BASE}{customer.pk}/claim")

    assert response.status_code == 200
    body = response.json()
    assert body["owner"]["id"] == personas.alice.pk
    assert body["allowance"]["claims_today"] == 1
    again = api(personas.carol).post(f"{BASE}{customer.pk}/claim")
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "customer"
    assert "已不在公海中" in again.json()["errors"][0]["message"]
    assert api(personas.erin).post(f"{BASE}{pooled(personas, '华东另一客户有限公司').pk}/claim").status_code == 404


def test_claim_limit_answers_422_and_changes_nothing(personas):
    set_rules(daily_claim_limit=1)
    first, second = pooled(personas, "甲客户有限公司"), pooled(personas, "乙客户有限公司")
    assert api(personas.alice).post(f"{BASE}{first.pk}/claim").status_code == 200

    response = api(personas.alice).post(f"{BASE}{second.pk}/claim")

    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "您今天已领取 1 个客户，已达每日上限，请明天再领取。"
    assert Customer.objects.get(pk=second.pk).owner is None


def test_release_needs_a_reason_naming_the_field(personas):
    customer = make_customer(personas.alice, name="释放客户有限公司")

    refused = send(api(personas.alice), "post", f"{BASE}{customer.pk}/release", {"reason": ""})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "reason"

    response = send(api(personas.alice), "post", f"{BASE}{customer.pk}/release", {"reason": "客户停业"})
    assert response.status_code == 200
    assert response.json()["pool_reason"] == "released"
    assert response.json()["previous_owner"]["id"] == personas.alice.pk
    assert send(api(personas.bob), "post", f"{BASE}{customer.pk}/release", {"reason": "x"}).status_code == 404


def test_rules_read_by_everyone_changed_by_administrators(personas):
    got = api(personas.alice).get(BASE + "pool-rules")
    assert got.status_code == 200
    rules = got.json()
    assert rules["return_days_base"] == 30 and rules["may_edit"] is False

    payload = {k: v for k, v in rules.items() if k not in {"updated_at", "updated_by", "may_edit"}}
    assert send(api(personas.alice), "put", BASE + "pool-rules", {**payload, "warn_days": 1}).status_code == 403
    bad = send(api(personas.root), "put", BASE + "pool-rules", {**payload, "daily_claim_limit": 5000})
    assert bad.status_code == 422
    assert bad.json()["errors"][0] == {"field": "daily_claim_limit", "message": "请输入 0 到 1000 之间的数字。"} | {
        k: v for k, v in bad.json()["errors"][0].items() if k not in {"field", "message"}
    }
    ok = send(api(personas.root), "put", BASE + "pool-rules", {**payload, "return_days_top": 0})
    assert ok.status_code == 200
    assert ok.json()["return_days_top"] == 0 and ok.json()["version"] == 1
    stale = send(api(personas.root), "put", BASE + "pool-rules", {**payload, "return_days_top": 9})
    assert stale.status_code == 409
    assert PoolRules.objects.get().return_days_top == 0


def test_customer_list_api_filters_by_idle_days(personas):
    from datetime import timedelta

    from django.utils import timezone

    quiet = make_customer(personas.alice, name="很久没跟进有限公司")
    Customer.objects.filter(pk=quiet.pk).update(last_followup_at=timezone.now() - timedelta(days=40))
    make_customer(personas.alice, name="新客户有限公司")

    items = api(personas.alice).get(BASE, {"idle_days": 30}).json()["items"]

    assert [c["name"] for c in items] == ["很久没跟进有限公司"]
    assert api(personas.alice).get(BASE, {"idle_days": 0}).status_code == 422
