"""`{% load customer_network %}{% network_section customer %}`: the network card of the 360° page."""

from __future__ import annotations

from django import template

from kehu.accounts.permissions import can
from kehu.customers.apps import CUSTOMER
from kehu.customers.selectors.network import network_summary

register = template.Library()


@register.inclusion_tag("customers/_network_section.html", takes_context=True)
def network_section(context, customer) -> dict:
    """The distributor above, how many customers below, this year's sales below: a fixed few queries."""
    user = context["request"].user
    return {
        "customer": customer,
        "summary": network_summary(actor=user, customer=customer),
        "may_edit": can(user, CUSTOMER, "edit") and customer.is_active,
    }
