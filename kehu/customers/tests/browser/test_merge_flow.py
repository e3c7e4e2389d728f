"""On a phone: a manager merges a duplicate from the 360° page, choosing a field; then reveals a phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kehu.core.tests.browser.test_shell_flow import log_in
from kehu.customers.models import Customer
from kehu.customers.tests.factories import make_contact, make_customer


def test_merge_two_customers_from_the_360_page_on_a_phone(phone, world):
    survivor = make_customer(world.alice, name="华为技术有限公司", city="深圳", industry="通信")
    loser = make_customer(world.bob, name="华为终端有限公司", city="深圳", industry="手机")
    make_contact(loser, name="李雷")

    log_in(phone, "carol")
    phone.goto(f"/customers/{survivor.pk}/")
    phone.get_by_test_id("customer-merge").click()
    phone.get_by_test_id("merge-q").fill("hwzd")
    phone.get_by_test_id("merge-search-submit").click()
    expect(phone.get_by_test_id("merge-candidate")).to_have_count(1)
    phone.get_by_test_id("merge-choose").click()

    expect(phone.get_by_test_id("merge-table")).to_contain_text("华为终端有限公司")
    expect(phone.get_by_test_id("merge-moves")).to_contain_text("联系人: 1")
    expect(phone.get_by_test_id("merge-keep-industry")).to_be_checked()
    phone.get_by_test_id("merge-take-industry").check()
    phone.get_by_test_id("merge-confirm").click()

    expect(phone).to_have_url(re.compile(rf"/customers/{survivor.pk}/$"))
    expect(phone.get_by_test_id("customer-contacts")).to_contain_text("李雷")
    expect(phone.get_by_test_id("customer-profile")).to_contain_text("手机")
    assert Customer.objects.get(pk=loser.pk).merged_into_id == survivor.pk

    # The alias's address leads to the survivor.
    phone.goto(f"/customers/{loser.pk}/")
    expect(phone).to_have_url(re.compile(rf"/customers/{survivor.pk}/$"))
    expect(phone.get_by_test_id("customer-name")).to_have_text("华为技术有限公司")


def test_customer_service_reveals_a_masked_phone_on_a_phone(phone, world):
    customer = make_customer(world.alice, name="华为技术有限公司", phone="13812345678")

    log_in(phone, "dave")
    phone.goto(f"/customers/{customer.pk}/")
    expect(phone.get_by_test_id("customer-phone")).to_contain_text("138****5678")
    phone.get_by_test_id("unmask-phone").click()
    expect(phone.get_by_test_id("unmasked-phone")).to_have_text("13812345678")
