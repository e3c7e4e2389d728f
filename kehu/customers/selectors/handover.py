"""Reads of the handover (C9): the plan a handover would carry out, the handover records.

`handover_plan` is what both the preview and the handover itself use, so the preview
shows exactly what will happen: customers in primary-key order, dealt round-robin or by
an explicit count per recipient.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kehu.accounts.models import User
from kehu.accounts.permissions import (
    access,
    department_ids_in_scope,
    require,
    scope_filter,
    scope_of,
)
from kehu.customers.apps import CUSTOMER, HANDOVER
from kehu.customers.models import Customer, Handover, HandoverItem, HandoverMode


@dataclass
class RecipientShare:
    user: User
    customers: list[Customer] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.customers)


@dataclass
class HandoverPlan:
    from_user: User
    mode: str
    shares: list[RecipientShare]
    assignments: list[tuple[Customer, User]]  # in customer order

    @property
    def total(self) -> int:
        return len(self.assignments)

    @property
    def digest(self) -> str:
        """Names this exact plan: a confirmation made from an older preview is refused."""
        text = ";".join(f"{c.pk}>{u.pk}" for c, u in self.assignments)
        return hashlib.sha256(f"{self.from_user.pk}|{text}".encode()).hexdigest()[:16]


def handover_users(actor: Any) -> QuerySet[User]:
    """Users the actor may hand customers from and to: those the user policy shows them, and the
    members of the departments their customer scope covers (a manager's team)."""
    scope = scope_of(actor, CUSTOMER)
    if scope == "all":
        return User.objects.all()
    condition = scope_filter(actor, User) or Q()
    if scope in {"department", "subtree"}:
        ids = department_ids_in_scope(actor, scope)
        if ids:
            condition |= Q(department__in=ids)
    return User.objects.filter(condition)


def _user(actor: Any, value: Any, field_name: str) -> User:
    """A user the actor may see, by id, username or User; unknown and invisible read alike."""
    if isinstance(value, User):
        value = value.pk
    users = handover_users(actor)
    found = None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        found = users.filter(pk=int(value)).select_related("department").first()
    elif isinstance(value, str) and value.strip():
        found = users.filter(username__iexact=value.strip()).select_related("department").first()
    if found is None:
        raise ValidationError({field_name: [_("No such user: %(user)s.") % {"user": value}]})
    return found


def handover_plan(
    *,
    actor: Any,
    from_user: Any,
    to_users: list[Any],
    customer_ids: list[int] | None = None,
    mode: str = HandoverMode.ROUND_ROBIN,
    split: list[int] | None = None,
) -> HandoverPlan:
    """Who gets which of `from_user`'s customers (all of them, or the `customer_ids` selection).

    `mode` round_robin deals them in turn; split gives the first `split[0]` to the first
    recipient, the next `split[1]` to the second … (the counts must add up). Needs the
    transfer right; every customer must be in the actor's scope; recipients must be
    active, visible to the actor and not the from-user. Raises ValidationError naming the field.
    """
    require(actor, CUSTOMER, "transfer")
    source = _user(actor, from_user, "from_user")
    if not to_users:
        raise ValidationError({"to_users": [_("Choose at least one recipient.")]})
    recipients: list[User] = []
    for value in to_users:
        user = _user(actor, value, "to_users")
        if user.pk == source.pk:
            raise ValidationError({"to_users": [_("The customers cannot be handed over to their own owner.")]})
        if not user.is_active:
            raise ValidationError({"to_users": [_("%(user)s is not an active user.") % {"user": user.name}]})
        if user.pk in {r.pk for r in recipients}:
            raise ValidationError({"to_users": [_("%(user)s is listed twice.") % {"user": user.name}]})
        recipients.append(user)

    customers = Customer.objects.visible_to(actor).filter(owner=source, merged_into__isnull=True)
    if customer_ids is not None:
        wanted = {int(pk) for pk in customer_ids}
        customers = customers.filter(pk__in=wanted)
    selected = list(customers.select_related("department").order_by("pk"))
    if customer_ids is not None and len(selected) != len(wanted):
        raise ValidationError(
            {"customer_ids": [_("Some chosen customers are not owned by %(user)s or not in your scope.")
                              % {"user": source.name}]}
        )
    if not selected:
        raise ValidationError({"from_user": [_("%(user)s has no customers to hand over.") % {"user": source.name}]})

    if mode == HandoverMode.SPLIT:
        if not split or len(split) != len(recipients) or any(n < 0 for n in split):
            raise ValidationError({"split": [_("Give one count per recipient.")]})
        if sum(split) != len(selected):
            raise ValidationError(
                {"split": [_("The counts add up to %(sum)d, but there are %(total)d customers.")
                           % {"sum": sum(split), "total": len(selected)}]}
            )
        owners = [user for user, count in zip(recipients, split, strict=True) for _index in range(count)]
    elif mode == HandoverMode.ROUND_ROBIN:
        owners = [recipients[index % len(recipients)] for index in range(len(selected))]
    else:
        raise ValidationError({"mode": [_("Choose round robin or an explicit split.")]})

    shares = {user.pk: RecipientShare(user) for user in recipients}
    assignments = []
    for customer, owner in zip(selected, owners, strict=True):
        shares[owner.pk].customers.append(customer)
        assignments.append((customer, owner))
    return HandoverPlan(from_user=source, mode=mode, shares=list(shares.values()), assignments=assignments)


def handover_list(*, actor: Any) -> QuerySet[Handover]:
    require(actor, HANDOVER, "view")
    return Handover.objects.visible_to(actor).select_related("from_user", "created_by", "department")


def handover_get(*, actor: Any, pk: Any) -> Handover:
    return access(actor, handover_list(actor=actor), pk, "view")


def handover_items(handover: Handover) -> QuerySet[HandoverItem]:
    return handover.items.select_related("customer", "to_user", "to_department", "from_department").order_by(
        "to_user__username", "customer__name", "pk"
    )
