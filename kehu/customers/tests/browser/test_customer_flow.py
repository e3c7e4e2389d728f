"""On a phone: create a customer past a live duplicate warning, then find it by pinyin initials."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kehu.core.tests.browser.test_shell_flow import log_in
from kehu.customers.tests.factories import make_customer


def test_create_with_a_duplicate_warning_then_search_by_pinyin_on_a_phone(phone, world):
    make_customer(world.erin, name="华为技术有限公司", city="北京", province="北京")

    log_in(phone, "alice")
    phone.locator("[data-nav=customers]").first.dispatch_event("click")
    expect(phone).to_have_url(re.compile(r"/customers/$"))
    phone.get_by_test_id("customer-create").click()

    form = phone.get_by_test_id("customer-form")
    form.locator("[name=city]").fill("北京")
    form.locator("[name=name]").fill("北京华为技术有限公司")
    warning = phone.get_by_test_id("duplicate-match")
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("华******司")
    expect(warning).to_contain_text("华北销售组")
    expect(warning).to_contain_text("将无法保存")
    expect(phone.get_by_test_id("duplicate-list")).not_to_contain_text("华为技术有限公司")

    # In another city it is only a possible duplicate: saved.
    form.locator("[name=city]").fill("上海")
    form.locator("[name=city]").press("Tab")
    expect(phone.get_by_test_id("duplicate-match")).not_to_contain_text("将无法保存")
    phone.get_by_test_id("customer-save").click()
    expect(phone.get_by_test_id("customer-name")).to_have_text("北京华为技术有限公司")

    phone.goto("/customers/")
    phone.locator("[name=q]").fill("hwjs")
    rows = phone.get_by_test_id("customer-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("北京华为技术有限公司")
    expect(phone).to_have_url(re.compile(r"q=hwjs"))
