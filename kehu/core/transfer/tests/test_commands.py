"""`kehu import customers FILE` and `kehu export customers`, driven through the command's entry point."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from kehu.cli import main
from kehu.core.transfer.tests.helpers import csv_bytes
from kehu.customers.models import Customer
from kehu.customers.tests.factories import credit_code, make_customer

pytestmark = pytest.mark.django_db


def write(tmp_path, rows, name="客户.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    return str(path)


def test_a_bad_file_prints_every_error_and_exits_non_zero(personas, tmp_path, capsys):
    path = write(tmp_path, [["好的科技有限公司", "", "上海", "", "", ""], ["坏的", "123", "上海", "", "", ""]])

    code = main(["import", "customers", path, "--as", "carol"])

    out, err = capsys.readouterr()
    assert code == 1
    assert "第 3 行 统一社会信用代码：统一社会信用代码应为 18 位，当前为 3 位。" in err
    assert "Nothing was imported." in err
    assert Customer.objects.count() == 0


def test_dry_run_checks_and_writes_nothing(personas, tmp_path, capsys):
    path = write(tmp_path, [["好的科技有限公司", credit_code(), "上海", "", "", ""]])

    assert main(["import", "customers", path, "--as", "carol", "--dry-run"]) == 0

    out, _err = capsys.readouterr()
    assert "1 rows: 1 new" in out and "Dry run" in out
    assert Customer.objects.count() == 0


def test_import_writes_everything_as_the_named_user(personas, tmp_path, capsys):
    path = write(tmp_path, [["好的科技有限公司", credit_code(), "上海", "", "王芳", "13812345678"]])

    assert main(["import", "customers", path, "--as", "carol"]) == 0

    assert "Imported 1 rows." in capsys.readouterr().out
    customer = Customer.objects.get()
    assert customer.owner == personas.carol and customer.contacts.count() == 1


def test_import_refuses_a_user_without_the_right(personas, tmp_path, capsys):
    path = write(tmp_path, [["好的科技有限公司", "", "上海", "", "", ""]])

    assert main(["import", "customers", path, "--as", "alice"]) == 1
    assert "alice may not import customers" in capsys.readouterr().err


def test_export_writes_csv_or_xlsx_in_the_users_scope(personas, tmp_path, capsys):
    make_customer(personas.alice, name="华东精密机械有限公司")
    make_customer(personas.erin, name="北方贸易有限公司")

    assert main(["export", "customers", "--as", "carol"]) == 0
    out = capsys.readouterr().out
    assert "华东精密机械有限公司" in out and "北方贸易有限公司" in out and out.startswith("客户编号,")

    target = tmp_path / "out.xlsx"
    assert main(["export", "customers", "--format", "xlsx", "--output", str(target), "--as", "root"]) == 0
    names = [row[2] for row in load_workbook(target, read_only=True).worksheets[0].iter_rows(values_only=True)]
    assert sorted(names[1:]) == ["北方贸易有限公司", "华东精密机械有限公司"]

    assert main(["export", "customers", "--as", "alice"]) == 1
    assert "alice may not export customers" in capsys.readouterr().err
