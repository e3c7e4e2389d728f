"""API schemas of search (C11): saved filters."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class SavedFilterIn(Schema):
    name: str
    query: str = Field("", description="the list's query string, e.g. q=hwjs&level=top&sort=name")


class SavedFilterOut(Schema):
    id: int
    name: str
    query: str
    created_at: datetime
