"""On a phone: claim a customer from the 公海 pool, see the allowance move, then release it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kehu.core.tests.browser.test_shell_flow import log_in
from kehu.customers import services
from kehu.customers.models import Customer, PoolRules


def test_claim_from_the_pool_on_a_phone_then_release_it(phone, world):
    PoolRules.objects.update_or_create(pk=1, defaults={"daily_claim_limit": 5})
    pooled = services.customer_create(actor=world.root, owner=None, name="公海精密仪器有限公司", city="上海")
    Customer.objects.filter(pk=pooled.pk).update(department=world.east)
    other = services.customer_create(actor=world.root, owner=None, name="华北公海贸易有限公司", city="北京")
    Customer.objects.filter(pk=other.pk).update(department=world.north)

    log_in(phone, "alice")
    phone.goto("/customers/pool/")
    expect(phone.get_by_test_id("pool-allowance")).to_contain_text("0 / 5")
    rows = phone.get_by_test_id("pool-row")
    expect(rows).to_have_count(1)  # 华北's pool is not alice's
    expect(rows.first).to_contain_text("公海精密仪器有限公司")

    rows.first.get_by_test_id("pool-claim").click()
    expect(rows.first.get_by_test_id("pool-claimed")).to_be_visible()
    expect(phone.get_by_test_id("pool-allowance")).to_contain_text("1 / 5")
    rows.first.get_by_test_id("pool-customer-link").click()
    expect(phone.get_by_test_id("customer-owner")).to_contain_text("王丽")

    phone.get_by_test_id("pool-release").locator("summary").click()
    phone.get_by_test_id("pool-release-reason").fill("客户今年没有采购计划")
    phone.get_by_test_id("pool-release-submit").click()
    expect(phone).to_have_url(re.compile(r"/customers/pool/$"))
    expect(phone.get_by_test_id("pool-row")).to_have_count(1)
    expect(phone.get_by_test_id("pool-row").first).to_contain_text("手动释放")
