"""The settings pages under /settings/custom-fields/."""

from __future__ import annotations

from django.urls import reverse

from kehu.core.customfields.models import FieldDefinition
from kehu.core.customfields.tests.factories import make_definition


def test_the_list_groups_fields_by_record_type(client, personas):
    make_definition("grade", "choice", label="等级", choices=["A", "B"])
    make_definition("hobby", "text", label="爱好", record_type="customers.contact")
    client.force_login(personas.root)

    page = client.get(reverse("customfields:definition_list")).content.decode()

    assert 'data-record-type="customers.customer"' in page and 'data-record-type="customers.contact"' in page
    assert "等级" in page and "爱好" in page and "单选" in page


def test_add_a_field_from_the_page(client, personas):
    client.force_login(personas.root)

    answer = client.post(reverse("customfields:definition_create"), {
        "record_type": "customers.customer", "key": "channels", "label": "渠道", "kind": "multi_choice",
        "choices": "线上\n线下\n线上", "is_active": "on",
    })

    assert answer.status_code == 302
    assert FieldDefinition.objects.get().choices == ["线上", "线下"]


def test_a_bad_key_is_shown_on_its_field(client, personas):
    client.force_login(personas.root)

    answer = client.post(reverse("customfields:definition_create"), {
        "record_type": "customers.customer", "key": "9lives", "label": "命", "kind": "text",
    })

    assert answer.status_code == 400
    assert "以小写字母开头" in answer.content.decode()
    assert not FieldDefinition.objects.exists()


def test_edit_a_field_and_a_stale_form_is_refused(client, personas):
    definition = make_definition("grade", "choice", label="等级", choices=["A", "B"])
    client.force_login(personas.root)
    url = reverse("customfields:definition_edit", args=[definition.pk])
    form = {"label": "客户等级", "kind": "choice", "choices": "A\nB\nC", "order": "5", "is_active": "on",
            "version": "0"}

    saved = client.post(url, form)
    stale = client.post(url, {**form, "label": "旧"})

    assert saved.status_code == 302
    assert stale.status_code == 409
    definition.refresh_from_db()
    assert (definition.label, definition.choices, definition.version) == ("客户等级", ["A", "B", "C"], 1)


def test_the_list_costs_the_same_queries_for_many_fields(client, personas, django_assert_max_num_queries):
    client.force_login(personas.root)
    make_definition("grade", "choice", label="等级", choices=["A"])
    url = reverse("customfields:definition_list")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(20):
        make_definition(f"field_{number}", "text", label=f"字段{number}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()

    assert page.count('data-testid="definition-row"') == 21
