"""Reading uploads: CSV in UTF-8, UTF-8 with BOM and GB18030; .xlsx cells as typed; column mapping."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from kehu.core.transfer.mapping import auto_mapping, header_key, remembered_form
from kehu.core.transfer.parsing import cell_text, read_table, unguard
from kehu.core.transfer.registry import get_importer
from kehu.core.transfer.tests.helpers import csv_bytes, xlsx_bytes

ROWS = [["华东精密机械有限公司", "", "上海", "021-12345678", "王芳", "13812345678"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding_reads_the_same(tmp_path, encoding):
    path = tmp_path / "客户.csv"
    path.write_bytes(csv_bytes(ROWS, encoding=encoding))

    table = read_table(path, path.name)

    assert table.headers[0] == "客户名称"
    assert list(table.rows) == [(2, ROWS[0])]
    assert table.encoding == encoding


def test_gbk_file_is_not_mistaken_for_utf8(tmp_path):
    data = csv_bytes([["北京華為技術有限公司", "", "北京", "", "", ""]], encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    path = tmp_path / "gbk.csv"
    path.write_bytes(data)

    assert next(read_table(path, path.name).rows)[1][0] == "北京華為技術有限公司"


def test_xlsx_cells_read_as_typed_and_empty_rows_are_skipped(tmp_path):
    rows = [
        ["甲公司", None, "上海", 2112345678, "王芳", 13812345678.0],
        [None, None, None, None, None, None],
        ["乙公司", None, datetime.datetime(2024, 3, 15), 1.5, "'=1+1", None],
    ]
    path = tmp_path / "客户.xlsx"
    path.write_bytes(xlsx_bytes(rows))

    table = read_table(path, path.name)

    assert list(table.rows) == [
        (2, ["甲公司", "", "上海", "2112345678", "王芳", "13812345678"]),
        (4, ["乙公司", "", "2024-03-15", "1.5", "=1+1", ""]),
    ]


def test_short_rows_are_padded_and_the_header_row_may_follow_blank_lines(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("\n,,\n名称,城市\n甲公司\n", encoding="utf-8")

    table = read_table(path, path.name)

    assert table.headers == ["名称", "城市"]
    assert list(table.rows) == [(4, ["甲公司", ""])]


def test_an_empty_or_broken_file_is_refused_in_chinese(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError) as excinfo:
        read_table(empty, empty.name)
    assert "文件是空的" in excinfo.value.message_dict["file"][0]

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ValidationError) as excinfo:
        read_table(broken, broken.name)
    assert "Excel" in excinfo.value.message_dict["file"][0]


def test_unguard_undoes_only_the_export_guard():
    assert unguard("'=SUM(A1)") == "=SUM(A1)"
    assert unguard("'+86 138") == "+86 138"
    assert unguard("'abc") == "'abc"
    assert cell_text("  王芳 ") == "王芳"


@pytest.mark.django_db  # the columns include the custom fields, read from the database
def test_titles_map_in_chinese_english_and_aliases_each_field_once():
    importer = get_importer("customers.customer")
    headers = ["客户名称*", "Credit code", "手机", "城市", "城市", "备注（必填）", "不认识的列"]

    mapping = auto_mapping(importer, headers)

    assert mapping == {"0": "name", "1": "credit_code", "2": "contact_mobile", "3": "city", "5": "remarks"}
    assert header_key(" 客户名称（必填） ") == "客户名称"


@pytest.mark.django_db  # the columns include the custom fields, read from the database
def test_a_remembered_mapping_wins_over_the_titles():
    importer = get_importer("customers.customer")
    headers = ["公司名称", "电话号码"]
    remembered = remembered_form(headers, {"0": "name", "1": "contact_mobile"})

    assert auto_mapping(importer, headers) == {"0": "name"}
    assert auto_mapping(importer, headers, remembered) == {"0": "name", "1": "contact_mobile"}
