"""Keyset (cursor) pagination over the change log: newest first, stable under inserts."""

from __future__ import annotations

import base64
import json
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from kehu.core.audit.models import ChangeLogQuerySet


def encode_cursor(created_at: datetime, pk: int) -> str:
    raw = json.dumps([created_at.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created_at, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return datetime.fromisoformat(created_at), int(pk)
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise ValidationError({"cursor": _("This cursor is not valid; start again without it.")}) from exc


def page_after(entries: ChangeLogQuerySet, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """Up to `limit` entries after `cursor`, and the cursor of the next page (None at the end)."""
    entries = entries.order_by("-created_at", "-pk")
    if cursor:
        created_at, pk = decode_cursor(cursor)
        entries = entries.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))
    rows = list(entries[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1].created_at, rows[-1].pk)
