"""Change-log API: one record's log (scope-checked), the global log (administrators)."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from kehu.core.audit.pagination import page_after
from kehu.core.audit.schemas import ChangeOut, ChangePageOut
from kehu.core.audit.selectors import all_changes, can_see_all_changes, record_changes_for_user

router = Router(tags=["changes"])


class PageIn(Schema):
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=200)


class ChangeFilterIn(PageIn):
    actor: int | None = None
    record_type: str | None = Field(None, description='"app_label.model", e.g. "accounts.user"')
    date_from: date | None = None
    date_to: date | None = None


def content_type_of(record_type: str) -> ContentType:
    """The content type named "app_label.model"; 404 when there is none."""
    app_label, _, model = record_type.lower().partition(".")
    content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
    if content_type is None or content_type.model_class() is None:
        raise Http404
    return content_type


def _page(entries, cursor: str | None, limit: int) -> ChangePageOut:
    rows, next_cursor = page_after(entries, cursor, limit)
    return ChangePageOut(items=[ChangeOut.from_entry(row) for row in rows], next_cursor=next_cursor)


@router.get("/", response=ChangePageOut, url_name="audit_change_list")
def change_list(request: HttpRequest, filters: Query[ChangeFilterIn]):
    """The global change log, newest first; change-log administrators only."""
    if not can_see_all_changes(request.user):
        raise PermissionDenied
    content_type_id = content_type_of(filters.record_type).pk if filters.record_type else None
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationError({"date_to": _("The end date must not be before the start date.")})
    entries = all_changes(
        request.user, actor_id=filters.actor, content_type_id=content_type_id,
        date_from=filters.date_from, date_to=filters.date_to,
    )
    return _page(entries, filters.cursor, filters.limit)


@router.get("/records/{record_type}/{object_id}", response=ChangePageOut, url_name="audit_record_changes")
def record_changes(request: HttpRequest, record_type: str, object_id: str, page: Query[PageIn]):
    """One record's change log; 404 unless the caller may view the record."""
    entries = record_changes_for_user(request.user, content_type_of(record_type), object_id)
    return _page(entries, page.cursor, page.limit)
