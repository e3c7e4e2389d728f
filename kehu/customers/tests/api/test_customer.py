"""The customers API: list with cursor and filters, CRUD, stale edits, contacts, 查重, masking."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from kehu.customers.models import Contact, Customer
from kehu.customers.tests.factories import credit_code, make_contact, make_customer

pytestmark = pytest.mark.django_db
BASE = "/api/v1/customers/"


def api(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


def send(client: Client, method: str, url: str, data: dict | None = None):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")


def test_list_is_scoped_paginated_by_cursor_and_filtered(personas):
    for index in range(5):
        make_customer(personas.alice, name=f"甲{index}科技有限公司", status="signed" if index % 2 else "intent")
    make_customer(personas.erin, name="北方贸易有限公司")

    first = api(personas.alice).get(BASE, {"limit": 3})
    assert first.status_code == 200
    body = first.json()
    assert len(body["items"]) == 3 and body["next_cursor"]
    second = api(personas.alice).get(BASE, {"limit": 3, "cursor": body["next_cursor"]}).json()
    names = [c["name"] for c in body["items"] + second["items"]]
    assert sorted(names) == sorted(f"甲{i}科技有限公司" for i in range(5))
    assert second["next_cursor"] is None

    signed = api(personas.alice).get(BASE, {"status": "signed"}).json()["items"]
    assert {c["name"] for c in signed} == {"甲1科技有限公司", "甲3科技有限公司"}
    assert [c["name"] for c in api(personas.alice).get(BASE, {"q": "j2kj"}).json()["items"]] == ["甲2科技有限公司"]
    assert len(api(personas.carol).get(BASE).json()["items"]) == 6


def test_a_bad_cursor_answers_422_naming_the_field(personas):
    response = api(personas.alice).get(BASE, {"cursor": "!!!"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


def test_create_get_update_with_version_and_stale_refusal(personas):
    client = api(personas.alice)
    created = send(client, "post", BASE, {
        "name": "华为技术（上海）有限公司", "city": "上海", "phone": "021-55551234",
        "credit_code": credit_code(3), "tags": ["重点客户"], "status": "intent",
    })
    assert created.status_code == 201, created.content
    customer = created.json()
    assert customer["owner"]["id"] == personas.alice.pk and customer["tags"] == ["重点客户"]
    assert customer["phone"] == "021-55551234"

    url = f"{BASE}{customer['id']}"
    updated = send(client, "patch", url, {"version": 0, "status": "negotiating"})
    assert updated.status_code == 200 and updated.json()["version"] == 1

    stale = send(client, "patch", url, {"version": 0, "status": "lost"})
    assert stale.status_code == 409
    assert "华为技术（上海）有限公司" in stale.json()["detail"]
    assert Customer.objects.get(pk=customer["id"]).status == "negotiating"


def test_invalid_fields_answer_422_with_chinese_field_messages(personas):
    response = send(api(personas.alice), "post", BASE, {"name": "甲公司", "credit_code": "123", "phone": "x"})

    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["credit_code"] == "统一社会信用代码应为 18 位，当前为 3 位。"
    assert "phone" in errors
    assert Customer.objects.count() == 0


def test_exact_duplicate_is_refused_with_422(personas):
    make_customer(personas.erin, name="华为技术有限公司", city="北京")

    response = send(api(personas.alice), "post", BASE, {"name": "北京华为技术有限公司", "city": "北京"})

    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert "华北销售组" in message and "华为技术有限公司" not in message


def test_out_of_scope_is_404_and_view_only_is_403(personas):
    customer = make_customer(personas.alice, phone="13812345678")

    assert api(personas.bob).get(f"{BASE}{customer.pk}").status_code == 404
    assert send(api(personas.bob), "patch", f"{BASE}{customer.pk}", {"version": 0}).status_code == 404
    seen_by_dave = api(personas.dave).get(f"{BASE}{customer.pk}")
    assert seen_by_dave.status_code == 200
    assert seen_by_dave.json()["phone"] == "138****5678"
    assert send(api(personas.dave), "patch", f"{BASE}{customer.pk}", {"version": 0}).status_code == 403
    assert api().get(BASE).status_code == 401


def test_deactivate_needs_the_delete_right_and_restore_brings_back(personas):
    customer = make_customer(personas.alice)

    assert send(api(personas.alice), "post", f"{BASE}{customer.pk}/deactivate").status_code == 403
    response = send(api(personas.carol), "post", f"{BASE}{customer.pk}/deactivate")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert send(api(personas.carol), "post", f"{BASE}{customer.pk}/deactivate").status_code == 422
    assert send(api(personas.carol), "post", f"{BASE}{customer.pk}/restore").json()["is_active"] is True


def test_contacts_crud_and_masking(personas):
    customer = make_customer(personas.alice)
    client = api(personas.alice)
    url = f"{BASE}{customer.pk}/contacts"

    created = send(client, "post", url, {"name": "王芳", "mobile": "138 1234 5678", "decision_role": "decision_maker"})
    assert created.status_code == 201, created.content
    contact = created.json()
    assert contact["mobile"] == "13812345678" and contact["is_primary"] is True

    assert api(personas.dave).get(url).json()[0]["mobile"] == "138****5678"
    assert api(personas.bob).get(url).status_code == 404

    one = f"{url}/{contact['id']}"
    assert client.get(one).json()["name"] == "王芳"
    assert send(client, "patch", one, {"version": 0, "position": "总经理"}).json()["position"] == "总经理"
    assert send(client, "patch", one, {"version": 0, "position": "董事长"}).status_code == 409
    bad = send(client, "patch", one, {"version": 1, "mobile": "12"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "mobile"
    assert send(api(personas.dave), "delete", one).status_code == 403
    assert send(client, "delete", one).status_code == 204
    assert not Contact.objects.exists()


def test_contact_of_another_customer_is_404(personas):
    mine = make_customer(personas.alice)
    other = make_contact(make_customer(personas.alice), name="李强")

    assert api(personas.alice).get(f"{BASE}{mine.pk}/contacts/{other.pk}").status_code == 404


def test_duplicate_check_masks_customers_outside_scope(personas):
    make_customer(personas.erin, name="华为技术有限公司", city="北京")
    mine = make_customer(personas.alice, name="华为技术服务有限公司", city="上海")

    response = send(api(personas.alice), "post", f"{BASE}duplicates", {"name": "华为技术（北京）有限公司", "city": "北京"})

    assert response.status_code == 200
    body = response.json()
    assert body["name_key"] == "华为技术"
    first, second = body["matches"]
    assert first["exact"] and first["id"] is None and first["name"] == "华******司"
    assert first["department"] == "华北销售组" and first["in_pool"] is False
    assert second["id"] == mine.pk and second["score"] == 60
    assert api().post(f"{BASE}duplicates").status_code == 401


def test_list_query_count_is_constant_in_page_size(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for index in range(30):
        make_customer(personas.alice, tags=["重点客户"] if index % 2 else [])
    client = api(personas.alice)
    client.get(BASE, {"limit": 1})  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(BASE, {"limit": 1})
    with CaptureQueriesContext(connection) as thirty:
        assert len(client.get(BASE, {"limit": 30}).json()["items"]) == 30

    assert len(thirty) == len(one) <= 8


def test_the_schema_documents_every_operation_and_its_errors(personas):
    schema = api(personas.root).get("/api/v1/openapi.json").json()
    operations = {
        (path, method): op
        for path, methods in schema["paths"].items()
        if path.startswith("/api/v1/customers")
        for method, op in methods.items()
        if "customers" in op.get("tags", [])  # other parts of the archive have their own tags
    }

    assert len(operations) >= 12  # the parts (cards, …) add their own operations
    for (path, method), op in operations.items():
        assert {"401", "403", "404"} <= set(op["responses"]), (path, method)
        if method in {"post", "patch", "delete"}:
            assert {"409", "422"} <= set(op["responses"]), (path, method)


def test_contacts_are_not_shown_without_the_contact_view_right(personas):
    from kehu.customers.tests.services.test_customer import _no_contact_right

    customer = make_customer(personas.alice, name="甲科技有限公司")
    make_contact(customer, name="王芳", mobile="13812345678")
    assert [c["name"] for c in api(personas.dave).get(f"{BASE}{customer.pk}").json()["contacts"]] == ["王芳"]

    _no_contact_right(personas.dave)

    detail = api(personas.dave).get(f"{BASE}{customer.pk}")
    assert detail.status_code == 200 and detail.json()["contacts"] == []
    assert api(personas.dave).get(f"{BASE}{customer.pk}/contacts").status_code == 403


def test_the_list_answers_403_without_the_view_right_like_the_page(personas):
    from kehu.accounts.models import RoleGrant
    from kehu.customers.apps import CUSTOMER

    RoleGrant.objects.filter(role__users=personas.dave, record_type=CUSTOMER).delete()

    assert api(personas.dave).get(BASE).status_code == 403


def test_an_unknown_or_invisible_owner_is_the_same_field_error(personas):
    for owner_id in (999999, personas.alice.pk):
        response = send(api(personas.carol), "post", BASE, {"name": "乙科技有限公司", "city": "上海", "owner_id": owner_id})
        assert response.status_code == 422
        assert response.json()["errors"] == [{"field": "owner_id", "message": "没有这个用户。"}]
    assert not Customer.objects.exists()

    made = send(api(personas.root), "post", BASE, {"name": "乙科技有限公司", "owner_id": personas.alice.pk})
    assert made.status_code == 201 and made.json()["owner"]["id"] == personas.alice.pk


# --- the level: by the rules, or by hand with a reason ---------------------------------------------


def test_create_with_a_level_needs_level_reason(personas):
    missing = send(api(personas.alice), "post", BASE, {"name": "甲机械有限公司", "level": "top"})
    done = send(api(personas.alice), "post", BASE,
                {"name": "甲机械有限公司", "level": "top", "level_reason": "总经理的老朋友"})

    assert missing.status_code == 422
    assert {e["field"]: e["message"] for e in missing.json()["errors"]} == {
        "level_reason": "手工设定层级时请填写理由（level_reason）；不选层级时由层级规则设定。"}
    assert done.status_code == 201 and done.json()["level"] == "top"
    customer = Customer.objects.get()
    assert (customer.classification.level_source, customer.classification.reason) == ("manual", "总经理的老朋友")


def test_update_changes_the_level_only_with_a_reason(personas):
    customer = make_customer(personas.alice, name="甲机械有限公司", level="base")
    url = f"{BASE}{customer.pk}"

    refused = send(api(personas.alice), "patch", url, {"version": customer.version, "level": "top"})
    same = send(api(personas.alice), "patch", url, {"version": customer.version, "level": "base", "remarks": "一"})
    changed = send(api(personas.alice), "patch", url,
                   {"version": same.json()["version"], "level": "top", "level_reason": "空白行业的标杆客户"})

    assert refused.status_code == 422 and [e["field"] for e in refused.json()["errors"]] == ["level_reason"]
    assert same.status_code == 200 and same.json()["level"] == "base"
    assert changed.status_code == 200 and changed.json()["level"] == "top"
    customer.refresh_from_db()
    assert customer.version == changed.json()["version"] and customer.classification.reason == "空白行业的标杆客户"
