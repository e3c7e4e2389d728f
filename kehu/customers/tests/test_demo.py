"""The demo seeder: customers with contacts for the demo salespeople, idempotent.

The demo itself seeds about 2,000 (`KEHU_DEMO_CUSTOMERS`); tests seed 56."""

from __future__ import annotations

import pytest

from kehu.core.demo import seed_demo
from kehu.customers.models import Contact, Customer

pytestmark = pytest.mark.django_db


def test_demo_customers_are_realistic_owned_and_seeded_once():
    seed_demo()
    count, contacts = Customer.objects.count(), Contact.objects.count()

    assert 50 <= count <= 56  # KEHU_DEMO_CUSTOMERS in kehu.testing.settings; the demo's default is 2,000
    assert contacts >= count
    assert not Customer.objects.filter(owner__isnull=True).exists()
    assert set(Customer.objects.values_list("owner__username", flat=True)) == {
        "zhangwei", "liuyang", "sunli", "wujing", "zhenghao", "hexue", "gaoyuan"
    }
    sample = Customer.objects.filter(owner__username="gaoyuan").first()
    assert sample.city in {"北京", "天津"} and sample.department.code == "sales-beijing"
    assert sample.name_key and sample.search_text

    seed_demo()
    assert (Customer.objects.count(), Contact.objects.count()) == (count, contacts)


def test_demo_leaves_the_duplicate_rule_to_the_service(monkeypatch):
    from django.core.exceptions import ValidationError

    from kehu.customers import services

    refuse = services.customer._refuse_exact_duplicates

    def refuse_suzhou(actor, customer):
        if customer.city == "苏州":
            raise ValidationError({"name": "duplicate"})
        refuse(actor, customer)

    monkeypatch.setattr(services.customer, "_refuse_exact_duplicates", refuse_suzhou)
    seed_demo()

    assert Customer.objects.exists() and not Customer.objects.filter(city="苏州").exists()


def test_demo_cards_and_sales_records_are_seeded_once():
    from kehu.customers.models import Card, SalesRecord

    seed_demo()
    cards, sales = Card.objects.count(), SalesRecord.objects.count()

    assert cards > 20 and sales > 20
    assert Card.objects.filter(kind="competitor", contract_expires_on__isnull=False).exists()
    assert not SalesRecord.objects.filter(amount__lte=0).exists()
    seed_demo()
    assert (Card.objects.count(), SalesRecord.objects.count()) == (cards, sales)
