"""API shapes for the inbox and the channel preferences."""

from __future__ import annotations

import datetime

from ninja import Field, Schema


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None
    is_unread: bool


class InboxFilter(Schema):
    unread: bool = Field(False, description="only unread notifications")


class UnreadCountOut(Schema):
    unread: int


class MarkedReadOut(Schema):
    marked: int
    unread: int


class PreferenceIn(Schema):
    email_enabled: bool
    sms_enabled: bool


class PreferenceOut(Schema):
    email_enabled: bool
    sms_enabled: bool
