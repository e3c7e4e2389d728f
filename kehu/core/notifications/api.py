"""/api/v1/notifications: the caller's own inbox, unread count, marking read, channel preferences.

Everything is scoped to the recipient: another user's notification id answers 404.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from kehu.core.api.pagination import CursorPage, CursorParams, paginate
from kehu.core.notifications.schemas import (
    InboxFilter,
    MarkedReadOut,
    NotificationOut,
    PreferenceIn,
    PreferenceOut,
    UnreadCountOut,
)
from kehu.core.notifications.selectors import (
    inbox_for,
    notification_for,
    preference_for,
    unread_count,
)
from kehu.core.notifications.services import (
    notification_mark_all_read,
    notification_mark_read,
    notification_preference_set,
)

router = Router(tags=["notifications"])


@router.get("", response=CursorPage[NotificationOut], url_name="notifications_list")
def notifications_list(request: HttpRequest, page: Query[CursorParams], filters: Query[InboxFilter]):
    """The caller's notifications, newest first; `?unread=true` for unread only."""
    rows = inbox_for(request.user)
    if filters.unread:
        rows = rows.filter(read_at__isnull=True)
    return paginate(rows, page, ordering="-created_at")


@router.get("/unread-count", response=UnreadCountOut, url_name="notifications_unread_count")
def notifications_unread_count(request: HttpRequest):
    return {"unread": unread_count(request.user)}


@router.post("/read-all", response=MarkedReadOut, url_name="notifications_mark_all_read")
def notifications_mark_all_read(request: HttpRequest):
    marked = notification_mark_all_read(actor=request.user)
    return {"marked": marked, "unread": unread_count(request.user)}


@router.post("/{int:notification_id}/read", response=NotificationOut, url_name="notifications_mark_read")
def notifications_mark_read(request: HttpRequest, notification_id: int):
    notification = notification_for(request.user, notification_id)
    return notification_mark_read(actor=request.user, notification=notification)


@router.get("/preferences", response=PreferenceOut, url_name="notifications_preferences_get")
def notifications_preferences_get(request: HttpRequest):
    return preference_for(request.user)


@router.put("/preferences", response=PreferenceOut, url_name="notifications_preferences_update")
def notifications_preferences_update(request: HttpRequest, payload: PreferenceIn):
    return notification_preference_set(
        actor=request.user, email_enabled=payload.email_enabled, sms_enabled=payload.sms_enabled
    )
