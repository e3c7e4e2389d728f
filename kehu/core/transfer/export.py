"""Writing exports: CSV (UTF-8 with BOM, so Excel opens Chinese) and .xlsx, guarded against formulas.

A cell that starts with = + - @, or holds a tab or carriage return, could run as a formula
(CSV injection) when someone opens the file in Excel or WPS: `guard()` puts a ' in
front, which spreadsheets show as text. Every exported cell passes through it.

CSV streams row by row (StreamingHttpResponse); .xlsx is written by openpyxl's
write-only mode to a temporary file that is then streamed, so neither keeps the rows in memory.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

DANGEROUS_START = ("=", "+", "-", "@")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def guard(value: Any) -> Any:
    """The value safe for a spreadsheet cell: text that could be a formula gets a leading '."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(DANGEROUS_START) or "\t" in value or "\r" in value:
        return "'" + value
    return value


def plain(value: Any) -> Any:
    """A value as a cell holds it: text, numbers and dates stay, None is empty, datetimes local."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, bool | int | Decimal | date):
        return value
    return str(value)


def cells(row: Iterable[Any]) -> list[Any]:
    return [guard(plain(value)) for value in row]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(headers: list[str], rows: Iterable[Iterable[Any]], *, bom: bool = True) -> Iterator[str]:
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"
    yield writer.writerow(cells(headers))
    for row in rows:
        yield writer.writerow(cells(row))


def xlsx_file(headers: list[str], rows: Iterable[Iterable[Any]], *, title: str = "Sheet1"):
    """A temporary file holding the workbook (deleted when closed), positioned at its start."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Sheet1")
    sheet.append(cells(headers))
    for row in rows:
        sheet.append(cells(row))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it after streaming
    workbook.save(handle)
    handle.seek(0)
    return handle


def _disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode() or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def export_response(fmt: str, filename: str, headers: list[str], rows: Iterable[Iterable[Any]]):
    """A download of `rows` as CSV (streamed) or .xlsx; `filename` without its extension."""
    if fmt == "xlsx":
        response = FileResponse(xlsx_file(headers, rows), content_type=XLSX_TYPE)
        response["Content-Disposition"] = _disposition(f"{filename}.xlsx")
        return response
    response = StreamingHttpResponse(csv_chunks(headers, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = _disposition(f"{filename}.csv")
    return response
