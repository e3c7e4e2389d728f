"""API shapes for number patterns."""

from __future__ import annotations

from ninja import Schema


class PatternOut(Schema):
    form_type: str
    name: str
    prefix: str
    date_format: str
    infix: str
    width: int
    suffix: str
    reset_period: str
    is_active: bool
    version: int
    layout: str
    next_number: str


class PatternUpdateIn(Schema):
    name: str = ""
    prefix: str
    date_format: str
    infix: str = ""
    width: int
    suffix: str = ""
    reset_period: str
    is_active: bool = True
    version: int


class PreviewIn(Schema):
    """Settings to try instead of the saved ones; whatever is left out keeps its saved value."""

    prefix: str | None = None
    date_format: str | None = None
    infix: str | None = None
    width: int | None = None
    suffix: str | None = None
    reset_period: str | None = None
    on: str | None = None  # a day (YYYY-MM-DD) to preview for; default today


class PreviewOut(Schema):
    form_type: str
    number: str
