"""Writes of the distribution network (C4): link a customer to the distributor above it, or unlink.

Both customers must be in the actor's scope with the edit right (linking changes the
parent's network too). A customer outside the scope is "no such customer" (it cannot be
linked, and the message does not tell it exists). Cycles of any depth and self-parenting
are refused. The change log records the new parent on the child (Customer is audited);
stale edits are refused through the child's `version`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kehu.accounts.permissions import access, can, scope_filter
from kehu.customers.apps import CUSTOMER
from kehu.customers.models import ChannelRole, Customer
from kehu.customers.selectors.network import ancestor_ids
from kehu.customers.services.customer import StaleEdit


def _parent_in_scope(actor: Any, parent: Any) -> Customer:
    pk = parent.pk if isinstance(parent, Customer) else parent
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = None
    rows = Customer.objects.filter(pk=pk, merged_into__isnull=True)
    condition = scope_filter(actor, Customer)
    if condition is not None:
        rows = rows.filter(condition)
    found = rows.select_for_update().first() if pk is not None else None
    if found is None:
        raise ValidationError({"parent": [_("No such customer in your scope.")]})
    if not can(actor, CUSTOMER, "edit"):
        raise ValidationError({"parent": [_("You may not change this customer's network.")]})
    return found


def _bump(customer: Customer, version: int | None) -> None:
    rows = Customer.objects.filter(pk=customer.pk)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=F("version") + 1):
        raise StaleEdit(customer.name)
    customer.version = (customer.version if version is None else version) + 1


@transaction.atomic
def customer_set_parent(
    *, actor: Any, customer: Customer, parent: Any, channel_role: str | None = None, version: int | None = None
) -> Customer:
    """Put `customer` below `parent` (a Customer or an id) in the network; optionally set its channel role.

    Refused: the parent outside the actor's scope, itself, a customer below it (a cycle),
    an inactive parent. `version` (when given) must be the one the actor read.
    """
    access(actor, Customer, customer.pk, "edit")
    target = _parent_in_scope(actor, parent)
    if target.pk == customer.pk:
        raise ValidationError({"parent": [_("A customer cannot be its own distributor.")]})
    if customer.pk in ancestor_ids(target.pk):
        raise ValidationError(
            {"parent": [_("%(parent)s is below %(customer)s in the network; linking them would make a loop.")
                        % {"parent": target.name, "customer": customer.name}]}
        )
    if not target.is_active:
        raise ValidationError({"parent": [_("%(parent)s is deactivated.") % {"parent": target.name}]})
    if channel_role not in (None, "") and channel_role not in ChannelRole.values:
        raise ValidationError({"channel_role": [_("Choose a channel role from the list.")]})
    _bump(customer, version)
    customer.parent = target
    fields = ["parent", "version", "updated_at"]
    if channel_role is not None:
        customer.channel_role = channel_role
        fields.append("channel_role")
    customer.save(update_fields=fields)
    return customer


@transaction.atomic
def customer_set_channel_role(*, actor: Any, customer: Customer, channel_role: str, version: int | None = None) -> Customer:
    """Set where the customer sits in the channel (a 总经销 at the top of its network has no parent)."""
    access(actor, Customer, customer.pk, "edit")
    if channel_role and channel_role not in ChannelRole.values:
        raise ValidationError({"channel_role": [_("Choose a channel role from the list.")]})
    _bump(customer, version)
    customer.channel_role = channel_role or ""
    customer.save(update_fields=["channel_role", "version", "updated_at"])
    return customer


@transaction.atomic
def customer_clear_parent(*, actor: Any, customer: Customer, version: int | None = None) -> Customer:
    """Take the customer out from under its distributor (it becomes the top of its own network)."""
    access(actor, Customer, customer.pk, "edit")
    if customer.parent_id is None:
        raise ValidationError({"parent": [_("This customer has no distributor above it.")]})
    _bump(customer, version)
    customer.parent = None
    customer.save(update_fields=["parent", "version", "updated_at"])
    return customer
