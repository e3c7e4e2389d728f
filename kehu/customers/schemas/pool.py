"""API schemas of the 公海 pool."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from kehu.customers.schemas.customer import Ref


class PoolFilter(Schema):
    q: str = Field("", description="as the customer list: name, contact, phone digits, pinyin initials")
    level: str = Field("", description="base, middle, top, `none` (no level), or empty for any")
    reason: str = Field("", description="released, returned or never_owned")


class PoolCustomerOut(Schema):
    id: int
    name: str
    short_name: str
    industry: str
    province: str
    city: str
    district: str
    level: str
    status: str
    department: Ref | None = Field(description="the pooled customer keeps its department")
    pool_reason: str
    released_at: datetime | None
    previous_owner: Ref | None
    updated_at: datetime


class ClaimAllowanceOut(Schema):
    claims_today: int
    daily_limit: int = Field(description="0: no limit")
    owned: int
    total_limit: int = Field(description="0: no limit")


class ClaimOut(Schema):
    id: int
    name: str
    owner: Ref
    department: Ref | None
    assigned_at: datetime
    version: int
    allowance: ClaimAllowanceOut


class ReleaseIn(Schema):
    reason: str = Field(description="why the customer goes back to the pool (required, ≤ 200 characters)")


class ReleaseOut(Schema):
    id: int
    name: str
    department: Ref | None
    pool_reason: str
    released_at: datetime
    previous_owner: Ref | None
    version: int


class PoolRulesFields(Schema):
    return_days_base: int = Field(description="days without an effective follow-up before a base-level "
                                              "customer returns; 0: never")
    return_days_middle: int
    return_days_top: int
    return_days_unset: int = Field(description="the same for customers without a level")
    warn_days: int = Field(description="the owner is warned this many days before; 0: no warning")
    lockout_days: int = Field(description="days the previous owner may not claim it back; 0: no lock-out")
    daily_claim_limit: int = Field(description="claims per person per day; 0: no limit")
    total_claim_limit: int = Field(description="customers one person may own to claim more; 0: no limit")


class PoolRulesOut(PoolRulesFields):
    version: int = Field(description="send it back when you update; an older one answers 409")
    updated_at: datetime
    updated_by: Ref | None
    may_edit: bool


class PoolRulesIn(PoolRulesFields):
    version: int
