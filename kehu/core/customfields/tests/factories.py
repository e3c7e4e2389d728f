"""Definitions for tests, written directly (the services are tested on their own)."""

from __future__ import annotations

from kehu.core.customfields.models import FieldDefinition

CUSTOMER = "customers.customer"
CONTACT = "customers.contact"


def make_definition(key: str, kind: str = "text", *, record_type: str = CUSTOMER, label: str | None = None,
                    **fields) -> FieldDefinition:
    return FieldDefinition.objects.create(
        record_type=record_type, key=key, kind=kind, label=label or key, **fields
    )
