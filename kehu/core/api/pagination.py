"""Cursor pagination for ninja list endpoints: stable under inserts, cheap on big tables.

A page is `{"items": [...], "next_cursor": "..." | null}`. The cursor is opaque to
clients (URL-safe base64 of the last row's ordering value and primary key); they
send it back as `?cursor=` to get the next page. `limit` is 1‥200 (default 50).

Usage in an app's api.py:

    from kehu.core.api.pagination import CursorPage, CursorParams, paginate

    @router.get("/customers", response=CursorPage[CustomerOut], url_name="customers_list")
    def customers_list(request, page: Query[CursorParams], filters: Query[CustomerFilter]):
        customers = Customer.objects.visible_to(request.user).filter(...)
        return paginate(customers, page, ordering="name")          # or "-created_at"

`ordering` names ONE non-null model field (prefix "-" for descending); ties are
broken by the primary key, so every row appears exactly once across pages. A
malformed cursor answers 422 with the field `cursor`.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema

MAX_LIMIT = 200
DEFAULT_LIMIT = 50

T = TypeVar("T")


class CursorParams(Schema):
    """Query parameters of a cursor-paginated list."""

    cursor: str | None = Field(None, description="next_cursor from the previous page")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="rows per page, at most 200")


class CursorPage(Schema, Generic[T]):
    """One page of a list: the rows and the cursor of the next page (null on the last)."""

    items: list[T]
    next_cursor: str | None = None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_cursor(value: Any, pk: Any) -> str:
    raw = json.dumps([_plain(value), _plain(pk)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, model: type[Model], field_name: str) -> tuple[Any, Any]:
    invalid = ValidationError({"cursor": _("This cursor is not valid; start again from the first page.")})
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        field = model._meta.get_field(field_name)
        return field.to_python(value), model._meta.pk.to_python(pk)
    except (binascii.Error, ValueError, TypeError, ValidationError, UnicodeDecodeError) as exc:
        raise invalid from exc


def paginate(
    queryset: QuerySet, params: CursorParams | None = None, *, ordering: str = "pk",
    cursor: str | None = None, limit: int | None = None,
) -> dict[str, Any]:
    """Return one page of `queryset` ordered by (`ordering`, pk) after `cursor`.

    Takes the cursor and limit from `params` (a CursorParams) or the keywords.
    """
    if params is not None:
        cursor, limit = params.cursor, params.limit
    limit = max(1, min(limit or DEFAULT_LIMIT, MAX_LIMIT))
    descending = ordering.startswith("-")
    field_name = ordering.lstrip("-")
    model = queryset.model
    pk_name = model._meta.pk.name
    if field_name == "pk":
        field_name = pk_name
    if cursor:
        value, pk = decode_cursor(cursor, model, field_name)
        op = "lt" if descending else "gt"
        if field_name == pk_name:
            queryset = queryset.filter(**{f"{pk_name}__{op}": pk})
        else:
            queryset = queryset.filter(
                Q(**{f"{field_name}__{op}": value}) | Q(**{field_name: value, f"{pk_name}__{op}": pk})
            )
    sign = "-" if descending else ""
    order = [f"{sign}{field_name}"] if field_name == pk_name else [f"{sign}{field_name}", f"{sign}{pk_name}"]
    rows = list(queryset.order_by(*order)[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, field_name), last.pk)
    return {"items": rows, "next_cursor": next_cursor}
