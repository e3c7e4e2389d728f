"""Merge (C7): everything moves to the survivor, the loser stays as an alias, chosen values win."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from kehu.core.attachments.models import Attachment
from kehu.core.attachments.tests.helpers import add_attachment
from kehu.core.audit.models import Action, ChangeLogEntry
from kehu.customers import selectors, services
from kehu.customers.models import Contact, Customer, SalesRecord
from kehu.customers.selectors.merge import customer_links
from kehu.customers.tests.factories import credit_code, make_contact, make_customer

pytestmark = pytest.mark.django_db


def pair(personas, **loser_fields):
    survivor = make_customer(personas.alice, name="华为技术有限公司", city="深圳", phone="0755-28780808")
    loser = make_customer(personas.bob, name="华为终端有限公司", city="深圳", **loser_fields)
    return survivor, loser


def merge(actor, survivor, loser, **choices):
    survivor.refresh_from_db()
    loser.refresh_from_db()
    return services.customer_merge(
        actor=actor, survivor=survivor, loser=loser, survivor_version=survivor.version,
        loser_version=loser.version, choices=choices,
    )


def test_every_link_moves_to_the_survivor_and_the_loser_becomes_an_alias(personas):
    survivor, loser = pair(personas, credit_code=credit_code(), tags=["重点"])
    make_contact(survivor, name="王芳")
    make_contact(loser, name="李雷", mobile="13911112222")
    SalesRecord.objects.create(customer=loser, occurred_on=date(2026, 3, 1), product="交换机", amount=Decimal("9.50"))
    attachment = add_attachment(loser, personas.bob)
    loser_log = ChangeLogEntry.objects.for_object(loser).count()

    result = merge(personas.carol, survivor, loser)

    loser.refresh_from_db()
    assert loser.merged_into_id == survivor.pk and loser.is_active is False
    assert set(Contact.objects.filter(customer=survivor).values_list("name", flat=True)) == {"王芳", "李雷"}
    assert Contact.objects.filter(customer=survivor, is_primary=True).get().name == "王芳"
    assert SalesRecord.objects.get().customer_id == survivor.pk
    assert list(survivor.tags.values_list("name", flat=True)) == ["重点"]
    attachment.refresh_from_db()
    assert attachment.object_id == str(survivor.pk)
    assert not Attachment.objects.for_object(loser).exists()
    assert result.moved and not result.kept
    # The change log stays with each record, plus one merge entry on both.
    assert ChangeLogEntry.objects.for_object(loser).count() == loser_log + 1
    assert ChangeLogEntry.objects.for_object(loser).first().action == Action.MERGE
    entry = ChangeLogEntry.objects.for_object(survivor).first()
    assert entry.action == Action.MERGE and "华为终端有限公司" in entry.note and entry.actor == personas.carol


def test_links_are_found_generically_in_every_app(personas):
    kinds = {(link.kind, link.model._meta.label_lower) for link in customer_links()}

    assert ("fk", "customers.contact") in kinds
    assert ("fk", "customers.salesrecord") in kinds
    assert ("fk", "customers.customer") in kinds  # merged aliases follow to the survivor
    assert ("generic", "attachments.attachment") in kinds
    assert not any(label == "audit.changelogentry" for _, label in kinds)


def test_aliases_of_the_loser_follow_and_its_names_stay_findable(personas):
    survivor, loser = pair(personas)
    older = make_customer(personas.bob, name="深圳华为老客户有限公司")
    merge(personas.carol, loser, older)

    merge(personas.carol, survivor, loser)

    assert Customer.objects.get(pk=older.pk).merged_into_id == survivor.pk
    found = selectors.customer_list(actor=personas.carol, q="华为老客户")
    assert list(found) == [survivor]
    assert list(selectors.customer_list(actor=personas.carol, q="终端")) == [survivor]


def test_chosen_fields_come_from_the_loser_and_the_rest_stay(personas):
    code = credit_code()
    survivor, loser = pair(personas, credit_code=code, industry="通信设备", phone="13800138000")

    merge(personas.carol, survivor, loser, credit_code="loser", phone="loser", industry="survivor")

    survivor.refresh_from_db()
    assert survivor.credit_code == code  # the unique rule ignores the merged loser
    assert survivor.phone == "13800138000" and survivor.phone_digits == "13800138000"
    assert survivor.industry == ""
    assert survivor.name == "华为技术有限公司"
    changes = ChangeLogEntry.objects.for_object(survivor).first().changes
    assert {c["field"] for c in changes} == {"credit_code", "phone"}
    assert "13800138000" not in str(changes)  # personal data masked in the log


def test_bad_choices_are_refused_naming_them_and_nothing_changes(personas):
    survivor, loser = pair(personas)

    with pytest.raises(ValidationError) as error:
        merge(personas.carol, survivor, loser, owner="loser")
    assert "owner" in error.value.message_dict["choices"][0]
    with pytest.raises(ValidationError) as error:
        merge(personas.carol, survivor, loser, name="both")
    assert "请为以下字段选择" in error.value.message_dict["choices"][0]
    assert Customer.objects.get(pk=loser.pk).merged_into_id is None


def test_a_chosen_value_that_breaks_a_rule_rolls_everything_back(personas):
    survivor, loser = pair(personas)
    make_contact(loser, name="李雷")
    Customer.objects.filter(pk=loser.pk).update(kind="individual", id_number="11010519491231002X")

    with pytest.raises(ValidationError) as error:
        merge(personas.carol, survivor, loser, id_number="loser")

    assert "id_number" in error.value.message_dict
    assert Customer.objects.get(pk=loser.pk).merged_into_id is None
    assert Contact.objects.get().customer_id == loser.pk


def test_stale_versions_are_refused(personas):
    survivor, loser = pair(personas)
    survivor.refresh_from_db()
    loser.refresh_from_db()
    services.customer_update(actor=personas.bob, customer=Customer.objects.get(pk=loser.pk),
                             version=loser.version, remarks="改过")

    with pytest.raises(services.StaleEdit):
        services.customer_merge(actor=personas.carol, survivor=survivor, loser=loser,
                                survivor_version=survivor.version, loser_version=loser.version)
    assert Customer.objects.get(pk=loser.pk).merged_into_id is None


def test_rights_delete_on_the_loser_and_edit_on_the_survivor_in_scope(personas):
    survivor, loser = pair(personas)
    mine = make_customer(personas.alice, name="阿里巴巴网络技术有限公司")

    with pytest.raises(PermissionDenied):  # a salesperson has no delete right
        merge(personas.alice, survivor, mine)
    with pytest.raises(Http404):  # bob's customer is out of alice's scope
        merge(personas.alice, survivor, loser)
    with pytest.raises(PermissionDenied):  # customer service may view, not merge
        merge(personas.dave, survivor, loser)
    assert Customer.objects.filter(merged_into__isnull=False).count() == 0


def test_a_customer_cannot_be_merged_twice_or_with_itself(personas):
    survivor, loser = pair(personas)
    merge(personas.carol, survivor, loser)

    with pytest.raises(ValidationError) as error:
        merge(personas.carol, survivor, loser)
    assert "已合并" in error.value.message_dict["loser_id"][0]
    with pytest.raises(ValidationError) as error:
        merge(personas.carol, survivor, survivor)
    assert "不能与自身合并" in error.value.message_dict["loser_id"][0]


def test_the_preview_shows_both_sides_and_what_moves_masked(personas):
    survivor, loser = pair(personas, phone="13800138000")
    make_contact(loser, name="李雷")

    preview = selectors.merge_preview(actor=personas.carol, survivor=survivor, loser=loser)

    by_name = {row["name"]: row for row in preview["fields"]}
    assert by_name["name"]["differs"] and by_name["name"]["loser"] == "华为终端有限公司"
    assert not by_name["city"]["differs"]
    assert by_name["phone"]["loser"] == "13800138000"  # carol may see personal data
    assert {"label": "联系人", "count": 1} in preview["moves"]
    assert preview["problems"] == []


def test_a_merged_alias_cannot_be_edited(personas):
    survivor, loser = pair(personas)
    merge(personas.carol, survivor, loser)
    loser.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        services.customer_update(actor=personas.carol, customer=loser, version=loser.version, remarks="改")
    assert error.value.message_dict["name"] == ["该客户已合并到其他客户，请编辑合并后的客户。"]
