"""Attachment pages: the record section, upload, download headers, delete."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from kehu.core.attachments.models import Attachment
from kehu.core.attachments.tests.helpers import PDF, PNG, add_attachment, make_record, upload
from kehu.testing.scoped.models import ScopedRecord


def list_url(record) -> str:
    return reverse("attachments:attachment_list", args=[ContentType.objects.get_for_model(ScopedRecord).pk, record.pk])


def download(client, attachment):
    response = client.get(reverse("attachments:attachment_download", args=[attachment.pk]))
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


def test_section_lists_attachments_and_offers_upload_to_the_owner(personas, client):
    record = make_record(personas.alice)
    add_attachment(record, personas.alice, name="报价单.pdf")
    client.force_login(personas.alice)

    response = client.get(list_url(record), headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "报价单.pdf" in body
    assert 'type="file"' in body
    assert "<html" not in body


def test_upload_through_the_page_adds_the_file(personas, client):
    record = make_record(personas.alice)
    client.force_login(personas.alice)

    response = client.post(list_url(record), {"file": upload("纪要.txt", "会议纪要".encode())})

    assert response.status_code == 302
    assert Attachment.objects.get().original_name == "纪要.txt"


def test_refused_upload_shows_the_reason_and_keeps_nothing(personas, client):
    record = make_record(personas.alice)
    client.force_login(personas.alice)

    response = client.post(
        list_url(record), {"file": upload("tool.exe", b"MZ\x00\x00")}, headers={"Accept-Language": "en"}
    )

    assert response.status_code == 400
    assert "Programs and scripts cannot be attached." in response.content.decode()
    assert Attachment.objects.count() == 0


def test_pdf_is_shown_inline_with_nosniff(personas, client):
    attachment = add_attachment(make_record(personas.alice), personas.alice, name="报价单.pdf", content=PDF)
    client.force_login(personas.alice)

    response, content = download(client, attachment)

    assert content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_html_and_svg_are_always_downloads_in_a_sandbox(personas, client):
    record = make_record(personas.alice)
    page = add_attachment(record, personas.alice, name="page.html", content=b"<script>alert(1)</script>")
    image = add_attachment(record, personas.alice, name="x.svg", content=b"<svg onload='alert(1)'/>")
    client.force_login(personas.alice)

    for attachment in (page, image):
        response, _ = download(client, attachment)
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Type"] == "application/octet-stream"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"].startswith("sandbox")


def test_chinese_file_name_is_kept_on_download(personas, client):
    attachment = add_attachment(make_record(personas.alice), personas.alice, name="合同.docx", content=b"PK\x03\x04" + b"\0" * 20)
    client.force_login(personas.alice)

    response, _ = download(client, attachment)

    assert "filename*=utf-8''%E5%90%88%E5%90%8C.docx" in response["Content-Disposition"]


def test_download_outside_the_parents_scope_is_404(personas, client):
    attachment = add_attachment(make_record(personas.alice), personas.alice, content=PNG, name="a.png")
    client.force_login(personas.erin)

    response, _ = download(client, attachment)

    assert response.status_code == 404


def test_deleted_attachment_cannot_be_downloaded(personas, client):
    attachment = add_attachment(make_record(personas.alice), personas.alice)
    client.force_login(personas.alice)

    client.post(reverse("attachments:attachment_delete", args=[attachment.pk]))
    response, _ = download(client, attachment)

    assert response.status_code == 404


def test_attachments_on_a_model_without_scope_are_for_superusers_only(personas, client):
    client.force_login(personas.root)  # sysadmin role, not a superuser
    url = reverse("attachments:attachment_list", args=[ContentType.objects.get_for_model(ContentType).pk, 1])

    assert client.get(url).status_code == 404
