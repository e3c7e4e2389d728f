"""`{% load classification %}{% classification_section customer %}`: the 360° page's classification card."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("customers/_classification.html", takes_context=True)
def classification_section(context, customer) -> dict:
    """Level and how it was set, the ABC line with its figures, the latest distributor assessment."""
    from kehu.customers.views.classification import section_context

    request = context["request"]
    data = section_context(request, customer)
    data["request"] = request
    data["csrf_token"] = context.get("csrf_token")
    return data
