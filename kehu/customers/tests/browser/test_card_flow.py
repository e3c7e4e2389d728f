"""On a phone: add a regional-competitor card to a customer from its 360° page (HTMX form), see it listed."""

from __future__ import annotations

from playwright.sync_api import expect

from kehu.core.tests.browser.test_shell_flow import log_in
from kehu.customers.models import Card
from kehu.customers.tests.factories import make_customer


def test_add_a_competitor_card_on_a_phone(phone, world):
    customer = make_customer(world.alice, name="上海华信精密机械有限公司")

    log_in(phone, "alice")
    phone.goto(f"/customers/{customer.pk}/")
    section = phone.get_by_test_id("customer-cards")
    section.get_by_test_id("card-add-competitor").click()

    form = phone.get_by_test_id("card-form")
    expect(form).to_be_visible()
    form.locator("[name=competitor_products]").fill("伺服系统、小型 PLC")
    phone.get_by_test_id("card-save").click()
    expect(phone.get_by_test_id("card-form")).to_contain_text("这个字段是必填项")  # nothing saved

    phone.get_by_test_id("card-form").locator("[name=competitor_name]").fill("汇川代理商")
    phone.get_by_test_id("card-form").locator("[name=contract_expires_on]").fill("2027-03-31")
    phone.get_by_test_id("card-save").click()

    expect(phone.get_by_test_id("card-form")).to_have_count(0)
    row = phone.get_by_test_id("card-kind-competitor").get_by_test_id("card-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("汇川代理商")
    expect(row).to_contain_text("2027-03-31")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    assert Card.objects.get().contract_expires_on.isoformat() == "2027-03-31"
