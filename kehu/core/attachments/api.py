"""Attachment API: list and upload on a record, download, delete; the parent's scope decides."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Router, Status
from ninja.files import UploadedFile

from kehu.core.attachments.responses import attachment_response
from kehu.core.attachments.schemas import AttachmentOut
from kehu.core.attachments.selectors import access_attachment, access_record, attachments_for
from kehu.core.attachments.services import attachment_add, attachment_delete
from kehu.core.audit.api import content_type_of

router = Router(tags=["attachments"])


@router.get("/records/{record_type}/{object_id}", response=list[AttachmentOut], url_name="attachments_list")
def attachment_list(request: HttpRequest, record_type: str, object_id: str):
    """A record's attachments ("customers.customer", 42); 404 unless the record is visible."""
    record = access_record(request.user, content_type_of(record_type), object_id, "view")
    return [AttachmentOut.from_attachment(a) for a in attachments_for(record).select_related("content_type")]


@router.post(
    "/records/{record_type}/{object_id}", response={201: AttachmentOut}, url_name="attachments_upload"
)
def attachment_upload(request: HttpRequest, record_type: str, object_id: str, file: File[UploadedFile]):
    """Upload one file (multipart field "file"); needs the edit right on the record."""
    record = access_record(request.user, content_type_of(record_type), object_id, "edit")
    attachment = attachment_add(actor=request.user, target=record, uploaded_file=file)
    return Status(201, AttachmentOut.from_attachment(attachment))


@router.get("/{int:pk}/download", url_name="attachments_download")
def attachment_download(request: HttpRequest, pk: int):
    """The file itself (binary), if the caller may view the record it belongs to."""
    return attachment_response(access_attachment(request.user, pk, "view"))


@router.delete("/{int:pk}", response={204: None}, url_name="attachments_delete")
def attachment_remove(request: HttpRequest, pk: int):
    """Soft-delete an attachment; needs the edit right on its record."""
    attachment_delete(actor=request.user, attachment=access_attachment(request.user, pk, "edit"))
    return Status(204, None)
