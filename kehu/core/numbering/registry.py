"""Apps declare the numbering of their forms here, with defaults administrators may edit later.

    # in SalesConfig.ready()
    register_number_pattern("sales.contract", name=_("Contract"), prefix="HT",
                            date_format="YYYYMMDD", width=4, reset="daily")

Declaring only keeps the defaults in the process (configuration, not business
data); the database row is created after `migrate` and, failing that, on the
first number issued. An existing row is never overwritten: it may carry an edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from kehu.core.numbering.models import DateFormat, NumberPattern, ResetPeriod


@dataclass(frozen=True)
class PatternSpec:
    """An app's default numbering for one form type."""

    form_type: str
    name: Any
    prefix: str
    date_format: str
    width: int
    reset: str
    infix: str = ""
    suffix: str = ""

    def as_model(self) -> NumberPattern:
        return NumberPattern(
            form_type=self.form_type, prefix=self.prefix, date_format=self.date_format,
            infix=self.infix, suffix=self.suffix, width=self.width, reset_period=self.reset,
        )


_PATTERNS: dict[str, PatternSpec] = {}


def register_number_pattern(
    form_type: str,
    *,
    name: Any,
    prefix: str,
    date_format: str = DateFormat.DAY,
    width: int = 4,
    reset: str = ResetPeriod.DAILY,
    infix: str = "",
    suffix: str = "",
) -> PatternSpec:
    """Declare the default numbering of `form_type`; idempotent, safe to call from ready().

    Raises ValueError at start-up when the defaults themselves are invalid.
    """
    spec = PatternSpec(form_type, name, prefix, str(date_format), width, str(reset), infix, suffix)
    try:
        candidate = spec.as_model()
        candidate.clean_fields(exclude=["name"])
        candidate.clean()
    except ValidationError as exc:
        raise ValueError(f"invalid number pattern for {form_type}: {exc.message_dict}") from exc
    _PATTERNS[form_type] = spec
    return spec


def registered_pattern(form_type: str) -> PatternSpec | None:
    return _PATTERNS.get(form_type)


def registered_patterns() -> list[PatternSpec]:
    return list(_PATTERNS.values())


def ensure_number_patterns(using: str = "default") -> None:
    """Create the rows of registered patterns that have none yet; never touch an existing row."""
    NumberPattern.objects.using(using).bulk_create(
        [spec.as_model() for spec in _PATTERNS.values()], ignore_conflicts=True
    )
