"""Archive cards and the sales record book: /api/v1/customers/{id}/cards and /{id}/sales-records."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from kehu.core.api.pagination import CursorPage, CursorParams, paginate
from kehu.customers import selectors, services
from kehu.customers.api.customer import E_WRITE, E
from kehu.customers.models import Card, SalesRecord
from kehu.customers.schemas import (
    CardCreateIn,
    CardFilter,
    CardOut,
    CardUpdateIn,
    SalesPeriod,
    SalesRecordCreateIn,
    SalesRecordOut,
    SalesRecordUpdateIn,
    SalesTotalsOut,
)

router = Router(tags=["customer cards"])


def _ref(user: Any) -> dict | None:
    return {"id": user.pk, "name": user.name} if user is not None else None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def card_out(card: Card) -> dict:
    return {
        "id": card.pk, "customer_id": card.customer_id, "kind": card.kind, "kind_label": card.get_kind_display(),
        "card_date": card.card_date, "title": card.title, "summary": card.summary,
        "fields": {name: _plain(value) for name, value in services.card_values(card).items() if value not in (None, "")},
        "author": _ref(card.author), "version": card.version, "created_at": card.created_at,
        "updated_at": card.updated_at,
    }


def sales_record_out(record: SalesRecord) -> dict:
    data = {
        name: getattr(record, name)
        for name in ("id", "customer_id", "occurred_on", "product", "quantity", "amount", "source", "remarks",
                     "version", "created_at")
    }
    data["author"] = _ref(record.author)
    return data


def _stale(exc: services.StaleEdit) -> HttpError:
    return HttpError(409, str(exc))


# --- cards -----------------------------------------------------------------------------------


@router.get("/{customer_id}/cards", response={200: CursorPage[CardOut], **E}, url_name="cards_list")
def cards_list(request: HttpRequest, customer_id: int, page: Query[CursorParams], filters: Query[CardFilter]):
    """A customer's archive cards, newest date first."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id)
    cards = selectors.cards_for(request.user, customer, kind=filters.kind)
    result = paginate(cards, page, ordering="-card_date")
    return {"items": [card_out(card) for card in result["items"]], "next_cursor": result["next_cursor"]}


@router.post("/{customer_id}/cards", response={201: CardOut, **E_WRITE}, url_name="cards_create")
def cards_create(request: HttpRequest, customer_id: int, payload: CardCreateIn):
    """Add a card to a customer you may edit; a wrong field answers 422 naming it."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id, action="edit")
    card = services.card_create(actor=request.user, customer=customer, **payload.dict())
    return Status(201, card_out(card))


@router.get("/{customer_id}/cards/{card_id}", response={200: CardOut, **E}, url_name="cards_get")
def cards_get(request: HttpRequest, customer_id: int, card_id: int):
    return card_out(selectors.card_get(actor=request.user, customer_id=customer_id, card_id=card_id))


@router.patch("/{customer_id}/cards/{card_id}", response={200: CardOut, **E_WRITE}, url_name="cards_update")
def cards_update(request: HttpRequest, customer_id: int, card_id: int, payload: CardUpdateIn):
    """Change a card (not its type); send the `version` you read, an older one answers 409."""
    card = selectors.card_get(actor=request.user, customer_id=customer_id, card_id=card_id, action="edit")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    try:
        card = services.card_update(actor=request.user, card=card, version=version, **data)
    except services.StaleEdit as exc:
        raise _stale(exc) from exc
    return card_out(card)


@router.delete("/{customer_id}/cards/{card_id}", response={204: None, **E_WRITE}, url_name="cards_delete")
def cards_delete(request: HttpRequest, customer_id: int, card_id: int):
    """Remove a card (the change log keeps what it held)."""
    card = selectors.card_get(actor=request.user, customer_id=customer_id, card_id=card_id, action="edit")
    services.card_delete(actor=request.user, card=card)
    return Status(204, None)


# --- the sales record book -------------------------------------------------------------------


@router.get("/{customer_id}/sales-records", response={200: CursorPage[SalesRecordOut], **E},
            url_name="sales_records_list")
def sales_records_list(request: HttpRequest, customer_id: int, page: Query[CursorParams]):
    """A customer's sales record book, latest sale first."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id)
    result = paginate(selectors.sales_records_for(request.user, customer), page, ordering="-occurred_on")
    return {"items": [sales_record_out(r) for r in result["items"]], "next_cursor": result["next_cursor"]}


@router.get("/{customer_id}/sales-records/totals", response={200: SalesTotalsOut, **E},
            url_name="sales_records_totals")
def sales_records_totals(request: HttpRequest, customer_id: int, period: Query[SalesPeriod]):
    """Number of sales, quantity and amount over a period (both days included)."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id)
    totals = selectors.sales_totals(request.user, customer=customer, **period.dict())
    return totals.__dict__


@router.post("/{customer_id}/sales-records", response={201: SalesRecordOut, **E_WRITE},
             url_name="sales_records_create")
def sales_records_create(request: HttpRequest, customer_id: int, payload: SalesRecordCreateIn):
    """Enter a sale: amount greater than zero, date not in the future, product named."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id, action="edit")
    data = payload.dict()
    if data.get("quantity") is None:
        data.pop("quantity")
    record = services.sales_record_create(actor=request.user, customer=customer, **data)
    return Status(201, sales_record_out(record))


@router.get("/{customer_id}/sales-records/{record_id}", response={200: SalesRecordOut, **E},
            url_name="sales_records_get")
def sales_records_get(request: HttpRequest, customer_id: int, record_id: int):
    return sales_record_out(
        selectors.sales_record_get(actor=request.user, customer_id=customer_id, record_id=record_id)
    )


@router.patch("/{customer_id}/sales-records/{record_id}", response={200: SalesRecordOut, **E_WRITE},
              url_name="sales_records_update")
def sales_records_update(request: HttpRequest, customer_id: int, record_id: int, payload: SalesRecordUpdateIn):
    """Correct a sale; send the `version` you read, an older one answers 409."""
    record = selectors.sales_record_get(
        actor=request.user, customer_id=customer_id, record_id=record_id, action="edit"
    )
    data = {name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None or name == "remarks"}
    version = data.pop("version")
    try:
        record = services.sales_record_update(actor=request.user, record=record, version=version, **data)
    except services.StaleEdit as exc:
        raise _stale(exc) from exc
    return sales_record_out(record)


@router.delete("/{customer_id}/sales-records/{record_id}", response={204: None, **E_WRITE},
               url_name="sales_records_delete")
def sales_records_delete(request: HttpRequest, customer_id: int, record_id: int):
    record = selectors.sales_record_get(
        actor=request.user, customer_id=customer_id, record_id=record_id, action="edit"
    )
    services.sales_record_delete(actor=request.user, record=record)
    return Status(204, None)
