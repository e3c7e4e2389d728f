"""Reading an uploaded table: .xlsx (openpyxl, read-only) or CSV (UTF-8, UTF-8 with BOM, GB18030).

`read_table(path, name)` gives the header titles and the data rows as lists of text, with
their spreadsheet row numbers (the header is row 1). Empty rows are skipped. A cell our
own export guarded against formulas ('=SUM…) loses the guard again, so a file exported
from Kehu imports back unchanged.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kehu.core.transfer.export import DANGEROUS_START

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str = ""


def unguard(text: str) -> str:
    """'=1+1 → =1+1: undo the formula guard of an export (only where it was needed)."""
    if len(text) > 1 and text[0] == "'" and (text[1] in DANGEROUS_START or "\t" in text or "\r" in text):
        return text[1:]
    return text


def cell_text(value) -> str:
    """One cell as the text a person typed: 13800001111 not 13800001111.0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return unguard(str(value).strip())


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: UTF-8 (with or without BOM) or GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ValidationError(
            {"file": _("The file's characters cannot be read; save it as UTF-8 or GBK (GB18030) CSV, or as .xlsx.")}
        ) from exc


def _is_xlsx(path: Path, name: str) -> bool:
    if name.lower().endswith(XLSX_SUFFIXES):
        return True
    if name.lower().endswith(CSV_SUFFIXES):
        return False
    return zipfile.is_zipfile(path)


def _csv_rows(text: str) -> Iterator[list[str]]:
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(path: Path) -> Iterator[list]:
    from openpyxl import load_workbook

    # A file object: stored uploads have no .xlsx suffix, which openpyxl would refuse.
    with path.open("rb") as handle:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken or foreign file
            raise ValidationError({"file": _("This is not a readable Excel (.xlsx) file.")}) from exc
        try:
            sheet = workbook.worksheets[0]
            yield from (list(row) for row in sheet.iter_rows(values_only=True))
        finally:
            workbook.close()


def read_table(path: Path, name: str) -> Table:
    """Headers and numbered non-empty rows; ValidationError({"file": …}) for an unreadable file."""
    encoding = ""
    if _is_xlsx(path, name):
        raw_rows: Iterator[list] = _xlsx_rows(path)
        encoding = "xlsx"
    elif name.lower().endswith(CSV_SUFFIXES) or not zipfile.is_zipfile(path):
        text, encoding = decode(path.read_bytes())
        raw_rows = _csv_rows(text)
    else:
        raise ValidationError({"file": _("Upload an Excel (.xlsx) or CSV file.")})
    numbered = enumerate(raw_rows, start=1)
    headers: list[str] | None = None
    for number, raw in numbered:
        cells = [cell_text(value) for value in raw]
        if any(cells):
            headers = cells
            break
        del number
    if headers is None:
        raise ValidationError({"file": _("The file is empty: the first row must hold the column titles.")})
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, raw in numbered:
            cells = [cell_text(value) for value in raw[:width]]
            if not any(cells):
                continue
            if len(cells) < width:
                cells += [""] * (width - len(cells))
            yield number, cells

    return Table(headers=headers, rows=rows(), encoding=encoding)
