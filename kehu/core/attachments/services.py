"""Adding and removing attachments; both show on the parent record's change log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core.attachments.filetypes import check_file_type, clean_filename
from kehu.core.attachments.models import Attachment
from kehu.core.attachments.storage import read_head, store_upload, too_large_error
from kehu.core.audit.context import audit_actor
from kehu.core.audit.models import Action
from kehu.core.audit.services import change_record_event


def attachment_add(*, actor: Any, target: models.Model, uploaded_file: UploadedFile) -> Attachment:
    """Check, store and record one upload on `target`; nothing is kept when it is refused.

    The caller has checked that `actor` may edit `target`. A file written for a
    transaction that later rolls back stays on disk unreferenced (harmless, and
    found by comparing the folder with the table).
    """
    if uploaded_file is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    if uploaded_file.size is not None and uploaded_file.size > settings.KEHU_ATTACHMENT_MAX_BYTES:
        raise too_large_error(settings.KEHU_ATTACHMENT_MAX_BYTES)
    if not uploaded_file.size:
        raise ValidationError({"file": _("The file is empty.")})
    name = clean_filename(uploaded_file.name or "")
    mime_type = check_file_type(name, read_head(uploaded_file))
    stored = store_upload(uploaded_file)
    try:
        with transaction.atomic(), audit_actor(actor):
            attachment = Attachment.objects.create(
                content_type=ContentType.objects.get_for_model(target),
                object_id=str(target.pk),
                original_name=name,
                stored_name=stored.stored_name,
                size=stored.size,
                sha256=stored.sha256,
                mime_type=mime_type,
                uploaded_by=actor,
            )
            change_record_event(
                actor=actor, target=target, action=Action.UPDATE,
                changes=[("attachments", "", name)], labels={"attachments": _("Attachments")},
            )
    except BaseException:
        stored.path.unlink(missing_ok=True)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, actor: Any, attachment: Attachment) -> Attachment:
    """Soft-delete: hide the attachment, keep the row and file, log it on the parent record."""
    if attachment.deleted_at is not None:
        return attachment
    with audit_actor(actor):
        attachment.deleted_at = timezone.now()
        attachment.deleted_by = actor
        attachment.save(update_fields=["deleted_at", "deleted_by"])
        parent = attachment.record
        if parent is not None:
            change_record_event(
                actor=actor, target=parent, action=Action.UPDATE,
                changes=[("attachments", attachment.original_name, "")],
                labels={"attachments": _("Attachments")},
            )
    return attachment
