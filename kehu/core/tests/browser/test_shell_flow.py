"""The page flow every user depends on: log in → inbox → switch language → administer users."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kehu.accounts.models import User
from kehu.core.notifications.services import notify
from kehu.testing.personas import PASSWORD


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("inbox-link")).to_be_visible()


def test_login_inbox_language_and_user_admin_on_a_phone(phone, world):
    notify(recipients=[world.root], kind="system", title="欢迎使用客户系统", body="请完善个人资料。")
    notify(recipients=[world.root], kind="system", title="本周例会改到周五")

    log_in(phone, "root")
    expect(phone.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(phone.get_by_test_id("unread-count")).to_have_text("2")

    # Inbox: read one notification; the badge follows without a reload (HTMX).
    phone.get_by_test_id("inbox-link").click()
    rows = phone.get_by_test_id("notification")
    expect(rows).to_have_count(2)
    expect(phone.get_by_text("欢迎使用客户系统")).to_be_visible()
    rows.filter(has_text="欢迎使用客户系统").get_by_test_id("mark-read").click()
    expect(phone.get_by_test_id("unread-count")).to_have_text("1")

    # Language switch: the shell speaks English, and keeps speaking it.
    phone.get_by_test_id("language-select").select_option("en")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_test_id("inbox-link")).to_contain_text("Inbox")
    phone.reload()
    expect(phone.get_by_test_id("mark-all-read")).to_have_text("Mark all as read")

    # User administration: create a salesperson in 华东销售组.
    phone.goto("/accounts/users/")
    expect(phone.get_by_test_id("users-table")).to_be_visible()
    phone.get_by_test_id("user-create").click()
    form = phone.get_by_test_id("user-form")
    form.locator("[name=username]").fill("xiaoming")
    form.locator("[name=password]").fill("Xiaoming-pass-2026")
    form.locator("[name=display_name]").fill("王小明")
    form.locator("[name=mobile]").fill("13800138000")
    form.locator("[name=department]").select_option(value=str(world.east.pk))
    form.get_by_label(re.compile("Salesperson|业务员")).check()
    phone.get_by_test_id("user-save").click()
    expect(phone.locator("[data-testid=user-row][data-username=xiaoming]")).to_be_visible()

    created = User.objects.get(username="xiaoming")
    assert created.department == world.east
    assert list(created.roles.values_list("code", flat=True)) == ["salesperson"]

    # Nothing on the page is wider than the phone.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px)"


def test_wrong_password_shows_one_message_and_no_session(phone, world):
    phone.goto("/accounts/login/")
    phone.get_by_test_id("login-username").fill("alice")
    phone.get_by_test_id("login-password").fill("not-her-password")
    phone.get_by_test_id("login-submit").click()
    expect(phone.get_by_test_id("login-error")).to_contain_text("用户名或密码不正确")
    phone.goto("/")
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
