"""API schemas of merge (C7) and the unmask action."""

from __future__ import annotations

from ninja import Field, Schema

from kehu.customers.schemas.customer import CustomerDetailOut


class MergePreviewIn(Schema):
    loser_id: int = Field(description="the customer merged INTO this one (it becomes an alias)")


class MergeSideOut(Schema):
    id: int
    name: str
    version: int = Field(description="send it back with the merge; a newer one answers 409")


class MergeFieldOut(Schema):
    name: str
    label: str
    survivor: str = Field(description="this customer's value, as shown (personal data masked)")
    loser: str
    differs: bool = Field(description="the loser has a different, non-empty value: you may choose it")


class MergeMoveOut(Schema):
    label: str = Field(description="what moves (contacts, sales records, attachments …)")
    count: int


class MergePreviewOut(Schema):
    survivor: MergeSideOut
    loser: MergeSideOut
    fields: list[MergeFieldOut]
    moves: list[MergeMoveOut]
    problems: list[str] = Field(description="why the merge would be refused; empty when it can be done")


class MergeIn(Schema):
    loser_id: int
    version: int = Field(description="this customer's version, from the preview")
    loser_version: int
    choices: dict[str, str] = Field(
        default_factory=dict,
        description='field name → "survivor" or "loser": whose value the survivor keeps (default: its own)',
    )


class MergeOut(Schema):
    customer: CustomerDetailOut
    moved: list[MergeMoveOut]
    kept: list[MergeMoveOut] = Field(description="rows a unique rule of their table kept on the alias")


class UnmaskIn(Schema):
    field: str = Field(description="phone or id_number; of a contact: mobile, phone, fax, email, wechat or qq")
    contact_id: int | None = Field(None, description="reveal a field of this contact of the customer")


class UnmaskOut(Schema):
    field: str
    contact_id: int | None = None
    value: str
