"""Files attached to any record; stored under KEHU_ATTACHMENT_ROOT with server-made names."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kehu.core.attachments.filetypes import is_inline_safe


class AttachmentQuerySet(models.QuerySet):
    """Attachments that are not deleted, per record."""

    def alive(self) -> AttachmentQuerySet:
        return self.filter(deleted_at__isnull=True)

    def for_object(self, obj: models.Model) -> AttachmentQuerySet:
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=str(obj.pk))


class Attachment(models.Model):
    """One uploaded file on one record (generic: content type + object id).

    The file on disk has a random name (`stored_name`); `original_name` is the
    cleaned name the uploader gave, used only for display and download. Deleting
    is soft: `deleted_at` is set, the row and the file stay for the record's history.
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("record id"), max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    original_name = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=255, unique=True, editable=False)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    mime_type = models.CharField(pgettext_lazy("attachment", "content type"), max_length=150)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deleted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_record_idx")]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def path(self) -> Path:
        return Path(settings.KEHU_ATTACHMENT_ROOT) / self.stored_name

    @property
    def is_inline_safe(self) -> bool:
        return is_inline_safe(self.mime_type)
