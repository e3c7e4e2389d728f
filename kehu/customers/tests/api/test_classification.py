"""Classification API (C5): ABC rows paginated and scoped, recompute, levels, rules, assessments."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from kehu.customers.models import (
    CustomerClassification,
    DistributorAssessment,
    LevelRule,
    SalesRecord,
)
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db
BASE = "/api/v1/customers/"


def api(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def send(client: Client, method: str, url: str, data: dict | None = None):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")


def sell(customer, amount, on=dt.date(2026, 6, 1)):
    SalesRecord.objects.create(customer=customer, occurred_on=on, product="配件", amount=amount)


def test_recompute_then_list_paginated_scoped_with_the_snapshot(personas):
    mine = [make_customer(personas.alice, name=f"甲{i}机械有限公司") for i in range(3)]
    for index, customer in enumerate(mine):
        sell(customer, 1000 * (index + 1))
    sell(make_customer(personas.erin, name="北方最大有限公司"), 10000)
    period = {"start": "2026-01-01", "end": "2026-12-31"}

    refused = send(api(personas.alice), "post", BASE + "abc/recompute", period)
    done = send(api(personas.carol), "post", BASE + "abc/recompute", {**period, "levels": True})

    assert refused.status_code == 403
    assert done.status_code == 200 and done.json()["snapshot"]["total_amount"] == "16000.00"
    assert done.json()["levels_changed"] == 0  # no rules yet
    first = api(personas.alice).get(BASE + "abc", {**period, "limit": 2}).json()
    assert first["snapshot"]["customer_count"] == 4
    assert [row["rank"] for row in first["items"]] == [2, 3]  # rank 1 is erin's: not shown
    assert first["items"][0]["cumulative_pct"] == "81.25"  # (10000 + 3000) / 16000
    second = api(personas.alice).get(BASE + "abc", {**period, "cursor": first["next_cursor"]}).json()
    assert [row["customer"]["name"] for row in second["items"]] == ["甲0机械有限公司"]
    assert second["next_cursor"] is None


def test_list_without_a_snapshot_and_bad_input(personas):
    empty = api(personas.alice).get(BASE + "abc", {"start": "2026-01-01", "end": "2026-12-31"})
    bad = send(api(personas.carol), "post", BASE + "abc/recompute",
               {"start": "2026-12-31", "end": "2026-01-01"})

    assert empty.status_code == 200 and empty.json() == {"snapshot": None, "items": [], "next_cursor": None}
    assert bad.status_code == 422 and bad.json()["errors"] == [{"field": "end", "message": "期间的结束日期早于开始日期。"}]


def test_manual_level_and_clear(personas):
    customer = make_customer(personas.alice)
    url = f"{BASE}{customer.pk}/level"

    missing = send(api(personas.alice), "put", url, {"level": "top"})
    manual = send(api(personas.alice), "put", url, {"level": "top", "reason": "名利双收的黄金客户"})
    cleared = send(api(personas.alice), "put", url, {"level": None})
    dave = send(api(personas.dave), "put", url, {"level": "top", "reason": "x"})
    bob = send(api(personas.bob), "put", url, {"level": "top", "reason": "x"})

    assert missing.status_code == 422 and missing.json()["errors"][0]["message"] == "请说明手工设定这一层级的理由。"
    body = manual.json()
    assert manual.status_code == 200 and body["level"] == "top" and body["level_source"] == "manual"
    assert body["reason"] == "名利双收的黄金客户" and body["set_by"]["id"] == personas.alice.pk
    assert cleared.status_code == 200 and cleared.json()["level_source"] == ""
    assert (dave.status_code, bob.status_code) == (403, 404)


def test_classification_shows_the_abc_line(personas):
    customer = make_customer(personas.alice)
    sell(customer, 2430)
    send(api(personas.alice), "put", f"{BASE}{customer.pk}/spend-estimate", {"annual_spend_estimate": "3200"})
    send(api(personas.root), "post", BASE + "abc/recompute", {"start": "2026-01-01", "end": "2026-12-31"})

    body = api(personas.alice).get(f"{BASE}{customer.pk}/classification").json()

    assert body["annual_spend_estimate"] == "3200.00"
    assert body["abc"]["abc_class"] == "C" and body["abc"]["loyalty_pct"] == "75.9"
    assert body["abc"]["loyalty_mark"] == "+"
    assert api(personas.erin).get(f"{BASE}{customer.pk}/classification").status_code == 404


def test_rules_get_and_put(personas):
    rules = {"rules": [
        {"name": "普通客户", "level": "middle", "min_status": "negotiating", "explanation": "有明确需求"},
        {"name": "潜在客户", "level": "base", "explanation": "其余客户"},
    ]}

    refused = send(api(personas.alice), "put", BASE + "level-rules", rules)
    saved = send(api(personas.carol), "put", BASE + "level-rules", rules)
    listed = api(personas.alice).get(BASE + "level-rules").json()
    first = listed[0]
    stale = send(api(personas.carol), "put", BASE + "level-rules",
                 {"rules": [{**rules["rules"][0], "id": first["id"], "version": first["version"] + 1}]})
    bad = send(api(personas.carol), "put", BASE + "level-rules", {"rules": [{"name": "x", "level": "gold",
                                                                            "explanation": "x"}]})

    assert refused.status_code == 403 and saved.status_code == 200
    assert [r["name"] for r in listed] == ["普通客户", "潜在客户"] and first["position"] == 10
    assert stale.status_code == 409 and bad.status_code == 422
    assert LevelRule.objects.count() == 2


def test_assessments_create_list_and_due(personas):
    customer = make_customer(personas.alice, status="cooperating")
    other = make_customer(personas.alice, name="另一经销商有限公司", status="signed")

    created = send(api(personas.alice), "post", f"{BASE}{customer.pk}/assessments",
                   {"verdict": "must_transform", "reason": "需要重建业务队伍"})
    bad = send(api(personas.alice), "post", f"{BASE}{customer.pk}/assessments", {"verdict": "ok", "reason": ""})
    listed = api(personas.alice).get(BASE + "assessments", {"customer_id": customer.pk}).json()
    due = api(personas.alice).get(BASE + "assessments/due").json()

    assert created.status_code == 201 and created.json()["evaluator"]["id"] == personas.alice.pk
    assert bad.status_code == 422 and DistributorAssessment.objects.count() == 1
    assert [a["verdict"] for a in listed["items"]] == ["must_transform"]
    assert due == [{"id": other.pk, "name": other.name}]
    assert api(personas.erin).get(BASE + "assessments").json()["items"] == []


def test_spend_estimate_refused_for_viewers(personas):
    customer = make_customer(personas.alice)

    response = send(api(personas.dave), "put", f"{BASE}{customer.pk}/spend-estimate", {"annual_spend_estimate": "1"})

    assert response.status_code == 403 and not CustomerClassification.objects.exists()


def test_the_schema_documents_every_classification_operation_and_its_errors(personas):
    schema = api(personas.root).get("/api/v1/openapi.json").json()
    operations = {
        (path, method): op
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
        if "classification" in op.get("tags", [])
    }

    assert len(operations) == 10
    for (path, method), op in operations.items():
        assert op["operationId"].startswith("classification_")
        assert {"401", "403", "404"} <= set(op["responses"]), (path, method)
        if method in {"post", "put"}:
            assert {"409", "422"} <= set(op["responses"]), (path, method)
