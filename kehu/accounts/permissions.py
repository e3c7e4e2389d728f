"""The one access policy: what a user may do per record type, and which rows they see.

Every business model uses `ScopedQuerySet` (or `ScopedManager`) and declares which
fields carry the owner and the owning department:

    class Customer(models.Model):
        scope_owner_field = "owner"
        scope_department_field = "department"
        objects = ScopedManager()

Doors fetch records through `access(user, queryset, pk, action)`: a row outside the
user's scope raises Http404 (it does not exist for them), a visible row they may
not act on raises PermissionDenied (403).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from kehu.accounts.models import User

ACTIONS = ("view", "create", "edit", "delete", "export", "import", "transfer", "approve")
ALL_ACTIONS = ACTIONS
READ_ACTIONS = ("view", "export")
ACTION_LABELS = {
    "view": _("View"),
    "create": _("Create"),
    "edit": _("Edit"),
    "delete": _("Delete"),
    "export": _("Export"),
    "import": _("Import"),
    "transfer": _("Transfer"),
    "approve": _("Approve"),
}
SCOPE_RANK = {"own": 1, "department": 2, "subtree": 3, "all": 4}


@dataclass
class RecordType:
    """A kind of record that roles are granted rights on ("customers.customer")."""

    label: str
    verbose_name: Any
    actions: tuple[str, ...] = ACTIONS
    # role code -> (actions, scope); applied by ensure_default_roles(), never over an edit.
    default_grants: dict[str, tuple[Iterable[str], str]] = field(default_factory=dict)


RECORD_TYPES: dict[str, RecordType] = {}


def register_record_type(
    label: str,
    verbose_name: Any,
    *,
    actions: Iterable[str] = ACTIONS,
    default_grants: dict[str, tuple[Iterable[str], str]] | None = None,
) -> RecordType:
    """Declare a record type; apps call this from AppConfig.ready()."""
    record_type = RecordType(label, verbose_name, tuple(actions), dict(default_grants or {}))
    RECORD_TYPES[label] = record_type
    return record_type


def record_type_of(model: type[models.Model] | models.Model) -> str:
    return model._meta.label_lower


@dataclass(frozen=True)
class Grant:
    actions: frozenset[str]
    scope: str | None  # None: no view right at all


def _grants(user: User) -> dict[str, Grant]:
    """The user's effective grants: union of actions, widest scope, per record type.

    Cached on the user object for the request; roles change rarely and a new
    request reloads the user.
    """
    cached = getattr(user, "_kehu_grants", None)
    if cached is not None:
        return cached
    from kehu.accounts.models import RoleGrant

    merged: dict[str, tuple[set[str], str | None]] = {}
    rows = RoleGrant.objects.filter(role__users=user).values_list("record_type", "actions", "scope")
    for record_type, actions, scope in rows:
        acts, widest = merged.setdefault(record_type, (set(), None))
        acts.update(actions or [])
        if widest is None or SCOPE_RANK.get(scope, 0) > SCOPE_RANK.get(widest, 0):
            widest = scope
        merged[record_type] = (acts, widest)
    grants = {rt: Grant(frozenset(acts), scope) for rt, (acts, scope) in merged.items()}
    user._kehu_grants = grants
    return grants


def forget_grants(user: User) -> None:
    if hasattr(user, "_kehu_grants"):
        del user._kehu_grants


def is_unrestricted(user: User) -> bool:
    return bool(user.is_active and user.is_superuser)


def can(user: Any, record_type: str, action: str) -> bool:
    """May `user` perform `action` on records of `record_type` at all (some rows)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_unrestricted(user):
        return True
    grant = _grants(user).get(record_type)
    return bool(grant and action in grant.actions)


def scope_of(user: Any, record_type: str) -> str | None:
    """How far the user sees records of this type; None when not at all."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if is_unrestricted(user):
        return "all"
    grant = _grants(user).get(record_type)
    if grant is None or "view" not in grant.actions:
        return None
    return grant.scope


def department_ids_in_scope(user: User, scope: str) -> list[int]:
    if user.department_id is None:
        return []
    if scope == "department":
        return [user.department_id]
    return user.department.subtree_ids()


def subtree_of(department_id: int) -> models.QuerySet:
    """The ids of a department and every department below it, as a lazy subquery."""
    from kehu.accounts.models import Department

    path = Department.objects.filter(pk=department_id).order_by().values("path")[:1]
    return Department.objects.filter(path__startswith=Subquery(path)).order_by().values("pk")


def scope_filter(user: Any, model: type[models.Model], scope: str | None = None) -> Q | None:
    """The row filter for `user` on `model`; None means every row, Q(pk__in=[]) none."""
    scope = scope if scope is not None else scope_of(user, record_type_of(model))
    if scope is None:
        return Q(pk__in=[])
    if scope == "all":
        return None
    owner_field = getattr(model, "scope_owner_field", None)
    department_field = getattr(model, "scope_department_field", None)
    if scope == "own" or department_field is None:
        return Q(**{owner_field: user.pk}) if owner_field else Q(pk__in=[])
    if user.department_id is None:
        condition = Q(pk__in=[])
    elif scope == "department":
        condition = Q(**{department_field: user.department_id})
    else:  # the subtree, as a subquery of the same statement: no query of its own
        condition = Q(**{f"{department_field}__in": subtree_of(user.department_id)})
    if owner_field:
        # A user always sees what they own, whichever department it sits in.
        condition |= Q(**{owner_field: user.pk})
    return condition


class ScopedQuerySet(models.QuerySet):
    """QuerySet with the data-scope filter; every door starts from `.visible_to(user)`."""

    def visible_to(self, user: Any) -> ScopedQuerySet:
        condition = scope_filter(user, self.model)
        return self if condition is None else self.filter(condition)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def access(user: Any, queryset: models.QuerySet | type[models.Model], pk: Any, action: str = "view"):
    """Fetch one record for `action`: 404 when out of scope, 403 when visible but not allowed.

    The only way a door (page, API, command) should load a business record by id.
    """
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    model = queryset.model
    record_type = record_type_of(model)
    condition = scope_filter(user, model)
    scoped = queryset if condition is None else queryset.filter(condition)
    try:
        obj = scoped.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if action != "view" and not can(user, record_type, action):
        raise PermissionDenied
    return obj


def require(user: Any, record_type: str, action: str) -> None:
    """Raise PermissionDenied unless the user may perform `action` on this record type."""
    if not can(user, record_type, action):
        raise PermissionDenied
