"""The demo network: 总经销 with 二批 and 零售 below them, seeded once."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kehu.accounts.models import User
from kehu.core.demo import seed_demo
from kehu.customers.demo_network import seed_network
from kehu.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_demo_customers_have_a_distribution_network():
    seed_demo()
    generals = Customer.objects.filter(channel_role="general")
    linked = Customer.objects.filter(parent__isnull=False).count()

    assert generals.count() >= 7 and not generals.filter(parent__isnull=False).exists()
    retailer = Customer.objects.filter(channel_role="retail").select_related("parent__parent").first()
    assert retailer.parent.channel_role == "sub" and retailer.parent.parent.channel_role == "general"
    assert retailer.owner == retailer.parent.owner and retailer.sales_records.exists()

    org = SimpleNamespace(users={user.username: user for user in User.objects.all()})
    seed_network(org)  # a second run changes nothing
    assert Customer.objects.filter(parent__isnull=False).count() == linked
