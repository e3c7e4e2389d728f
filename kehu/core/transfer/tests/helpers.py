"""Files for import tests: CSV in any encoding and .xlsx, as uploads."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

HEADERS = ["客户名称", "统一社会信用代码", "城市", "公司电话", "联系人", "手机"]


def csv_bytes(rows: list[list], *, headers: list[str] = HEADERS, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], *, headers: list[str] = HEADERS) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(rows: list[list], *, name: str = "客户.csv", headers: list[str] = HEADERS, encoding: str = "utf-8-sig"):
    data = xlsx_bytes(rows, headers=headers) if name.endswith(".xlsx") else csv_bytes(
        rows, headers=headers, encoding=encoding
    )
    return SimpleUploadedFile(name, data)


def checked(start):
    """Run `start()` (an upload or a re-check) and the check job it enqueues on commit; the job, reloaded.

    Tests run inside a transaction that never commits, so the job is started by hand here,
    exactly as the commit would (huey runs immediately in tests).
    """
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        job = start()
    job.refresh_from_db()
    return job
