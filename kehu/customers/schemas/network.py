"""API schemas of the distribution network (C4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from kehu.customers.schemas.customer import Ref


class NetworkNodeOut(Schema):
    key: int = Field(description="position in `nodes` (depth-first); `parent_key` points at the parent's")
    parent_key: int | None
    id: int | None = Field(description="null when the customer is outside your scope")
    name: str = Field(description="masked when the customer is outside your scope")
    visible: bool
    depth: int
    channel_role: str
    region: str
    department: str
    owner: str
    in_pool: bool
    is_active: bool
    own_amount: Decimal | None = Field(description="sales in the period; null outside your scope")
    own_records: int | None
    total_amount: Decimal = Field(description="own and below, customers in your scope only")
    total_records: int
    descendants: int = Field(description="customers below, in your scope or not")


class AncestorOut(Schema):
    id: int | None
    name: str
    visible: bool
    channel_role: str


class RegionCountOut(Schema):
    province: str
    city: str
    customers: int


class NetworkOut(Schema):
    customer: Ref
    date_from: date
    date_to: date
    ancestors: list[AncestorOut] = Field(description="from the top of the network down to the direct parent")
    nodes: list[NetworkNodeOut]
    coverage: list[RegionCountOut] = Field(description="customers in your scope per province and city")
    provinces: int
    cities: int
    hidden: int = Field(description="customers in the network outside your scope")
    truncated: bool


class NetworkPeriodIn(Schema):
    date_from: date | None = Field(None, description="default: 1 January of this year")
    date_to: date | None = Field(None, description="default: today")


class ParentIn(Schema):
    parent_id: int
    channel_role: str | None = Field(None, description="general, sub, retail, end_user or empty; omitted: unchanged")
    version: int | None = Field(None, description="the customer's version you read; an older one answers 409")


class ChannelRoleIn(Schema):
    channel_role: str = Field(description="general (总经销), sub (二批), retail (零售), end_user (终端) or empty to clear")
    version: int | None = Field(None, description="the customer's version you read; an older one answers 409")


class ParentRefOut(Schema):
    id: int | None = Field(description="null when the distributor is outside your scope")
    name: str = Field(description="masked when the distributor is outside your scope")
    visible: bool


class ParentOut(Schema):
    id: int
    parent: ParentRefOut | None
    channel_role: str
    version: int
