"""Demo distribution network: for each demo salesperson, two 总经销 with 二批 below them and
零售 below those, linked through the network service; a few sales lines so roll-ups show.

Idempotent: a salesperson whose customers already have a network is left alone.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

CUSTOMERS_PER_GENERAL = 40  # one 总经销 for every 40 customers a salesperson has (at least one)
SUBS_PER_GENERAL = 2
RETAILERS_PER_SUB = 3
PRODUCTS = ["标准款设备", "配件包", "耗材（箱）", "年度维保"]


def seed_network(org: Any) -> None:
    from kehu.core.audit.context import audit_actor
    from kehu.customers.models import ChannelRole, Customer, SalesRecord
    from kehu.customers.services.network import customer_set_channel_role, customer_set_parent

    rng = random.Random(20260402)
    today = timezone.localdate()
    for _username, user in sorted(org.users.items()):
        customers = list(Customer.objects.filter(owner=user, merged_into__isnull=True).order_by("pk"))
        # A small demo (as in tests) gets one smaller tree per salesperson: the last 二批 may
        # have fewer 零售 below it.
        if len(customers) < 1 + SUBS_PER_GENERAL * 2 or any(c.parent_id for c in customers):
            continue
        generals = max(1, len(customers) // CUSTOMERS_PER_GENERAL)
        pool = iter(customers)
        with audit_actor(user):
            for _g in range(generals):
                general = next(pool)
                customer_set_channel_role(actor=user, customer=general, channel_role=ChannelRole.GENERAL_DISTRIBUTOR)
                for _s in range(SUBS_PER_GENERAL):
                    sub = next(pool)
                    customer_set_parent(
                        actor=user, customer=sub, parent=general, channel_role=ChannelRole.SUB_DISTRIBUTOR
                    )
                    for _r in range(RETAILERS_PER_SUB):
                        retailer = next(pool, None)
                        if retailer is None:
                            break
                        customer_set_parent(
                            actor=user, customer=retailer, parent=sub, channel_role=ChannelRole.RETAILER
                        )
                        if not SalesRecord.objects.filter(customer=retailer).exists():
                            SalesRecord.objects.bulk_create(
                                SalesRecord(
                                    customer=retailer, author=user, product=rng.choice(PRODUCTS),
                                    occurred_on=today - timedelta(days=rng.randint(0, 150)),
                                    quantity=Decimal(rng.randint(1, 20)),
                                    amount=Decimal(rng.randint(20, 500) * 100),
                                )
                                for _line in range(rng.randint(1, 4))
                            )
