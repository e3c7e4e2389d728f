"""The archive-card, sales-record-book and timeline sections of the 360° page.

    {% load customer_cards %}{% card_section customer %}{% sales_section customer %}{% timeline_section customer %}

Each renders the same template as its HTMX view, with the same context (views/card.py).
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("customers/card_section.html", takes_context=True)
def card_section(context, customer):
    from kehu.customers.views.card import card_section_context

    return {**card_section_context(context["request"], customer), "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("customers/sales_section.html", takes_context=True)
def sales_section(context, customer):
    from kehu.customers.views.card import sales_section_context

    return {**sales_section_context(context["request"], customer), "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("customers/timeline_section.html", takes_context=True)
def timeline_section(context, customer):
    from kehu.customers.views.card import timeline_section_context

    return {**timeline_section_context(context["request"], customer), "csrf_token": context.get("csrf_token")}
