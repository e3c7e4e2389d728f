"""Attachment API: list, upload, download, delete on a record."""

from kehu.core.attachments.models import Attachment
from kehu.core.attachments.tests.helpers import PDF, add_attachment, make_record, upload


def test_upload_returns_the_new_attachment(personas, client):
    record = make_record(personas.alice)
    client.force_login(personas.alice)

    response = client.post(f"/api/v1/attachments/records/scoped.scopedrecord/{record.pk}", {"file": upload("报价单.pdf", PDF)})

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["size"], body["content_type"]) == ("报价单.pdf", len(PDF), "application/pdf")
    assert body["download_url"] == f"/api/v1/attachments/{body['id']}/download"


def test_refused_upload_names_the_file_field(personas, client):
    record = make_record(personas.alice)
    client.force_login(personas.alice)

    response = client.post(
        f"/api/v1/attachments/records/scoped.scopedrecord/{record.pk}", {"file": upload("x.bat", b"@echo off")},
    )

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["file"]
    assert Attachment.objects.count() == 0


def test_list_shows_live_attachments_only(personas, client):
    record = make_record(personas.alice)
    kept = add_attachment(record, personas.alice, name="保留.pdf")
    gone = add_attachment(record, personas.alice, name="删除.pdf")
    client.force_login(personas.carol)
    client.delete(f"/api/v1/attachments/{gone.pk}")

    response = client.get(f"/api/v1/attachments/records/scoped.scopedrecord/{record.pk}")

    assert [item["id"] for item in response.json()] == [kept.pk]


def test_download_streams_the_stored_bytes(personas, client):
    attachment = add_attachment(make_record(personas.alice), personas.alice)
    client.force_login(personas.root)

    response = client.get(f"/api/v1/attachments/{attachment.pk}/download")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_colleague_cannot_delete_and_nothing_changes(personas, client):
    attachment = add_attachment(make_record(personas.alice), personas.alice)
    client.force_login(personas.bob)

    response = client.delete(f"/api/v1/attachments/{attachment.pk}")

    assert response.status_code == 404
    attachment.refresh_from_db()
    assert attachment.deleted_at is None
