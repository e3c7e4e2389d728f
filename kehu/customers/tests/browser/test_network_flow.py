"""On a phone: pick a distributor with the search-as-you-type picker and see the tree; hand over with a preview."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kehu.core.tests.browser.test_shell_flow import log_in
from kehu.customers.tests.factories import make_customer


def test_set_a_distributor_with_the_picker_then_view_the_tree_on_a_phone(phone, world):
    make_customer(world.alice, name="华东总经销有限公司", city="上海", province="上海")
    shop = make_customer(world.alice, name="杭州零售有限公司", city="杭州", province="浙江")

    log_in(phone, "alice")
    phone.goto(f"/customers/{shop.pk}/")
    expect(phone.get_by_test_id("network-parent")).to_contain_text("—")
    phone.get_by_test_id("network-set-parent").click()
    # htmx binds the picker's input trigger once the page has loaded; typing earlier is lost.
    expect(phone).to_have_url(re.compile(rf"/customers/{shop.pk}/network/parent/$"))
    phone.wait_for_load_state("load")

    phone.get_by_test_id("network-parent-search").fill("hdzjx")
    choice = phone.get_by_test_id("network-parent-choice")
    expect(choice).to_have_count(1)
    expect(phone.get_by_test_id("network-parent-results")).to_contain_text("华东总经销有限公司")
    choice.check()
    phone.locator("[name=channel_role]").select_option("retail")
    phone.get_by_test_id("network-parent-save").click()

    expect(phone).to_have_url(re.compile(rf"/customers/{shop.pk}/network/$"))
    expect(phone.get_by_test_id("network-ancestors")).to_contain_text("华东总经销有限公司")
    phone.get_by_test_id("network-ancestors").get_by_role("link").click()
    nodes = phone.get_by_test_id("network-node")
    expect(nodes).to_have_count(2)
    expect(nodes.nth(1)).to_contain_text("杭州零售有限公司")
    expect(nodes.nth(1)).to_contain_text("零售/终端")
    expect(phone.get_by_test_id("coverage-row")).to_have_count(2)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_hand_over_with_a_preview_then_confirm(phone, world):
    for index in range(3):
        make_customer(world.alice, name=f"交接{index}科技有限公司")

    log_in(phone, "carol")
    phone.goto("/customers/handovers/")
    phone.get_by_test_id("handover-new").click()
    form = phone.get_by_test_id("handover-form")
    form.locator("[name=from_user]").select_option(str(world.alice.pk))
    form.locator(f"[name=to_users][value='{world.bob.pk}']").check()
    form.locator(f"[name=to_users][value='{world.erin.pk}']").check()
    form.locator("[name=reason]").fill("离职交接")
    phone.get_by_test_id("handover-preview-button").click()

    counts = phone.get_by_test_id("handover-share-count")
    expect(counts).to_have_count(2)
    expect(phone.get_by_test_id("handover-preview")).to_contain_text("王丽 的 3 个客户将被交接")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_test_id("handover-confirm").click()

    expect(phone.get_by_test_id("handover-count")).to_have_text("3")
    expect(phone.get_by_test_id("handover-item")).to_have_count(3)
