"""Search (C11), the write side: a user's saved filters of the customer list."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kehu.accounts.permissions import require
from kehu.customers.apps import CUSTOMER
from kehu.customers.models import SavedFilter
from kehu.customers.selectors.search import clean_query

MAX_SAVED_FILTERS = 50


@transaction.atomic
def saved_filter_save(*, actor: Any, name: str, query: str) -> SavedFilter:
    """Save the list's current query under a name; the same name again replaces that filter."""
    require(actor, CUSTOMER, "view")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the filter a name.")]})
    if len(name) > 60:
        raise ValidationError({"name": [_("A filter name has at most 60 characters.")]})
    query = clean_query(query)
    if len(query) > 1000:
        raise ValidationError({"query": [_("This filter is too long to save.")]})
    existing = SavedFilter.objects.select_for_update().filter(user=actor.pk, name=name).first()
    if existing is not None:
        existing.query = query
        existing.save(update_fields=["query"])
        return existing
    if SavedFilter.objects.filter(user=actor.pk).count() >= MAX_SAVED_FILTERS:
        raise ValidationError({"name": [_("You have %(count)d saved filters already; delete one first.")
                                        % {"count": MAX_SAVED_FILTERS}]})
    return SavedFilter.objects.create(user=actor, name=name, query=query)


@transaction.atomic
def saved_filter_delete(*, actor: Any, saved_filter: SavedFilter) -> None:
    """Delete one of the actor's own saved filters (another user's does not exist for them)."""
    from django.http import Http404

    if saved_filter.user_id != actor.pk:
        raise Http404
    saved_filter.delete()
