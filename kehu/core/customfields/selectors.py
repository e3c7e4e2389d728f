"""Reads: the definitions a user may see, one definition for an action."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kehu.accounts.permissions import access, can, require
from kehu.core.customfields.models import RECORD_TYPE, FieldDefinition


def definition_list(*, actor: Any, record_type: str = "", active: bool | None = None) -> QuerySet[FieldDefinition]:
    """Definitions in display order; PermissionDenied without the right to view them."""
    require(actor, RECORD_TYPE, "view")
    rows = FieldDefinition.objects.visible_to(actor)
    if record_type:
        rows = rows.filter(record_type=record_type)
    if active is not None:
        rows = rows.filter(is_active=active)
    return rows.order_by("record_type", "order", "pk")


def definition_get(*, actor: Any, pk: Any, action: str = "view") -> FieldDefinition:
    """One definition: 404 out of scope, 403 when the action is not granted."""
    require(actor, RECORD_TYPE, "view")
    return access(actor, FieldDefinition, pk, action)


def may_manage(user: Any) -> bool:
    return can(user, RECORD_TYPE, "edit")
