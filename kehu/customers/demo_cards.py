"""Demo archive cards and sales records for the demo customers (after `seed_customers`).

Idempotent: a customer that already has cards (or sales records) gets none added. The values
are drawn from a random generator seeded by the customer's credit code, so they are stable.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

PRODUCTS = [
    ("工业网关 GW-200", Decimal("3800")), ("PLC 控制柜", Decimal("26500")), ("伺服驱动器 SD-750", Decimal("4200")),
    ("触摸屏 HMI-10", Decimal("2600")), ("变频器 VF-22", Decimal("5800")), ("传感器套件", Decimal("980")),
]
COMPETITORS = [
    ("西门子（中国）经销商", "S7-1200 PLC、精智面板"), ("汇川技术代理商", "伺服系统、小型 PLC"),
    ("台达电子渠道商", "变频器、人机界面"), ("信捷电气", "PLC、伺服、触摸屏"),
]
FEEDBACK = [
    "终端用户反映设备调试周期偏长，希望提供现场培训。", "用户认可产品稳定性，但希望缩短备件交期。",
    "反映说明书偏简略，希望有中文视频教程。",
]
DISTRIBUTOR_FEEDBACK = [
    ("苏州顺达自动化", "希望季度返点政策提前公布，便于备货。"),
    ("宁波恒信机电", "反映区域内窜货，要求公司加强价格管控。"),
    ("佛山联创设备", "希望增加样机支持，方便向终端客户演示。"),
]
STRATEGIES = [
    ("年内将其发展为区域核心经销商，年采购额达到 80 万元。", "每月拜访一次；联合举办两场技术交流会；给予阶梯返点。"),
    ("稳住现有份额，防止竞争对手在合同到期时切入。", "提前两个月启动续约谈判；提供延保服务。"),
]
PAYMENT_HABITS = [
    "每月 25 日前集中付款，发工资前后不宜催款。", "习惯月结 60 天，年底付款偏慢，需提前对账。",
    "付款及时，偶尔要求分两期支付大额货款。",
]


def seed_cards(org: Any) -> None:
    """Cards for customers in talks or working with us; sales records for those that buy."""
    from kehu.core.audit.context import audit_actor
    from kehu.customers import services
    from kehu.customers.models import Card, Customer, SalesRecord

    today = timezone.localdate()
    customers = (
        Customer.objects.filter(owner__username__in=list(org.users), is_active=True)
        .filter(status__in=["negotiating", "signed", "cooperating"])
        .select_related("owner").order_by("pk")
    )
    with_cards = set(Card.objects.values_list("customer_id", flat=True).distinct())
    with_sales = set(SalesRecord.objects.values_list("customer_id", flat=True).distinct())
    for customer in customers:
        rng = random.Random(customer.credit_code or customer.pk)
        user = customer.owner
        with audit_actor(user):
            if customer.pk not in with_cards:
                _cards(services, rng, user, customer, today)
            if customer.status in {"signed", "cooperating"} and customer.pk not in with_sales:
                for _index in range(rng.randint(3, 8)):
                    product, price = rng.choice(PRODUCTS)
                    quantity = rng.randint(1, 20)
                    services.sales_record_create(
                        actor=user, customer=customer, occurred_on=today - datetime.timedelta(days=rng.randint(1, 400)),
                        product=product, quantity=quantity, amount=price * quantity,
                    )


def _cards(services: Any, rng: random.Random, user: Any, customer: Any, today: datetime.date) -> None:
    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    services.card_create(
        actor=user, customer=customer, kind="credit", card_date=ago(rng.randint(30, 200)),
        fields={"credit_rating": rng.choice(["AAA", "AA", "A", "B"]),
                "credit_limit": Decimal(rng.choice([50000, 100000, 200000, 500000])),
                "payment_days": rng.choice([30, 45, 60]), "payment_habits": rng.choice(PAYMENT_HABITS)},
    )
    product, price = rng.choice(PRODUCTS)
    start = ago(rng.randint(10, 120))
    services.card_create(
        actor=user, customer=customer, kind="price", card_date=start,
        fields={"product": product, "unit_price": (price * Decimal("0.92")).quantize(Decimal("1")),
                "valid_from": start, "valid_to": start + datetime.timedelta(days=365),
                "terms": "年采购满 50 台再返 2%。"},
    )
    competitor, their_products = rng.choice(COMPETITORS)
    services.card_create(
        actor=user, customer=customer, kind="competitor", card_date=ago(rng.randint(5, 90)),
        fields={"competitor_name": competitor, "competitor_products": their_products,
                "contract_expires_on": today + datetime.timedelta(days=rng.randint(15, 240))},
    )
    if rng.random() < 0.5:
        expense = Decimal(rng.randint(2, 30) * 500)
        revenue = expense * rng.randint(4, 12)
        services.card_create(
            actor=user, customer=customer, kind="expense", card_date=ago(rng.randint(1, 60)),
            fields={"expense_item": rng.choice(["促销活动费", "运费补贴", "技术培训费"]), "expense": expense,
                    "revenue": revenue, "profit": (revenue * Decimal("0.18") - expense).quantize(Decimal("1"))},
        )
    if rng.random() < 0.4:
        services.card_create(
            actor=user, customer=customer, kind="consumer_feedback", card_date=ago(rng.randint(1, 60)),
            fields={"product": rng.choice(PRODUCTS)[0], "feedback": rng.choice(FEEDBACK)},
        )
    if rng.random() < 0.3:
        distributor, feedback = rng.choice(DISTRIBUTOR_FEEDBACK)
        services.card_create(
            actor=user, customer=customer, kind="distributor_feedback", card_date=ago(rng.randint(1, 60)),
            fields={"distributor": distributor, "feedback": feedback},
        )
    if customer.status == "cooperating":
        objective, measures = rng.choice(STRATEGIES)
        services.card_create(
            actor=user, customer=customer, kind="strategy", card_date=ago(rng.randint(1, 30)),
            fields={"objective": objective, "measures": measures},
        )
