"""Unmask API: one field revealed for who has the right, logged; others refused."""

from __future__ import annotations

import pytest

from kehu.core.audit.models import Action, ChangeLogEntry
from kehu.customers.tests.api.test_customer import api, send
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db
BASE = "/api/v1/customers/"


def test_customer_service_reveals_the_phone_and_it_is_logged(personas):
    customer = make_customer(personas.alice, name="华为技术有限公司", phone="13812345678")
    client = api(personas.dave)
    assert client.get(f"{BASE}{customer.pk}").json()["phone"] == "138****5678"

    response = send(client, "post", f"{BASE}{customer.pk}/unmask", {"field": "phone"})

    assert response.status_code == 200
    assert response.json() == {"field": "phone", "contact_id": None, "value": "13812345678"}
    entry = ChangeLogEntry.objects.for_object(customer).first()
    assert entry.action == Action.UNMASK and entry.actor == personas.dave and "电话" in entry.note
    assert "13812345678" not in str(entry.changes) + entry.note
    assert client.get(f"{BASE}{customer.pk}").json()["phone"] == "138****5678"  # this answer only


def test_unmask_refused_without_the_right_out_of_scope_or_for_other_fields(personas):
    customer = make_customer(personas.alice, name="华为技术有限公司", phone="13812345678")

    assert send(api(personas.bob), "post", f"{BASE}{customer.pk}/unmask", {"field": "phone"}).status_code == 404
    bad = send(api(personas.dave), "post", f"{BASE}{customer.pk}/unmask", {"field": "remarks"})
    assert bad.status_code == 422 and "只能查看电话或身份证号" in str(bad.json())
    assert not ChangeLogEntry.objects.filter(action=Action.UNMASK).exists()


def test_a_contact_field_through_the_api(personas):
    from kehu.customers.tests.factories import make_contact

    customer = make_customer(personas.alice, name="华为技术有限公司")
    contact = make_contact(customer, name="王芳", email="wangfang@example.com")

    response = send(api(personas.dave), "post", f"{BASE}{customer.pk}/unmask",
                    {"field": "email", "contact_id": contact.pk})

    assert response.status_code == 200
    assert response.json() == {"field": "email", "contact_id": contact.pk, "value": "wangfang@example.com"}
