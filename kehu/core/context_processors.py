"""What every page of the shell needs: the navigation for this user's roles, the unread count."""

from __future__ import annotations

from django.http import HttpRequest

from kehu.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_count": 0}
    from kehu.core.notifications.selectors import unread_count

    return {"nav_items": navigation_for(user), "unread_count": unread_count(user)}
