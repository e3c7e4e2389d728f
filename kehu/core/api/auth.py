"""API authentication: a personal bearer token, or the page session with its CSRF check."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from kehu.accounts.models import ApiToken, hash_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer <key>`; the key's SHA-256 is looked up, never the key itself."""

    def authenticate(self, request: HttpRequest, token: str):
        if not token:
            return None
        row = (
            ApiToken.objects.select_related("user", "user__department")
            .filter(key_hash=hash_token(token))
            .first()
        )
        if row is None or not row.is_usable:
            return None
        now = timezone.now()
        # Touch at most once a minute: a busy client must not write on every call.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        request.api_token = row
        return row.user


class SessionAuth(APIKeyCookie):
    """The logged-in page session; unsafe methods must carry the CSRF token (HTMX does)."""

    param_name = "sessionid"

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None
