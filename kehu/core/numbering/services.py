"""Issuing numbers, and editing patterns.

Why numbers are taken inside the caller's transaction (gap-free, not gap-tolerant):
the counter row is locked and incremented, and the number is written to
`IssuedNumber`, in the same transaction that saves the record. A record that
rolls back rolls its number back too, so the sequence has no holes; the price
is that concurrent creators of the same form type queue on the counter row
until the first commits (PostgreSQL row lock; on SQLite the IMMEDIATE
transaction already serialises writers). Keep such transactions short.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core.numbering.models import IssuedNumber, NumberCounter, NumberPattern

# How often one call may find its number taken (a pattern edit that repeats old
# numbers) before giving up; each miss jumps past the highest issued number.
MAX_COLLISIONS = 5

EDITABLE_FIELDS = ("name", "prefix", "date_format", "infix", "suffix", "width", "reset_period", "is_active")


class NumberingOutsideTransaction(RuntimeError):
    """next_number() was called outside the transaction that saves the record."""


class UnknownFormType(LookupError):
    """No pattern exists or is registered for this form type."""


class NumberingExhausted(RuntimeError):
    """Every candidate number collided with one already issued (should not happen)."""


def local_day(on: datetime.date | datetime.datetime | None = None) -> datetime.date:
    """The business day in Asia/Shanghai (the default time zone) for a moment or a date.

    2026-12-31 16:00 UTC is already 2027-01-01 in Shanghai and counts on 2027's counter.
    A naive datetime is read as Shanghai wall-clock time.
    """
    if on is None:
        on = timezone.now()
    if isinstance(on, datetime.datetime):
        if timezone.is_naive(on):
            return on.date()
        return timezone.localtime(on, timezone.get_default_timezone()).date()
    return on


def get_or_create_pattern(form_type: str) -> NumberPattern:
    """The pattern row; created from the registered defaults when missing (race-free)."""
    pattern = NumberPattern.objects.filter(form_type=form_type).first()
    if pattern is not None:
        return pattern
    from kehu.core.numbering.registry import registered_pattern

    spec = registered_pattern(form_type)
    if spec is None:
        raise UnknownFormType(f"no number pattern is registered for {form_type!r}")
    NumberPattern.objects.bulk_create([spec.as_model()], ignore_conflicts=True)
    return NumberPattern.objects.get(form_type=form_type)


def _locked_counter(pattern: NumberPattern, period: str) -> NumberCounter:
    # INSERT ... ON CONFLICT DO NOTHING, then lock: two first callers cannot both
    # create the row, and the loser waits for the winner's commit on the lock.
    NumberCounter.objects.bulk_create(
        [NumberCounter(pattern=pattern, period=period, last_value=0)], ignore_conflicts=True
    )
    return NumberCounter.objects.select_for_update().get(pattern=pattern, period=period)


def highest_issued_sequence(pattern: NumberPattern, day: datetime.date) -> int:
    """The highest sequence already issued under this pattern's head and suffix on `day`; 0 if none."""
    head = pattern.head(day)
    candidates = (
        IssuedNumber.objects.filter(form_type=pattern.form_type, number__startswith=head)
        .annotate(length=Length("number"))
        .order_by("-length", "-number")
        .values_list("number", flat=True)
    )
    if pattern.suffix:
        candidates = candidates.filter(number__endswith=pattern.suffix)
    for number in candidates.iterator(chunk_size=200):
        if not number.startswith(head) or not number.endswith(pattern.suffix):
            continue  # SQLite's LIKE ignores case
        middle = number[len(head) : len(number) - len(pattern.suffix)]
        if middle.isascii() and middle.isdigit():
            return int(middle)
    return 0


def next_number(form_type: str, *, on: datetime.date | datetime.datetime | None = None) -> str:
    """Issue the next number of `form_type`; call it inside the transaction that saves the record.

    Unique and never reused: the counter row for the pattern's current period is
    locked, the number is recorded in `IssuedNumber` (unique per form type) and
    both roll back with the caller's transaction. `on` picks the business day
    (default: now, in Asia/Shanghai).

    Raises NumberingOutsideTransaction outside `transaction.atomic()`,
    UnknownFormType for an unregistered form type, and ValidationError when an
    administrator has switched the pattern off.
    """
    if not connection.in_atomic_block:
        raise NumberingOutsideTransaction(
            "next_number() must run inside the transaction that saves the record "
            "(wrap the creation in transaction.atomic())"
        )
    pattern = get_or_create_pattern(form_type)
    if not pattern.is_active:
        raise ValidationError(
            {"number": _("Numbering for %(form)s is switched off; ask an administrator.")
             % {"form": pattern.display_name}}
        )
    day = local_day(on)
    counter = _locked_counter(pattern, pattern.period_key(day))
    sequence = counter.last_value + 1
    for _attempt in range(MAX_COLLISIONS):
        number = pattern.render(day, sequence)
        try:
            with transaction.atomic():
                IssuedNumber.objects.create(form_type=form_type, number=number)
        except IntegrityError:
            # Issued before under another pattern setting: jump past the highest one.
            sequence = max(sequence, highest_issued_sequence(pattern, day)) + 1
            continue
        NumberCounter.objects.filter(pk=counter.pk).update(last_value=sequence)
        return number
    raise NumberingExhausted(f"could not find a free number for {form_type!r}")


def number_pattern_update(
    *, actor: Any, pattern: NumberPattern, version: int, **changes: Any
) -> NumberPattern:
    """Change a pattern's editable fields, refusing an edit made from a stale copy.

    The row is locked and its version compared in one transaction, then saved
    through the model so the change log records who changed what. Issued numbers
    stay valid whatever the edit: `next_number` skips any number the new settings
    would repeat.
    """
    from kehu.core.audit.context import audit_actor

    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(pattern, field, value)
    pattern.full_clean()
    with transaction.atomic(), audit_actor(actor):
        current = NumberPattern.objects.select_for_update().get(pk=pattern.pk)
        if current.version != version:
            raise ValidationError(
                {"version": _("Someone else changed this pattern after you opened it. "
                              "Reload the page and make your change again.")}
            )
        for field in EDITABLE_FIELDS:
            setattr(current, field, getattr(pattern, field))
        current.version = version + 1
        current.save()
    pattern.refresh_from_db()
    return pattern
