"""The 360° timeline (C10): everything that happened with a customer, newest first, from many apps.

Each app registers a *source* once, from its AppConfig.ready():

    from kehu.customers.timeline import TimelineEntry, register_timeline_source

    def follow_ups(user, customer, limit, bound):
        visits = Visit.objects.visible_to(user).filter(customer=customer)
        if bound is not None:
            visits = visits.filter(bound.q("happened_at"))
        for visit in visits.order_by("-happened_at", "-pk")[:limit]:
            yield TimelineEntry(when=visit.happened_at, id=visit.pk, kind="activity", title=...,
                                summary=..., url=visit.get_absolute_url(), actor=visit.owner.name)

    register_timeline_source("activities", follow_ups)

A source is `fn(user, customer, limit, bound)`; `user` may view `customer` (the caller has
checked), the source applies the scope of its own records. Every entry carries an `id`
unique within its source (the row's pk). The timeline is ordered by (when, source, id),
newest first, and pages by an opaque cursor naming the last entry shown, so entries that
share a timestamp are neither skipped nor repeated across a page boundary. `bound` is None
for the first page, else a `Bound` already narrowed to this source: the source yields
newest first, in (when, id) order, without gaps, at least `limit` of the entries that
`bound.admits()` (all of them when it has fewer); it may also yield entries that are not
admitted (they are dropped). `bound.q(time_field)` is the exact filter for a timestamp
column; `dated_entries()` serves records that only have a date. A source should cost a
constant number of queries. `timeline_for()` merges the sources; a source that fails is
logged and skipped so one app cannot break the customer page.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import heapq
import itertools
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 30
MAX_LIMIT = 200


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline. `when` is an aware datetime; `kind` a short key for styling and filters;
    `id` tells apart the entries of one source (its row's pk)."""

    when: datetime.datetime
    kind: str
    title: str
    summary: str = ""
    url: str = ""
    actor: str = ""
    source: str = ""
    id: int | str = ""

    def sort_key(self) -> tuple[datetime.datetime, str, int | str]:
        return (self.when, self.source, self.id)


@dataclass(frozen=True)
class Bound:
    """Where the next page starts, as seen by one source: it admits the entries with `when` earlier
    than `when`, and those at `when` itself whose id is below `id` — all of them when
    `all_at_when`, none when `id` is None and not `all_at_when`."""

    when: datetime.datetime
    id: int | str | None = None
    all_at_when: bool = False

    def admits(self, entry: TimelineEntry) -> bool:
        if entry.when != self.when:
            return entry.when < self.when
        return self.all_at_when or (self.id is not None and entry.id < self.id)

    def q(self, time_field: str, id_field: str = "pk") -> Q:
        """The exact filter for a source whose `when` is a column and whose `id` is `id_field`."""
        if self.all_at_when:
            return Q(**{f"{time_field}__lte": self.when})
        earlier = Q(**{f"{time_field}__lt": self.when})
        if self.id is None:
            return earlier
        return earlier | Q(**{time_field: self.when, f"{id_field}__lt": self.id})

    @property
    def day(self) -> datetime.date:
        """The local day of the bound: dated records after it are never admitted."""
        return timezone.localtime(self.when).date()


@dataclass(frozen=True)
class Cursor:
    """The last entry shown; encoded, it is the opaque `before` of the next page."""

    when: datetime.datetime
    source: str
    id: int | str

    def encode(self) -> str:
        raw = json.dumps([self.when.astimezone(datetime.UTC).isoformat(), self.source, self.id])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """The cursor a client sent back; ValidationError naming `before` when it is not one of ours."""
        try:
            when, source, key = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            moment = parse_datetime(when)
            if moment is None or timezone.is_naive(moment) or not isinstance(source, str):
                raise ValueError(text)
            if not isinstance(key, int | str) or isinstance(key, bool):
                raise ValueError(text)
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
            raise ValidationError({"before": [_("This is not a position in the timeline.")]}) from exc
        return cls(moment, source, key)

    def bound_for(self, source: str) -> Bound:
        """Order is (when, source, id): a source ranked below the cursor's keeps all entries at its
        instant, one ranked above keeps none, the cursor's own source those below its id."""
        if source == self.source:
            return Bound(self.when, self.id)
        return Bound(self.when, all_at_when=source < self.source)


TimelineSource = Callable[[Any, Any, int, Bound | None], Iterable[TimelineEntry]]
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


def dated_entries(
    rows: QuerySet, date_field: str, limit: int, bound: Bound | None, build: Callable[[Any], TimelineEntry]
) -> Iterator[TimelineEntry]:
    """A source's entries for records that have a day, shown at `day_time()` of it (at most 3 queries).

    Within a day the shown time is not the rows' order, so whole days are read: the bound's day,
    then `limit` rows of earlier days completed to the end of the last day reached."""
    rows = rows.order_by(f"-{date_field}", "-pk")
    records = []
    if bound is not None:
        records = list(rows.filter(**{date_field: bound.day}))
        rows = rows.filter(**{f"{date_field}__lt": bound.day})
    earlier = list(rows[:limit])
    if len(earlier) == limit:
        last = getattr(earlier[-1], date_field)
        earlier = [row for row in earlier if getattr(row, date_field) != last] + list(rows.filter(**{date_field: last}))
    entries = [build(row) for row in records + earlier]
    entries.sort(key=lambda entry: (entry.when, entry.id), reverse=True)
    yield from entries


def timeline_for(
    user: Any, customer: Any, *, limit: int = DEFAULT_LIMIT, before: str | None = None
) -> tuple[list[TimelineEntry], str | None]:
    """The customer's timeline for `user`: up to `limit` entries after the cursor `before`, newest first.

    Returns (entries, the opaque cursor of the next page, or None when there is nothing older).
    An unreadable cursor raises ValidationError naming `before`. The caller has checked that
    `user` may view `customer`.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    cursor = Cursor.decode(before) if before else None
    streams = []
    for key, fn in list(SOURCES.items()):
        bound = cursor.bound_for(key) if cursor is not None else None
        try:
            admitted = (
                entry if entry.source == key else replace(entry, source=key)
                for entry in fn(user, customer, limit + 1, bound)
            )
            if bound is not None:
                admitted = (entry for entry in admitted if bound.admits(entry))
            entries = list(itertools.islice(admitted, limit + 1))
        except Exception:  # one app's failure must not take the customer page down
            logger.exception("timeline source %s failed for customer %s", key, getattr(customer, "pk", None))
            continue
        entries.sort(key=TimelineEntry.sort_key, reverse=True)
        streams.append(entries)
    merged = list(itertools.islice(heapq.merge(*streams, key=TimelineEntry.sort_key, reverse=True), limit + 1))
    if len(merged) > limit:
        merged = merged[:limit]
        last = merged[-1]
        return merged, Cursor(last.when, last.source, last.id).encode()
    return merged, None
