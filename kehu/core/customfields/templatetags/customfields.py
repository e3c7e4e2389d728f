"""`{% custom_field_facts record %}` (dt/dd pairs for a <dl>) and `{% custom_field_list record %}`.

Definitions are read once per request, for every record type in one query, so a
page listing a customer and many contacts costs one query for them.
"""

from __future__ import annotations

from django import template

from kehu.core.customfields import engine

register = template.Library()


def _rows(context, record) -> list[dict[str, str]]:
    record_type = record._meta.label_lower
    request = context.get("request")
    cache = getattr(request, "_kehu_custom_definitions", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._kehu_custom_definitions = cache
    if not cache:  # every record type's fields in one query: a page shows customers and contacts
        for definition in engine.all_definitions():
            cache.setdefault(definition.record_type, []).append(definition)
    if record_type not in cache:
        cache[record_type] = []
    return engine.display(record_type, getattr(record, "custom", None), given=cache[record_type])


@register.inclusion_tag("customfields/_facts.html", takes_context=True)
def custom_field_facts(context, record):
    return {"rows": _rows(context, record)}


@register.inclusion_tag("customfields/_inline.html", takes_context=True)
def custom_field_list(context, record):
    return {"rows": _rows(context, record)}
