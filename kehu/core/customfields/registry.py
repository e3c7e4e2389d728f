"""Which record types may carry custom fields, and in which JSON column their values live.

An app declares each target from its AppConfig.ready():

    register_custom_fields("customers.customer", Customer, verbose_name=_("Customer"))

The model needs `custom = models.JSONField(default=dict, blank=True)` (or the column
named by `field=`). Registering also makes the change log record the column one key
at a time ("等级: A → B") instead of as one JSON blob.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Target:
    record_type: str
    model: type[models.Model]
    field: str
    verbose_name: Any


TARGETS: dict[str, Target] = {}


def register_custom_fields(
    record_type: str, model: type[models.Model], *, verbose_name: Any, field: str = "custom"
) -> Target:
    from kehu.core.audit.registry import expand_field

    target = Target(record_type, model, field, verbose_name)
    TARGETS[record_type] = target

    def expander(values: Any) -> dict[str, tuple[str, str]]:
        from kehu.core.customfields.engine import audit_parts

        return audit_parts(record_type, values)

    expand_field(model, field, expander)
    return target


def target_for(record_type: str) -> Target | None:
    return TARGETS.get(record_type)


def target_choices() -> list[tuple[str, str]]:
    return [(label, str(target.verbose_name)) for label, target in TARGETS.items()]
