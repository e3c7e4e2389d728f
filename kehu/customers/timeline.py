"""The 360° timeline (C10): everything that happened with a customer, newest first, from many apps.

Each app registers a *source* once, from its AppConfig.ready():

    from kehu.customers.timeline import TimelineEntry, register_timeline_source

    def follow_ups(user, customer, limit, before):
        visits = Visit.objects.visible_to(user).filter(customer=customer)
        if before is not None:
            visits = visits.filter(happened_at__lt=before)
        for visit in visits.order_by("-happened_at")[:limit]:
            yield TimelineEntry(when=visit.happened_at, kind="activity", title=..., summary=...,
                                url=visit.get_absolute_url(), actor=visit.owner.name)

    register_timeline_source("activities", follow_ups)

A source is `fn(user, customer, limit, before)`; `user` may view `customer` (the caller has
checked), the source applies the scope of its own records. It yields at most `limit` entries
strictly older than `before` (an aware datetime, or None for "up to now"), newest first, and
should cost a constant number of queries. `timeline_for()` merges the sources newest first;
a source that fails is logged and skipped so one app cannot break the customer page.
"""

from __future__ import annotations

import datetime
import heapq
import itertools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 30
MAX_LIMIT = 200


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline. `when` is an aware datetime; `kind` a short key for styling and filters."""

    when: datetime.datetime
    kind: str
    title: str
    summary: str = ""
    url: str = ""
    actor: str = ""
    source: str = ""


TimelineSource = Callable[[Any, Any, int, datetime.datetime | None], Iterable[TimelineEntry]]
SOURCES: dict[str, TimelineSource] = {}


def register_timeline_source(key: str, fn: TimelineSource) -> None:
    """Add (or replace, by key) a source of timeline entries; call from AppConfig.ready()."""
    SOURCES[key] = fn


def unregister_timeline_source(key: str) -> None:
    SOURCES.pop(key, None)


def day_time(day: datetime.date, created: datetime.datetime | None = None) -> datetime.datetime:
    """The moment to show a dated record at: its creation time on that day, else noon (Asia/Shanghai)."""
    zone = timezone.get_current_timezone()
    if created is not None:
        local = timezone.localtime(created, zone)
        if local.date() == day:
            return local
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=zone)


def timeline_for(
    user: Any, customer: Any, *, limit: int = DEFAULT_LIMIT, before: datetime.datetime | None = None
) -> tuple[list[TimelineEntry], datetime.datetime | None]:
    """The customer's timeline for `user`: up to `limit` entries before `before`, newest first.

    Returns (entries, the `before` of the next page or None when there is nothing older).
    The caller has checked that `user` may view `customer`.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    streams = []
    for key, fn in list(SOURCES.items()):
        try:
            entries = [
                entry if entry.source else _with_source(entry, key)
                for entry in itertools.islice(fn(user, customer, limit + 1, before), limit + 1)
                if before is None or entry.when < before
            ]
        except Exception:  # one app's failure must not take the customer page down
            logger.exception("timeline source %s failed for customer %s", key, getattr(customer, "pk", None))
            continue
        entries.sort(key=lambda entry: entry.when, reverse=True)
        streams.append(entries)
    merged = list(itertools.islice(heapq.merge(*streams, key=lambda entry: entry.when, reverse=True), limit + 1))
    if len(merged) > limit:
        merged = merged[:limit]
        return merged, merged[-1].when
    return merged, None


def _with_source(entry: TimelineEntry, key: str) -> TimelineEntry:
    return TimelineEntry(entry.when, entry.kind, entry.title, entry.summary, entry.url, entry.actor, key)
