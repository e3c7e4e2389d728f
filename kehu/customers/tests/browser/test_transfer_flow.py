"""On a phone: import a file with a bad row and see why, then import a good file and find the customers.

The check is a job: the page shows its progress until the report is ready. Huey runs jobs at
once in tests, so here the first check is held back and run by hand while the page polls.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kehu.core.tests.browser.test_shell_flow import log_in
from kehu.core.transfer import services, tasks
from kehu.core.transfer.tests.helpers import csv_bytes
from kehu.customers.models import Customer
from kehu.customers.tests.factories import credit_code


def _file(rows) -> dict:
    return {"name": "客户.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)}


def test_a_bad_row_is_explained_then_a_good_file_imports(phone, world, monkeypatch):
    held = []
    enqueue = services.enqueue_on_commit

    def hold_the_first_check(task, *args, **kwargs):
        if task is tasks.check_import and not held:
            held.append((task, args))
        else:
            enqueue(task, *args, **kwargs)

    monkeypatch.setattr(services, "enqueue_on_commit", hold_the_first_check)
    good = [
        ["浏览器导入甲科技有限公司", credit_code(), "上海", "021-12345678", "王芳", "13812345678"],
        ["浏览器导入乙科技有限公司", "", "杭州", "", "", ""],
    ]
    bad = [good[0], ["浏览器导入丙科技有限公司", "123", "上海", "", "", ""]]

    log_in(phone, "carol")
    phone.goto("/customers/")
    phone.get_by_test_id("customer-import").click()
    expect(phone).to_have_url(re.compile(r"/imports/\?type=customers.customer"))
    phone.get_by_test_id("import-file").set_input_files(_file(bad))
    phone.get_by_test_id("import-check").click()

    expect(phone.get_by_test_id("import-checking")).to_be_visible()  # upload → checking …
    expect(phone.get_by_test_id("import-progress")).to_contain_text("正在检查文件")
    expect(phone.get_by_test_id("import-errors")).to_have_count(0)
    task, args = held[0]
    task(*args)  # … the check job runs; the page, polling, reloads to the report
    expect(phone.get_by_test_id("import-checking")).to_have_count(0)
    errors = phone.get_by_test_id("import-errors")
    expect(errors).to_contain_text("统一社会信用代码应为 18 位，当前为 3 位。")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr").first).to_contain_text("3")
    expect(phone.get_by_test_id("import-blocked")).to_be_visible()
    expect(phone.get_by_test_id("import-confirm")).to_have_count(0)
    assert Customer.objects.count() == 0

    phone.goto("/imports/")
    phone.get_by_test_id("import-file").set_input_files(_file(good))
    phone.get_by_test_id("import-check").click()
    expect(phone.get_by_test_id("count-new")).to_have_text("2")
    phone.get_by_test_id("import-confirm").click()
    expect(phone.get_by_test_id("import-done")).to_contain_text("完成：已导入 2 行。")

    phone.goto("/customers/")
    rows = phone.get_by_test_id("customer-row")
    expect(rows).to_have_count(2)
    expect(phone.get_by_test_id("customer-export-xlsx")).to_be_visible()
