"""Custom fields on the archive pages: the forms, the 360° page and the list filter."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kehu.core.customfields.tests.factories import CONTACT, make_definition
from kehu.customers.models import Customer
from kehu.customers.tests.factories import make_contact, make_customer

FORM = {"kind": "company", "name": "星河科技有限公司", "status": "intent", "city": "上海", "version": "0"}


@pytest.fixture
def fields(db):
    make_definition("grade", "choice", label="等级", choices=["A", "B", "C"], required=True)
    make_definition("employees", "number", label="员工人数")
    make_definition("old", "text", label="旧字段", is_active=False)


@pytest.fixture
def as_alice(client, personas):
    client.force_login(personas.alice)
    return client


def test_the_form_shows_the_active_fields(as_alice, fields):
    page = as_alice.get(reverse("customers:customer_create")).content.decode()

    assert 'name="custom.grade"' in page and 'name="custom.employees"' in page
    assert "员工人数" in page and 'name="custom.old"' not in page


def test_create_from_the_page_with_custom_values(as_alice, fields):
    answer = as_alice.post(reverse("customers:customer_create"),
                           {**FORM, "custom.grade": "B", "custom.employees": "30"})

    assert answer.status_code == 302
    assert Customer.objects.get().custom == {"grade": "B", "employees": 30}


def test_a_missing_required_value_is_shown_on_its_field(as_alice, fields):
    answer = as_alice.post(reverse("customers:customer_create"), {**FORM, "custom.employees": "30"})

    assert answer.status_code == 400
    assert "custom.grade" in answer.context["form"].errors
    assert not Customer.objects.exists()


def test_the_edit_form_starts_from_the_stored_values(as_alice, personas, fields):
    customer = make_customer(personas.alice, custom={"grade": "C", "employees": 12})

    form = as_alice.get(reverse("customers:customer_edit", args=[customer.pk])).context["form"]
    answer = as_alice.post(reverse("customers:customer_edit", args=[customer.pk]),
                           {**FORM, "name": customer.name, "custom.grade": "A", "custom.employees": ""})

    assert form["custom.grade"].value() == "C" and form["custom.employees"].value() == 12
    assert answer.status_code == 302
    customer.refresh_from_db()
    assert customer.custom == {"grade": "A"}


def test_the_360_page_shows_custom_values(as_alice, personas, fields, django_assert_max_num_queries):
    make_definition("hobby", "text", label="爱好", record_type=CONTACT)
    customer = make_customer(personas.alice, custom={"grade": "A", "employees": 1250})
    Customer.objects.filter(pk=customer.pk).update(custom={**customer.custom, "old": "隐藏"})
    for name in ("王芳", "李明", "张伟"):
        make_contact(customer, name=name, custom={"hobby": "钓鱼"})

    with django_assert_max_num_queries(40):
        page = as_alice.get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()

    assert 'data-testid="custom-grade">A<' in page
    assert 'data-testid="custom-employees">1250<' in page
    assert page.count("爱好: 钓鱼") == 3
    assert "隐藏" not in page


def test_definitions_are_read_once_for_every_record_type_on_the_360_page(as_alice, personas, fields,
                                                                   django_assert_num_queries):
    make_definition("hobby", "text", label="爱好", record_type=CONTACT)
    customer = make_customer(personas.alice, custom={"grade": "A"})
    make_contact(customer, name="王芳")
    url = reverse("customers:customer_detail", args=[customer.pk])
    as_alice.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one_contact:
        as_alice.get(url)
    for name in ("李明", "张伟", "赵强"):
        make_contact(customer, name=name)
    with CaptureQueriesContext(connection) as four_contacts:
        as_alice.get(url)

    definition_reads = [q for q in four_contacts.captured_queries if "customfields_fielddefinition" in q["sql"]]
    assert len(definition_reads) == 1  # the customer's and the contacts' fields together
    assert len(four_contacts.captured_queries) == len(one_contact.captured_queries)


def test_the_list_filters_by_custom_fields(as_alice, personas, fields, django_assert_max_num_queries):
    a = make_customer(personas.alice, "甲科技有限公司", custom={"grade": "A", "employees": 10})
    make_customer(personas.alice, "乙科技有限公司", custom={"grade": "B", "employees": 10})

    with django_assert_max_num_queries(20):
        answer = as_alice.get(reverse("customers:customer_list"), {"cf_grade": "A"})

    assert [c["pk"] for c in answer.context["customers"]] == [a.pk]
    assert "等级" in answer.content.decode()


def test_a_bad_list_filter_is_explained(as_alice, personas, fields):
    make_customer(personas.alice, custom={"grade": "A"})

    answer = as_alice.get(reverse("customers:customer_list"), {"cf_employees": "很多"})

    assert answer.status_code == 200
    assert "“员工人数”必须是数字" in answer.content.decode()
