"""Template tags of the 公海 pool: whether the release button shows on the 360° page."""

from __future__ import annotations

from django import template

from kehu.accounts.permissions import can
from kehu.customers.apps import CUSTOMER

register = template.Library()


@register.simple_tag(takes_context=True)
def pool_may_release(context, customer) -> bool:
    """The owner (with the edit right) or a manager with the transfer right, on an active owned customer.

    Only a hint for the button: the release service checks again.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or customer.owner_id is None or not customer.is_active or customer.merged_into_id:
        return False
    if not can(user, CUSTOMER, "edit"):
        return False
    return customer.owner_id == user.pk or can(user, CUSTOMER, "transfer")
