"""The 查看 button next to a masked value: revealed by an HTMX swap, logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kehu.core.audit.models import Action, ChangeLogEntry
from kehu.customers.tests.factories import make_customer
from kehu.customers.tests.views.test_customer import page

pytestmark = pytest.mark.django_db


def test_customer_service_sees_the_button_and_reveals_the_phone(personas):
    customer = make_customer(personas.alice, name="华为技术有限公司", phone="13812345678")
    client = page(personas.dave)

    html = client.get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()
    assert "138****5678" in html and "13812345678" not in html
    assert 'data-testid="unmask-phone"' in html and "查看" in html

    response = client.post(reverse("customers:unmask_field", args=[customer.pk, "phone"]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.content.decode().strip() == '<span class="unmasked" data-testid="unmasked-phone">13812345678</span>'
    assert ChangeLogEntry.objects.for_object(customer).first().action == Action.UNMASK


def test_the_owner_sees_no_button_and_a_bad_field_is_refused(personas):
    customer = make_customer(personas.alice, name="华为技术有限公司", phone="13812345678")

    html = page(personas.alice).get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()
    assert "13812345678" in html and 'data-testid="unmask-phone"' not in html
    bad = page(personas.dave).post(reverse("customers:unmask_field", args=[customer.pk, "remarks"]))
    assert bad.status_code == 400
    assert not ChangeLogEntry.objects.filter(action=Action.UNMASK).exists()


def test_a_contacts_mobile_has_its_own_button(personas):
    from kehu.customers.tests.factories import make_contact

    customer = make_customer(personas.alice, name="华为技术有限公司")
    contact = make_contact(customer, name="王芳", mobile="13912345678")
    client = page(personas.dave)

    html = client.get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()
    assert f'?contact={contact.pk}' in html and 'data-testid="unmask-contact-mobile"' in html

    url = reverse("customers:unmask_field", args=[customer.pk, "mobile"])
    response = client.post(f"{url}?contact={contact.pk}", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "13912345678".replace(" ", "") in response.content.decode().replace(" ", "")
    assert ChangeLogEntry.objects.for_object(contact).first().action == Action.UNMASK
