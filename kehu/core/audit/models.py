"""The change log: one append-only row per create, update, delete or business event."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Action(models.TextChoices):
    """What happened to the record."""

    CREATE = "create", pgettext_lazy("change log action", "Created")
    UPDATE = "update", pgettext_lazy("change log action", "Updated")
    DELETE = "delete", pgettext_lazy("change log action", "Deleted")
    MERGE = "merge", pgettext_lazy("change log action", "Merged")
    UNMASK = "unmask", pgettext_lazy("change log action", "Personal data revealed")
    DEACTIVATE = "deactivate", pgettext_lazy("change log action", "Deactivated")
    REACTIVATE = "reactivate", pgettext_lazy("change log action", "Reactivated")
    TRANSFER = "transfer", pgettext_lazy("change log action", "Transferred")
    EXPORT = "export", pgettext_lazy("change log action", "Exported")


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or remove a change-log row."""


class ChangeLogQuerySet(models.QuerySet):
    """Reads only: bulk update and delete are refused like the row methods."""

    def update(self, **kwargs):
        raise AppendOnlyError("The change log is append-only.")

    def delete(self):
        raise AppendOnlyError("The change log is append-only.")

    def for_object(self, obj: models.Model) -> ChangeLogQuerySet:
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=str(obj.pk))


class ChangeLogEntry(models.Model):
    """Who did what to which record, when, and each field's old → new display text.

    `changes` is a list of {"field", "label", "old", "new"}; personal-data fields
    hold only their masked form. Rows are written once and never changed or removed.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Kept as written: the log must read the same after the user is renamed or removed.
    actor_repr = models.CharField(_("user name"), max_length=150, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ChangeLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"], name="audit_record_idx")]
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log entries")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The change log is append-only.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The change log is append-only.")

    def display_changes(self) -> list[dict[str, str]]:
        """The changes with field labels in the reader's language where the field still exists."""
        model = self.content_type.model_class()
        rows = []
        for change in self.changes or []:
            label = change.get("label") or change.get("field", "")
            if model is not None:
                with contextlib.suppress(FieldDoesNotExist):
                    label = str(getattr(model._meta.get_field(change.get("field", "")), "verbose_name", label))
            rows.append({**change, "label": label})
        return rows
