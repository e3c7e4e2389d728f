"""API shapes of attachments."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from ninja import Schema


class AttachmentOut(Schema):
    id: int
    record_type: str
    object_id: str
    name: str
    size: int
    content_type: str
    sha256: str
    uploaded_by_id: int | None
    uploaded_by: str
    created_at: datetime
    download_url: str

    @staticmethod
    def from_attachment(attachment) -> AttachmentOut:
        content_type = attachment.content_type
        return AttachmentOut(
            id=attachment.pk,
            record_type=f"{content_type.app_label}.{content_type.model}",
            object_id=attachment.object_id,
            name=attachment.original_name,
            size=attachment.size,
            content_type=attachment.mime_type,
            sha256=attachment.sha256,
            uploaded_by_id=attachment.uploaded_by_id,
            uploaded_by=str(attachment.uploaded_by) if attachment.uploaded_by_id else "",
            created_at=attachment.created_at,
            download_url=reverse("api:attachments_download", args=[attachment.pk]),
        )
