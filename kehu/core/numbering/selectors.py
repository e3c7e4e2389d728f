"""Reads: which patterns a user sees, one pattern for an action, the next number's preview."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from kehu.accounts.permissions import can, require
from kehu.core.numbering.models import RECORD_TYPE, IssuedNumber, NumberCounter, NumberPattern
from kehu.core.numbering.services import get_or_create_pattern, highest_issued_sequence, local_day


def patterns_visible_to(user: Any) -> QuerySet[NumberPattern]:
    return NumberPattern.objects.visible_to(user).order_by("form_type")


def pattern_for(user: Any, form_type: str, action: str = "view") -> NumberPattern:
    """Fetch a pattern for `action`: 404 when the user cannot see it, 403 when they may not act."""
    pattern = patterns_visible_to(user).filter(form_type=form_type).first()
    if pattern is None:
        raise Http404
    if action != "view":
        require(user, RECORD_TYPE, action)
    return pattern


def may_edit_patterns(user: Any) -> bool:
    return can(user, RECORD_TYPE, "edit")


def preview_number(
    pattern: NumberPattern | str, *, on: datetime.date | datetime.datetime | None = None
) -> str:
    """What the next number would look like, consuming nothing and locking nothing.

    `pattern` may be a form type or an unsaved, edited pattern (the edit form's
    live preview). Under concurrent creation the real number may be later.
    """
    if isinstance(pattern, str):
        pattern = get_or_create_pattern(pattern)
    day = local_day(on)
    last = 0
    if pattern.pk is not None:
        counter = NumberCounter.objects.filter(pattern_id=pattern.pk, period=pattern.period_key(day)).first()
        last = counter.last_value if counter else 0
    sequence = last + 1
    if IssuedNumber.objects.filter(form_type=pattern.form_type, number=pattern.render(day, sequence)).exists():
        sequence = max(sequence, highest_issued_sequence(pattern, day)) + 1
    return pattern.render(day, sequence)
