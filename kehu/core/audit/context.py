"""Who is acting right now: the request's user, or the user a command or job names.

The change log reads the actor from here, so models and services need not pass it
down to every save. A contextvar keeps it per thread and per asyncio task.

    with audit_actor(user):          # in a management command or a huey task
        customer.save()
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

# Holds a user, or a request whose `.user` is read at the moment of the change (an API
# bearer token sets request.user after the middleware ran).
_actor: ContextVar[Any] = ContextVar("kehu_audit_actor", default=None)


@contextmanager
def audit_actor(user: Any) -> Iterator[None]:
    """Attribute every change made inside the block to `user` (None: the system)."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


@contextmanager
def audit_request(request: Any) -> Iterator[None]:
    """Attribute changes to whoever `request.user` is when the change happens."""
    token = _actor.set(request)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Any:
    """The acting user, or None for the system (migrations, anonymous requests)."""
    holder = _actor.get()
    if holder is None:
        return None
    user = getattr(holder, "user", holder) if not _is_user(holder) else holder
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def _is_user(value: Any) -> bool:
    from django.contrib.auth import get_user_model

    return isinstance(value, get_user_model())
