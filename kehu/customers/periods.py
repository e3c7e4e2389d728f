"""Periods of the classification (C5), pure date arithmetic: months back, and how much of a
year a period is (the share of the estimated ANNUAL spend that loyalty compares against)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

DAYS_PER_YEAR = Decimal("365.25")
ONE_DAY = dt.timedelta(days=1)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the month's last day when it has fewer days)."""
    return _shift(day, -months)


def _shift(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def whole_months(start: dt.date, end: dt.date) -> int | None:
    """How many whole months [start, end] (both included) is, or None when it is not whole months.

    Both ways of writing a period of months count: the rolling "last N months up to a day"
    (start = the same day N months before the end, plus one day: 2025-11-24 – 2026-11-23 is 12)
    and calendar months (start + N months = the day after the end: 2026-04-01 – 2026-06-30 is 3).
    """
    if end < start:
        return None
    after_end = end + ONE_DAY
    months = (end.year - start.year) * 12 + end.month - start.month
    for count in (months - 1, months, months + 1):
        if count >= 1 and (months_before(end, count) + ONE_DAY == start or _shift(start, count) == after_end):
            return count
    return None


def year_share(start: dt.date, end: dt.date) -> tuple[Decimal, int | None, int]:
    """The part of a year that [start, end] is: (share, whole months or None, days).

    A period of whole months counts months / 12 (12 months: exactly the year, a quarter:
    exactly 3/12, whatever the months' lengths); any other period counts its days / 365.25.
    """
    days = (end - start).days + 1
    months = whole_months(start, end)
    share = Decimal(months) / 12 if months is not None else Decimal(days) / DAYS_PER_YEAR
    return share, months, days
