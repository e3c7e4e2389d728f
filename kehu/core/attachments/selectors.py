"""Reads of attachments, always through the PARENT record's scope check.

The parent must be a model with the scope policy (`objects = ScopedManager()`);
attachments on any other model are open to superusers only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404

from kehu.accounts.permissions import ScopedQuerySet, access, can, is_unrestricted, record_type_of
from kehu.core.attachments.models import Attachment, AttachmentQuerySet


def attachments_for(obj: models.Model) -> AttachmentQuerySet:
    """The record's attachments that are not deleted, newest first."""
    return Attachment.objects.alive().for_object(obj).select_related("uploaded_by")


def access_record(user: Any, content_type: ContentType, object_id: Any, action: str = "view") -> models.Model:
    """The parent record for `action`: 404 when not visible, 403 when visible but not allowed."""
    model = content_type.model_class()
    if model is None:
        raise Http404
    queryset = model._default_manager.all()
    if isinstance(queryset, ScopedQuerySet):
        return access(user, queryset, object_id, action)
    if not is_unrestricted(user):
        raise Http404
    try:
        return queryset.get(pk=object_id)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def access_attachment(user: Any, pk: Any, action: str = "view") -> Attachment:
    """One live attachment, if the user may `action` ("view" or "edit") its parent record."""
    attachment = Attachment.objects.alive().select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    access_record(user, attachment.content_type, attachment.object_id, action)
    return attachment


def can_change_attachments(user: Any, record: models.Model) -> bool:
    return can(user, record_type_of(record), "edit")
