"""Test helpers: uploads of known content, and records owned by a persona."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from kehu.core.audit.tests.helpers import make_record  # noqa: F401 - re-exported for these tests

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name: str = "报价单.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def add_attachment(record, actor, name: str = "报价单.pdf", content: bytes = PDF):
    from kehu.core.attachments.services import attachment_add

    return attachment_add(actor=actor, target=record, uploaded_file=upload(name, content))
