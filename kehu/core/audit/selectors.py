"""Reads of the change log, always through the record's own access check."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils import timezone

from kehu.accounts.permissions import access, can
from kehu.core.audit.models import ChangeLogEntry, ChangeLogQuerySet

RECORD_TYPE = "audit.changelogentry"


def changes_for(obj: models.Model) -> ChangeLogQuerySet:
    """Every entry of one record, newest first (no access check: the caller has the record)."""
    return ChangeLogEntry.objects.for_object(obj).select_related("content_type")


def can_see_all_changes(user: Any) -> bool:
    return can(user, RECORD_TYPE, "view")


def can_export_all_changes(user: Any) -> bool:
    """Exporting the global log needs the right to read it as well as the export right."""
    return can_see_all_changes(user) and can(user, RECORD_TYPE, "export")


def record_changes_for_user(user: Any, content_type: ContentType, object_id: str) -> ChangeLogQuerySet:
    """The change log of one record, if `user` may view that record; else Http404.

    Change-log administrators see any record's log (deleted records too); everyone
    else needs the record itself to be visible to them through its scope policy.
    """
    model = content_type.model_class()
    if model is None:
        raise Http404
    if not can_see_all_changes(user):
        access(user, model._default_manager.all(), object_id, "view")
    return ChangeLogEntry.objects.filter(content_type=content_type, object_id=str(object_id)).select_related(
        "content_type"
    )


def all_changes(
    user: Any,
    *,
    actor_id: int | None = None,
    content_type_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> ChangeLogQuerySet:
    """The global change log with filters; PermissionDenied unless `can_see_all_changes(user)`."""
    if not can_see_all_changes(user):
        raise PermissionDenied
    entries = ChangeLogEntry.objects.select_related("content_type")
    if actor_id:
        entries = entries.filter(actor_id=actor_id)
    if content_type_id:
        entries = entries.filter(content_type_id=content_type_id)
    zone = timezone.get_current_timezone()
    if date_from:
        entries = entries.filter(created_at__gte=datetime.combine(date_from, time.min, tzinfo=zone))
    if date_to:
        entries = entries.filter(
            created_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone)
        )
    return entries


def logged_record_types() -> list[ContentType]:
    """Record types that appear in the log, for the filter list."""
    ids = ChangeLogEntry.objects.order_by().values_list("content_type_id", flat=True).distinct()
    return sorted(ContentType.objects.filter(pk__in=list(ids)), key=lambda ct: str(ct.name))
