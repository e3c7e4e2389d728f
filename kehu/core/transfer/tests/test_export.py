"""Exports: the formula guard (a property), CSV with BOM so Excel reads Chinese, .xlsx."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kehu.core.transfer.export import DANGEROUS_START, csv_chunks, guard, xlsx_file
from kehu.core.transfer.parsing import unguard

DANGEROUS = st.sampled_from(["=", "+", "-", "@", "\t", "\r"])


def _could_run(text: str) -> bool:
    return text.startswith(DANGEROUS_START) or "\t" in text or "\r" in text


@given(st.text())
def test_guarded_text_never_starts_a_formula_and_keeps_the_text(text):
    result = guard(text)

    assert not result.startswith(DANGEROUS_START)
    if _could_run(text):
        assert result == "'" + text
    else:
        assert result == text


@given(DANGEROUS, st.text())
def test_every_dangerous_cell_is_neutralised_and_reads_back(start, rest):
    text = start + rest

    result = guard(text)

    assert result.startswith("'")
    assert unguard(result) == text


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_csv_cells_survive_the_round_trip_with_the_guard(values):
    content = "".join(csv_chunks(["a"] * len(values), [values]))

    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:], newline="")))
    assert rows[1] == [guard(v) for v in values]
    assert all(not cell.startswith(DANGEROUS_START) for cell in rows[1])


def test_numbers_are_not_guarded():
    assert guard(-5) == -5
    assert guard(Decimal("-1.5")) == Decimal("-1.5")


def test_xlsx_holds_the_guarded_text_and_numbers():
    from openpyxl import load_workbook

    with xlsx_file(["名称", "额度"], [["=HYPERLINK(\"http://x\")", Decimal("12.50")], ["华东", None]]) as handle:
        sheet = load_workbook(handle, read_only=True).worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert rows[0] == ["名称", "额度"]
    assert rows[1] == ["'=HYPERLINK(\"http://x\")", 12.5]
    assert rows[2][0] == "华东"
