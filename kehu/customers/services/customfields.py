"""Custom fields (P13) on customers and contacts: values checked with the record's own rules.

The customer and contact services call `check_with_custom` in place of their own
check, so a bad custom value and a bad built-in field are reported together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from kehu.core.customfields import engine as customfields


def check_with_custom(
    check: Callable[[Any], None], record: models.Model, record_type: str, custom: dict | None,
    *, partial: bool,
) -> None:
    """Run the record's `check`, then set `record.custom` from `custom`, raising every error at once.

    `partial=False` (a new record): every required custom field needs a value, even
    when `custom` is None. `partial=True` (an update): only the keys given change;
    None leaves the values as they are.
    """
    errors: dict[str, list[str]] = {}
    try:
        check(record)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if custom is not None or not partial:
        try:
            cleaned = customfields.clean_values(record_type, custom, partial=partial)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            record.custom = customfields.merge_values(record.custom, cleaned)
    if errors:
        raise ValidationError(errors)
