"""API schemas of the handover (C9)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from kehu.customers.schemas.customer import Ref


class HandoverPlanIn(Schema):
    from_user_id: int
    to_user_ids: list[int] = Field(description="one or several recipients, active and visible to you")
    customer_ids: list[int] | None = Field(None, description="a selection; default: all of the user's customers")
    mode: str = Field("round_robin", description="round_robin, or split with `split`")
    split: list[int] | None = Field(None, description="split mode: how many customers each recipient gets, in order")


class HandoverCreateIn(HandoverPlanIn):
    reason: str
    digest: str | None = Field(None, description="the preview's digest: refused (422) when the customers changed since")


class RecipientShareOut(Schema):
    user: Ref
    department: Ref | None
    count: int
    customers: list[Ref]


class HandoverPreviewOut(Schema):
    from_user: Ref
    mode: str
    total: int
    digest: str
    recipients: list[RecipientShareOut]


class HandoverOut(Schema):
    id: int
    from_user: Ref
    department: Ref | None
    mode: str
    reason: str
    customer_count: int
    participant_counts: dict[str, int] = Field(description="open work of later apps moved with the customers")
    created_by: Ref | None
    created_at: datetime


class HandoverItemOut(Schema):
    customer: Ref
    to_user: Ref
    from_department: Ref | None
    to_department: Ref | None


class HandoverDetailOut(HandoverOut):
    items: list[HandoverItemOut]
