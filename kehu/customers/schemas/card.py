"""API schemas of archive cards and the sales record book."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from kehu.customers.schemas.customer import Ref

FIELDS_HELP = (
    "the card type's fields by name: credit (credit_rating, credit_limit, payment_days, payment_habits); "
    "price (product, unit_price, valid_from, valid_to, terms); expense (expense_item, expense, revenue, "
    "profit); competitor (competitor_name, competitor_products, contract_expires_on, competitor_terms); "
    "consumer_feedback (product, feedback, response); distributor_feedback (distributor, feedback, "
    "response); strategy (objective, measures). Dates as YYYY-MM-DD, amounts as numbers or strings."
)


class CardOut(Schema):
    id: int
    customer_id: int
    kind: str = Field(description="credit, price, expense, competitor, consumer_feedback, "
                                  "distributor_feedback or strategy")
    kind_label: str
    card_date: date
    title: str
    summary: str
    fields: dict[str, Any] = Field(description=FIELDS_HELP)
    author: Ref | None
    version: int = Field(description="send it back when you update; an older one answers 409")
    created_at: datetime
    updated_at: datetime


class CardCreateIn(Schema):
    kind: str
    card_date: date | None = Field(None, description="today when left out; not in the future")
    title: str = Field("", description="named after the card's main value when empty")
    summary: str = ""
    fields: dict[str, Any] = Field(default_factory=dict, description=FIELDS_HELP)


class CardUpdateIn(Schema):
    version: int
    card_date: date | None = None
    title: str | None = None
    summary: str | None = None
    fields: dict[str, Any] | None = Field(None, description="replaces all the type's fields when given")


class CardFilter(Schema):
    kind: str = Field("", description="only cards of this type")


class SalesRecordOut(Schema):
    id: int
    customer_id: int
    occurred_on: date
    product: str
    quantity: Decimal
    amount: Decimal = Field(description="CNY")
    source: str
    remarks: str
    author: Ref | None
    version: int = Field(description="send it back when you update; an older one answers 409")
    created_at: datetime


class SalesRecordCreateIn(Schema):
    occurred_on: date = Field(description="not in the future")
    product: str
    quantity: Decimal | None = Field(None, description="1 when left out; greater than zero")
    amount: Decimal = Field(description="CNY, greater than zero")
    remarks: str = ""


class SalesRecordUpdateIn(Schema):
    version: int
    occurred_on: date | None = None
    product: str | None = None
    quantity: Decimal | None = None
    amount: Decimal | None = None
    remarks: str | None = None


class SalesPeriod(Schema):
    date_from: date | None = Field(None, description="first day included")
    date_to: date | None = Field(None, description="last day included")


class SalesTotalsOut(Schema):
    count: int
    quantity: Decimal
    amount: Decimal = Field(description="CNY")
    date_from: date | None
    date_to: date | None
