"""On a phone: the administrator adds a custom field; a salesperson fills it in, sees it, filters by it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kehu.core.tests.browser.test_shell_flow import log_in


def test_add_a_field_then_use_it_on_a_customer(phone, world):
    log_in(phone, "root")
    phone.goto("/settings/custom-fields/")
    phone.get_by_test_id("definition-create").click()
    form = phone.get_by_test_id("definition-form")
    form.locator("[name=record_type]").select_option("customers.customer")
    form.locator("[name=key]").fill("grade")
    form.locator("[name=label]").fill("客户等级")
    form.locator("[name=kind]").select_option("choice")
    form.locator("[name=choices]").fill("A\nB\nC")
    phone.get_by_test_id("definition-save").click()
    expect(phone.get_by_test_id("definition-row")).to_contain_text("客户等级")

    phone.context.clear_cookies()
    log_in(phone, "alice")
    phone.goto("/customers/new/")
    form = phone.get_by_test_id("customer-form")
    form.locator("[name=city]").fill("上海")
    form.locator("[name=name]").fill("星河精密机械有限公司")
    form.locator("[name='custom.grade']").select_option("B")
    phone.get_by_test_id("customer-save").click()
    expect(phone.get_by_test_id("customer-name")).to_have_text("星河精密机械有限公司")
    expect(phone.get_by_test_id("custom-grade")).to_have_text("B")

    phone.goto("/customers/?cf_grade=A")
    expect(phone.get_by_test_id("customers-empty")).to_be_visible()
    phone.goto("/customers/?cf_grade=B")
    expect(phone.get_by_test_id("customer-row")).to_have_count(1)
    expect(phone).to_have_url(re.compile(r"cf_grade=B"))
