"""API shapes for custom-field definitions."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class DefinitionOut(Schema):
    id: int
    record_type: str = Field(description='the records it belongs to: "customers.customer", "customers.contact"')
    key: str = Field(description="where values are stored: `custom.<key>` on the record; never changes")
    label: str
    label_en: str
    kind: str = Field(description="text, number, date, choice or multi_choice")
    choices: list[str]
    required: bool
    help_text: str
    order: int
    is_active: bool = Field(description="false: hidden from forms and pages, values kept")
    version: int = Field(description="send it back when you update; an older one answers 422")
    created_at: datetime
    updated_at: datetime


class DefinitionFilter(Schema):
    record_type: str = ""
    active: bool | None = Field(None, description="true: only active fields, false: only switched-off ones")


class DefinitionCreateIn(Schema):
    record_type: str
    key: str = Field(description="lower-case letters, digits and _, starting with a letter")
    label: str
    label_en: str = ""
    kind: str = "text"
    choices: list[str] = []
    required: bool = False
    help_text: str = ""
    order: int | None = Field(None, description="default: after the last field")
    is_active: bool = True


class DefinitionUpdateIn(Schema):
    label: str | None = None
    label_en: str | None = None
    kind: str | None = Field(None, description="refused once records hold values")
    choices: list[str] | None = None
    required: bool | None = None
    help_text: str | None = None
    order: int | None = None
    is_active: bool | None = None
    version: int
