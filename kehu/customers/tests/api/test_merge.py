"""Merge API: preview and merge, pointer from the alias, 409 on stale versions, rights."""

from __future__ import annotations

import pytest

from kehu.customers.models import Contact, Customer
from kehu.customers.tests.api.test_customer import api, send
from kehu.customers.tests.factories import make_contact, make_customer

pytestmark = pytest.mark.django_db
BASE = "/api/v1/customers/"


def pair(personas):
    survivor = make_customer(personas.alice, name="华为技术有限公司", city="深圳", industry="通信")
    loser = make_customer(personas.bob, name="华为终端有限公司", city="深圳", industry="手机")
    make_contact(loser, name="李雷")
    return survivor, loser


def test_preview_then_merge_with_a_chosen_field(personas):
    survivor, loser = pair(personas)
    client = api(personas.carol)

    preview = send(client, "post", f"{BASE}{survivor.pk}/merge/preview", {"loser_id": loser.pk})

    assert preview.status_code == 200
    body = preview.json()
    fields = {row["name"]: row for row in body["fields"]}
    assert fields["industry"] == {"name": "industry", "label": "行业", "survivor": "通信", "loser": "手机",
                                  "differs": True}
    assert body["moves"] == [{"label": "联系人", "count": 1}]
    merged = send(client, "post", f"{BASE}{survivor.pk}/merge", {
        "loser_id": loser.pk, "version": body["survivor"]["version"], "loser_version": body["loser"]["version"],
        "choices": {"industry": "loser"},
    })

    assert merged.status_code == 200, merged.content
    result = merged.json()
    assert result["customer"]["industry"] == "手机"
    assert [c["name"] for c in result["customer"]["contacts"]] == ["李雷"]
    assert result["moved"] == [{"label": "联系人", "count": 1}]
    alias = client.get(f"{BASE}{loser.pk}").json()
    assert alias["merged_into_id"] == survivor.pk and alias["is_active"] is False


def test_stale_version_answers_409_and_nothing_moves(personas):
    survivor, loser = pair(personas)

    response = send(api(personas.carol), "post", f"{BASE}{survivor.pk}/merge",
                    {"loser_id": loser.pk, "version": 99, "loser_version": 0})

    assert response.status_code == 409
    assert "已被其他人修改" in response.json()["detail"]
    assert Contact.objects.get().customer_id == loser.pk


def test_bad_choice_answers_422_naming_the_field(personas):
    survivor, loser = pair(personas)
    survivor.refresh_from_db()
    loser.refresh_from_db()

    response = send(api(personas.carol), "post", f"{BASE}{survivor.pk}/merge", {
        "loser_id": loser.pk, "version": survivor.version, "loser_version": loser.version,
        "choices": {"owner": "loser"},
    })

    assert response.status_code == 422
    assert "owner" in str(response.json())
    assert Customer.objects.get(pk=loser.pk).merged_into_id is None


def test_rights_out_of_scope_404_not_allowed_403(personas):
    survivor, loser = pair(personas)
    other = make_customer(personas.alice, name="阿里巴巴网络技术有限公司")

    assert send(api(personas.alice), "post", f"{BASE}{survivor.pk}/merge/preview",
                {"loser_id": loser.pk}).status_code == 404
    assert send(api(personas.alice), "post", f"{BASE}{survivor.pk}/merge/preview",
                {"loser_id": other.pk}).status_code == 403
    assert send(api(personas.dave), "post", f"{BASE}{survivor.pk}/merge",
                {"loser_id": loser.pk, "version": 0, "loser_version": 0}).status_code == 403
    assert send(api(), "post", f"{BASE}{survivor.pk}/merge/preview", {"loser_id": loser.pk}).status_code == 401
