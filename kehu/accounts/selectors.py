"""Reads for organisation and access: user lists, the department tree, effective grants."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from kehu.accounts.models import Department, Role, RoleGrant, User
from kehu.accounts.permissions import RECORD_TYPES, _grants, can, is_unrestricted, require, scope_of


def user_list(
    *, actor: User, department: int | None = None, role: str | None = None,
    active: bool | None = None, q: str | None = None,
) -> QuerySet[User]:
    """Users the actor may see, filtered; raises PermissionDenied without the view right."""
    require(actor, "accounts.user", "view")
    users = (
        User.objects.visible_to(actor)
        .select_related("department")
        .prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("code")))
    )
    if department:
        users = users.filter(department_id=department)
    if role:
        users = users.filter(roles__code=role)
    if active is not None:
        users = users.filter(is_active=active)
    if q and q.strip():
        term = q.strip()
        users = users.filter(
            Q(username__icontains=term) | Q(display_name__icontains=term)
            | Q(email__icontains=term) | Q(mobile__icontains=term)
        )
    return users.distinct()


@dataclass
class DepartmentNode:
    """A department in the tree with its depth, head and active member count."""

    department: Department
    depth: int
    member_count: int
    children: list[DepartmentNode] = field(default_factory=list)


def department_tree(*, actor: User) -> list[DepartmentNode]:
    """The departments the actor may see, depth first, siblings by sort order and name."""
    require(actor, "accounts.department", "view")
    rows = list(
        Department.objects.visible_to(actor)
        .select_related("head", "parent")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
    )
    by_parent: dict[int | None, list[Department]] = {}
    ids = {d.pk for d in rows}
    for row in rows:
        # A department whose parent is out of scope is a root for this actor.
        parent_id = row.parent_id if row.parent_id in ids else None
        by_parent.setdefault(parent_id, []).append(row)

    def build(parent_id: int | None, depth: int) -> list[DepartmentNode]:
        children = sorted(by_parent.get(parent_id, []), key=lambda d: (d.sort_order, d.name))
        return [
            DepartmentNode(d, depth, d.member_count, build(d.pk, depth + 1)) for d in children
        ]

    return build(None, 0)


def flatten(nodes: list[DepartmentNode]) -> list[DepartmentNode]:
    """The tree as a list in display order (for indented tables and selects)."""
    out: list[DepartmentNode] = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node.children))
    return out


def role_list(*, actor: User) -> QuerySet[Role]:
    """Roles with their grants and holder counts; raises PermissionDenied without the view right."""
    require(actor, "accounts.role", "view")
    return (
        Role.objects.visible_to(actor)
        .prefetch_related(Prefetch("grants", queryset=RoleGrant.objects.order_by("record_type")))
        .annotate(user_count=Count("users", distinct=True))
        .order_by("code")
    )


def effective_grants(user: User) -> list[dict[str, Any]]:
    """Per record type: the actions the user may take and how far they see (for `/me`)."""
    out = []
    grants = {} if is_unrestricted(user) else _grants(user)
    for label in sorted(RECORD_TYPES):
        record_type = RECORD_TYPES[label]
        actions = [a for a in record_type.actions if can(user, label, a)]
        if not actions:
            continue
        grant = grants.get(label)
        scope = scope_of(user, label) or (grant.scope if grant else None)
        out.append({"record_type": label, "actions": actions, "scope": scope})
    return out
