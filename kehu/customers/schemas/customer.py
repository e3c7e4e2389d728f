"""API schemas of the archive: explicit In/Out per endpoint."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class Ref(Schema):
    id: int
    name: str


class ContactOut(Schema):
    id: int
    customer_id: int
    name: str
    position: str
    department_name: str
    decision_role: str
    mobile: str = Field(description="masked (138****5678) unless you may see personal data")
    phone: str
    fax: str
    email: str
    wechat: str
    qq: str
    is_primary: bool
    remarks: str
    version: int
    created_at: datetime
    updated_at: datetime
    custom: dict[str, Any] = Field(
        default_factory=dict,
        description="custom-field values by key (see /api/v1/custom-fields): text and choice as text, "
        "number as a number, date as YYYY-MM-DD, multiple choice as a list",
    )


class CustomerOut(Schema):
    id: int
    kind: str
    name: str
    short_name: str
    credit_code: str
    industry: str
    business_function: str
    province: str
    city: str
    district: str
    address: str
    postcode: str
    phone: str = Field(description="masked unless you may see personal data")
    website: str
    economic_nature: str
    scale: str
    network_coverage: str
    main_business: str
    credit_rating: str
    credit_limit: Decimal | None
    source: str
    status: str
    level: str = Field(description="the pyramid level: by the level rules or set by hand (see its classification)")
    tags: list[str]
    id_number: str = Field(description="individuals only; masked unless you may see personal data")
    owner: Ref | None = Field(description="null: the customer is in the public pool (公海)")
    department: Ref | None
    in_pool: bool
    remarks: str
    is_active: bool
    merged_into_id: int | None
    version: int = Field(description="send it back when you update; an older one answers 409")
    created_at: datetime
    updated_at: datetime
    custom: dict[str, Any] = Field(
        default_factory=dict,
        description="custom-field values by key (see /api/v1/custom-fields): text and choice as text, "
        "number as a number, date as YYYY-MM-DD, multiple choice as a list",
    )


class CustomerDetailOut(CustomerOut):
    contacts: list[ContactOut]


class CustomerFields(Schema):
    kind: str | None = None
    name: str | None = None
    short_name: str | None = None
    credit_code: str | None = None
    industry: str | None = None
    business_function: str | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    address: str | None = None
    postcode: str | None = None
    phone: str | None = None
    website: str | None = None
    economic_nature: str | None = None
    scale: str | None = None
    network_coverage: str | None = None
    main_business: str | None = None
    credit_rating: str | None = None
    credit_limit: Decimal | None = None
    source: str | None = None
    status: str | None = None
    level: str | None = Field(
        None,
        description="base, middle or top, set by hand: needs `level_reason` (a different level than the "
        "current one on update; the same one changes nothing). Left out on create: the level rules set it. "
        "On update, null or \"\" gives a hand-set level back to the rules.",
    )
    level_reason: str | None = Field(
        None, description="why the level is set by hand (required with a new level; errors name `level_reason`)"
    )
    id_number: str | None = None
    birthday: date | None = None
    remarks: str | None = None
    tags: list[str] | None = None
    custom: dict[str, Any] | None = Field(
        None,
        description="custom-field values by key; on update only the keys sent change, null or \"\" clears one; "
        "errors name `custom.<key>`",
    )


class CustomerCreateIn(CustomerFields):
    name: str
    owner_id: int | None = Field(
        None, description="default: you; another user or the pool (pool=true) needs the transfer right"
    )
    pool: bool = Field(False, description="create it in the public pool, without owner")


class CustomerUpdateIn(CustomerFields):
    version: int


class CustomerFilter(Schema):
    q: str = Field("", description="2+ consecutive characters of name, short name, contact; phone digits; "
                                   "pinyin initials (hwjs)")
    status: str = ""
    level: str = ""
    owner: str = Field("", description="a user id, `me`, or `pool`")
    tag: str = ""
    active: bool = True
    idle_days: int | None = Field(None, ge=1, le=3650, description="at least this many days since the last "
                                                                  "effective follow-up")
    department: str = Field("", description="a department id; includes its sub-departments")
    province: str = ""
    city: str = ""
    industry: str = ""
    sort: str = Field("updated", description="updated (newest change first), name (by pinyin) or created")


class ContactFields(Schema):
    name: str | None = None
    position: str | None = None
    department_name: str | None = None
    decision_role: str | None = None
    mobile: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    wechat: str | None = None
    qq: str | None = None
    birthday: date | None = None
    family_notes: str | None = None
    is_primary: bool | None = None
    remarks: str | None = None
    custom: dict[str, Any] | None = Field(
        None,
        description="custom-field values by key; on update only the keys sent change, null or \"\" clears one; "
        "errors name `custom.<key>`",
    )


class ContactCreateIn(ContactFields):
    name: str


class ContactUpdateIn(ContactFields):
    version: int


class DuplicateCheckIn(Schema):
    name: str = ""
    kind: str = "company"
    credit_code: str = ""
    city: str = ""
    phones: list[str] = []
    exclude_id: int | None = Field(None, description="the customer being edited")


class DuplicateMatchOut(Schema):
    id: int | None = Field(description="null when the customer is outside your scope")
    name: str = Field(description="masked when the customer is outside your scope")
    visible: bool
    score: int = Field(description="100 exact, 90 same normalised name, 70 same phone, 60 similar name")
    exact: bool = Field(description="an exact duplicate: saving would be refused")
    reasons: list[str]
    department: str
    in_pool: bool
    owner: str
    city: str
    is_active: bool


class DuplicateCheckOut(Schema):
    name_key: str
    matches: list[DuplicateMatchOut]


from kehu.core.api.errors import ErrorItem, ErrorOut  # noqa: E402,F401  (the one error format)
