"""Adding and deleting attachments: checks, storage, soft delete, the parent's change log."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from kehu.core.attachments.models import Attachment
from kehu.core.attachments.selectors import attachments_for
from kehu.core.attachments.services import attachment_add, attachment_delete
from kehu.core.attachments.tests.helpers import PDF, PNG, add_attachment, make_record, upload
from kehu.core.audit.selectors import changes_for


def stored_files() -> list[Path]:
    root = Path(settings.KEHU_ATTACHMENT_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_upload_is_stored_under_a_random_dated_name_with_hash_and_size(personas):
    record = make_record(personas.alice)

    attachment = add_attachment(record, personas.alice, name="报价单.pdf", content=PDF)

    assert attachment.original_name == "报价单.pdf"
    assert attachment.size == len(PDF)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.mime_type == "application/pdf"
    assert attachment.uploaded_by == personas.alice
    parts = attachment.stored_name.split("/")
    assert len(parts) == 4 and len(parts[3]) == 32 and "报价单" not in attachment.stored_name
    assert attachment.path.read_bytes() == PDF
    assert list(attachments_for(record)) == [attachment]


def test_upload_shows_in_the_parent_records_change_log(personas):
    record = make_record(personas.alice)

    add_attachment(record, personas.alice, name="合同.pdf")

    entry = changes_for(record).first()
    assert (entry.actor, entry.changes[0]["field"], entry.changes[0]["new"]) == (personas.alice, "attachments", "合同.pdf")


def test_path_in_the_name_is_dropped_and_reserved_characters_replaced(personas):
    record = make_record(personas.alice)

    attachment = add_attachment(record, personas.alice, name='..\\..\\etc/pass<wd>.txt', content=b"hello")

    assert attachment.original_name == "pass_wd_.txt"


@pytest.mark.parametrize("name", ["setup.exe", "run.bat", "deploy.sh", "app.js", "install.msi", "lib.dll", "报价单.pdf.exe"])
def test_executables_are_refused_whatever_their_content(personas, name):
    record = make_record(personas.alice)

    with pytest.raises(ValidationError) as caught:
        add_attachment(record, personas.alice, name=name, content=PDF)

    assert list(caught.value.message_dict) == ["file"]
    assert Attachment.objects.count() == 0
    assert stored_files() == []


def test_windows_program_renamed_to_pdf_is_refused(personas):
    record = make_record(personas.alice)

    with pytest.raises(ValidationError):
        add_attachment(record, personas.alice, name="发票.pdf", content=b"MZ\x90\x00" + b"\x00" * 64)

    assert Attachment.objects.count() == 0


def test_content_that_does_not_match_the_extension_is_refused(personas):
    record = make_record(personas.alice)

    with pytest.raises(ValidationError) as caught:
        add_attachment(record, personas.alice, name="photo.png", content=PDF)

    assert "photo" not in str(caught.value) and "png" in str(caught.value)


def test_unlisted_extension_is_refused(personas):
    with pytest.raises(ValidationError):
        add_attachment(make_record(personas.alice), personas.alice, name="data.iso", content=b"CD001")


@pytest.mark.parametrize(
    ("name", "content", "mime_type"),
    [
        ("客户名单.csv", "名称,电话\n华信,021\n".encode("gb18030"), "text/csv"),
        ("report.xlsx", b"PK\x03\x04" + b"\x00" * 30, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 30, "application/msword"),
        ("logo.png", PNG, "image/png"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/svg+xml"),
    ],
)
def test_office_text_and_image_files_are_accepted(personas, name, content, mime_type):
    attachment = add_attachment(make_record(personas.alice), personas.alice, name=name, content=content)

    assert attachment.mime_type == mime_type


def test_file_over_the_size_limit_is_refused_and_nothing_kept(personas, settings):
    settings.KEHU_ATTACHMENT_MAX_BYTES = 10

    with pytest.raises(ValidationError) as caught:
        add_attachment(make_record(personas.alice), personas.alice, content=PDF)

    assert list(caught.value.message_dict) == ["file"]
    assert stored_files() == []


def test_empty_file_is_refused(personas):
    with pytest.raises(ValidationError):
        attachment_add(actor=personas.alice, target=make_record(personas.alice), uploaded_file=upload(content=b""))


def test_delete_is_soft_and_logged_on_the_parent(personas):
    record = make_record(personas.alice)
    attachment = add_attachment(record, personas.alice, name="旧合同.pdf")

    attachment_delete(actor=personas.carol, attachment=attachment)

    attachment.refresh_from_db()
    assert attachment.deleted_at is not None and attachment.deleted_by == personas.carol
    assert attachment.path.exists()
    assert list(attachments_for(record)) == []
    entry = changes_for(record).first()
    assert (entry.actor, entry.changes[0]["old"], entry.changes[0]["new"]) == (personas.carol, "旧合同.pdf", "")
