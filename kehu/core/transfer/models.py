"""Import jobs and the column mappings users taught the importer.

An ImportJob belongs to the user who uploaded it (only they, and system administrators,
see it). Its file is stored like an attachment (server-made name under
KEHU_ATTACHMENT_ROOT); it moves checking → previewed → running → done, or to failed.
The check (the preview) and the run are both jobs; `progress` is the running one's.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")  # before the check became a job; kept for old rows
    CHECKING = "checking", _("Checking")
    PREVIEWED = "previewed", _("Checked")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    record_type = models.CharField(_("record type"), max_length=60)
    original_name = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=255, editable=False)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    headers = models.JSONField(_("columns in the file"), default=list, blank=True)
    # Column index in the file (as text) → the importer's column key.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    new_rows = models.PositiveIntegerField(_("new"), default=0)
    update_rows = models.PositiveIntegerField(_("updates"), default=0)
    duplicate_rows = models.PositiveIntegerField(_("duplicates skipped"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    written_rows = models.PositiveIntegerField(_("rows written"), default=0)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # [{"row", "column", "message"}] and [{"row", "verdict", "detail", "target_id"}], capped.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    verdicts = models.JSONField(_("duplicate report"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    # The uploader's language: the job writes its report in it.
    language = models.CharField(max_length=10, blank=True, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["uploaded_by", "-created_at"], name="importjob_user_created")]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def path(self) -> Path:
        return Path(settings.KEHU_ATTACHMENT_ROOT) / self.stored_name

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}

    @property
    def is_busy(self) -> bool:
        """A job (the check or the run) is working on it: the page polls its progress."""
        return self.status in {ImportStatus.CHECKING, ImportStatus.RUNNING}


class ColumnMapping(models.Model):
    """What a user's column titles meant last time, per record type (normalised title → key)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    record_type = models.CharField(max_length=60)
    mapping = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "record_type"], name="columnmapping_unique_user_type")
        ]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return f"{self.user} · {self.record_type}"
