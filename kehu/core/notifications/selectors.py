"""Reads of a user's inbox."""

from __future__ import annotations

from kehu.core.notifications.models import Notification


def inbox_for(user):
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def latest_for(user, *, limit: int = 5) -> list[Notification]:
    return list(inbox_for(user)[:limit])
