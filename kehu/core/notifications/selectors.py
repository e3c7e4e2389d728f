"""Reads of a user's inbox and preferences; everything starts from the recipient."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, When

from kehu.core.notifications.models import Notification, NotificationPreference


def inbox_for(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody sees anyone else's."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def inbox_page_rows(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The inbox list: unread first, then newest first."""
    rows = inbox_for(user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.annotate(
        unread_first=Case(When(read_at__isnull=True, then=0), default=1, output_field=IntegerField())
    ).order_by("unread_first", "-created_at", "-pk")


def notification_for(user, pk: int) -> Notification:
    """The user's notification `pk`, or Http404 (someone else's answers the same as a missing one)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(inbox_for(user), pk=pk)


def unread_count(user) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()


def latest_for(user, *, limit: int = 5) -> list[Notification]:
    return list(inbox_for(user)[:limit])


def preference_for(user) -> NotificationPreference:
    """The user's channel choices; an unsaved default (everything on) when never set."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)
