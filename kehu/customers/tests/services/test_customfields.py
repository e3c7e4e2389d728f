"""Custom fields through the customer and contact services, and in the change log."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from kehu.core.audit.models import ChangeLogEntry
from kehu.core.customfields.tests.factories import CONTACT, make_definition
from kehu.customers import services
from kehu.customers.models import Customer
from kehu.customers.tests.factories import make_contact, make_customer


@pytest.fixture
def grade(db):
    return make_definition("grade", "choice", label="等级", choices=["A", "B", "C"])


@pytest.fixture
def employees(db):
    return make_definition("employees", "number", label="员工人数")


def test_create_stores_checked_values(personas, grade, employees):
    customer = make_customer(personas.alice, custom={"grade": "B", "employees": "120"})

    customer.refresh_from_db()
    assert customer.custom == {"grade": "B", "employees": 120}


def test_bad_custom_and_built_in_fields_are_reported_together(personas, employees):
    with pytest.raises(ValidationError) as refused:
        services.customer_create(actor=personas.alice, name="测试科技有限公司", postcode="12",
                                 custom={"employees": "很多"})

    assert refused.value.message_dict == {
        "postcode": ["邮政编码为 6 位数字。"],
        "custom.employees": ["“员工人数”必须是数字，例如 12 或 3.5。"],
    }
    assert not Customer.objects.exists()


def test_required_fields_are_enforced_on_create(personas, grade):
    grade.required = True
    grade.save()

    with pytest.raises(ValidationError) as refused:
        make_customer(personas.alice)

    assert refused.value.message_dict == {"custom.grade": ["“等级”为必填项。"]}


def test_update_changes_only_the_keys_given_and_keeps_switched_off_values(personas, grade, employees):
    customer = make_customer(personas.alice, custom={"grade": "A", "employees": 10})
    Customer.objects.filter(pk=customer.pk).update(custom={**customer.custom, "legacy": "旧值"})
    customer.refresh_from_db()

    services.customer_update(actor=personas.alice, customer=customer, version=0, custom={"grade": "C"})
    customer.refresh_from_db()
    services.customer_update(actor=personas.alice, customer=customer, version=1, custom={"employees": ""})

    customer.refresh_from_db()
    assert customer.custom == {"grade": "C", "legacy": "旧值"}


def test_the_change_log_shows_each_custom_value_by_label(personas, grade, employees):
    customer = make_customer(personas.alice, custom={"grade": "A", "employees": 10})

    services.customer_update(actor=personas.alice, customer=customer, version=0, custom={"grade": "B"})

    entries = ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Customer), object_id=str(customer.pk)
    ).order_by("pk")
    created, updated = list(entries)[:2]
    assert {"field": "custom.grade", "label": "等级", "old": "", "new": "A"} in created.changes
    assert {"field": "custom.employees", "label": "员工人数", "old": "", "new": "10"} in created.changes
    assert updated.changes == [{"field": "custom.grade", "label": "等级", "old": "A", "new": "B"}]


def test_contacts_carry_their_own_fields(personas, grade):
    make_definition("hobby", "text", label="爱好", record_type=CONTACT)
    customer = make_customer(personas.alice)

    contact = make_contact(customer, custom={"hobby": "钓鱼"})
    with pytest.raises(ValidationError) as refused:
        services.contact_update(actor=personas.alice, contact=contact, version=0, custom={"grade": "A"})
    services.contact_update(actor=personas.alice, contact=contact, version=0, custom={"hobby": "高尔夫"})

    assert refused.value.message_dict == {"custom.grade": ["没有自定义字段“grade”。"]}
    contact.refresh_from_db()
    assert contact.custom == {"hobby": "高尔夫"}
