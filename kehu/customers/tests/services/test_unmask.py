"""Unmask: one field for who may view but not see personal data and holds the right; logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from kehu.accounts.permissions import RECORD_TYPES
from kehu.core.audit.models import Action, ChangeLogEntry
from kehu.customers import services
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_unmask_is_an_action_of_the_customer_record_type():
    record_type = RECORD_TYPES["customers.customer"]
    assert "unmask" in record_type.actions
    assert "unmask" in record_type.default_grants["customer_service"][0]
    assert "unmask" not in record_type.default_grants["salesperson"][0]


def test_revealed_once_and_logged_with_who_and_which_field(personas):
    customer = make_customer(personas.alice, name="华为技术有限公司", phone="13812345678")

    value = services.customer_unmask(actor=personas.dave, customer=customer, field="phone")

    assert value == "13812345678"
    entry = ChangeLogEntry.objects.for_object(customer).first()
    assert entry.action == Action.UNMASK and entry.actor == personas.dave
    assert entry.note == "刘大伟查看了电话。"
    assert entry.changes == [{"field": "phone", "label": "电话", "old": "", "new": ""}]


def test_who_sees_it_anyway_is_not_logged(personas):
    customer = make_customer(personas.alice, name="华为技术有限公司", phone="13812345678")

    assert services.customer_unmask(actor=personas.alice, customer=customer, field="phone") == "13812345678"
    assert not ChangeLogEntry.objects.filter(action=Action.UNMASK).exists()


def test_refused_without_the_right_out_of_scope_or_for_another_field(personas):
    from kehu.accounts.models import RoleGrant

    customer = make_customer(personas.alice, name="华为技术有限公司", phone="13812345678")
    with pytest.raises(Http404):
        services.customer_unmask(actor=personas.erin, customer=customer, field="phone")
    with pytest.raises(ValidationError) as error:
        services.customer_unmask(actor=personas.dave, customer=customer, field="remarks")
    assert "field" in error.value.message_dict
    grant = RoleGrant.objects.get(role__code="customer_service", record_type="customers.customer")
    grant.actions = ["view"]
    grant.save()
    from kehu.accounts.models import User

    with pytest.raises(PermissionDenied):
        services.customer_unmask(actor=User.objects.get(pk=personas.dave.pk), customer=customer, field="phone")
    assert not ChangeLogEntry.objects.filter(action=Action.UNMASK).exists()


def test_a_contacts_mobile_is_revealed_and_logged_on_the_contact(personas):
    from kehu.customers.tests.factories import make_contact

    customer = make_customer(personas.alice, name="华为技术有限公司")
    contact = make_contact(customer, name="王芳", mobile="13912345678")
    other = make_customer(personas.alice, name="中兴通讯股份有限公司")

    value = services.customer_unmask(actor=personas.dave, customer=customer, field="mobile", contact_id=contact.pk)

    assert value == "139 1234 5678" or value.replace(" ", "") == "13912345678"
    entry = ChangeLogEntry.objects.for_object(contact).first()
    assert entry.action == Action.UNMASK and entry.note == "刘大伟查看了手机。"
    with pytest.raises(Http404):  # the contact must belong to this customer
        services.customer_unmask(actor=personas.dave, customer=other, field="mobile", contact_id=contact.pk)
    with pytest.raises(ValidationError) as error:
        services.customer_unmask(actor=personas.dave, customer=customer, field="remarks", contact_id=contact.pk)
    assert error.value.message_dict["field"] == ["只能查看联系人的电话号码、电子邮箱、微信或 QQ。"]
