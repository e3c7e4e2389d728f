"""On a phone: set a customer's pyramid level by hand (HTMX swaps the section), then see the ABC line."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from kehu.core.tests.browser.test_shell_flow import log_in
from kehu.customers import services
from kehu.customers.models import SalesRecord
from kehu.customers.tests.factories import make_customer


def test_manual_level_and_the_abc_line_on_a_phone(phone, world):
    customer = make_customer(world.alice, name="刘春江汽车服务有限公司")
    SalesRecord.objects.create(customer=customer, occurred_on=timezone.localdate(), product="保养", amount=2430)
    services.customer_spend_estimate_set(actor=world.alice, customer=customer, amount="3200")
    services.classification_run(actor=None)

    log_in(phone, "alice")
    phone.goto(f"/customers/{customer.pk}/")
    section = phone.get_by_test_id("customer-classification")
    expect(section.get_by_test_id("classification-loyalty")).to_contain_text("75.9% +")
    section.get_by_test_id("classification-edit").click()
    form = section.get_by_test_id("level-form")
    form.locator("[name=level]").select_option("top")
    form.get_by_test_id("level-set").click()
    expect(phone.get_by_test_id("customer-classification")).to_contain_text("请说明手工设定这一层级的理由。")

    # The section came back with the error and its forms still open.
    phone.get_by_test_id("level-form").locator("[name=level]").select_option("top")
    phone.get_by_test_id("level-form").locator("[name=reason]").fill("名利双收的黄金客户")
    phone.get_by_test_id("level-set").click()
    expect(phone.get_by_test_id("classification-level")).to_contain_text("塔尖")
    expect(phone.get_by_test_id("classification-reason")).to_have_text("名利双收的黄金客户")

    phone.goto("/customers/abc/")
    expect(phone.get_by_test_id("abc-row")).to_have_count(1)
    expect(phone.get_by_test_id("abc-class")).to_have_text("C+")
