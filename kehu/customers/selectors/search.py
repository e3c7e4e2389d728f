"""Search (C11): the customer list's filters beyond the basic ones, its sort orders, saved filters.

The text search itself is `customer_list(q=…)` over the derived `search_text` (name, short
name, their pinyin initials, phones, contact names and phones, and merged aliases' names);
on PostgreSQL GIN indexes serve its `LIKE '%…%'` (migration 0009_merge), on SQLite FTS5
tables kept by triggers (migration 0011, `kehu.customers.search_index`); see `search_filter`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from kehu.accounts.models import Department
from kehu.accounts.permissions import require
from kehu.customers.apps import CUSTOMER
from kehu.customers.models import Customer, SavedFilter
from kehu.customers.selectors.customer import customer_list

# sort option -> the one field the cursor pagination orders by
SORTS = {
    "updated": "-updated_at",
    "name": "name_pinyin",
    "created": "-created_at",
}
SORT_LABELS = {"updated": _("Last updated"), "name": _("Name (pinyin)"), "created": _("Newest first")}


def pinyin_sort_key(name: str) -> str:
    """hua wei ji shu you xian gong si: the name spelled in pinyin, so lists sort as people read them."""
    from kehu.customers import normalize

    return normalize.pinyin_full(name or "")[:400]


def customer_search(
    *,
    actor: Any,
    department: int | str | None = None,
    province: str = "",
    city: str = "",
    industry: str = "",
    sort: str = "updated",
    **filters: Any,
) -> tuple[QuerySet[Customer], str]:
    """The customer list with every filter: (queryset, the field to order and paginate by).

    `filters` are `customer_list`'s (q, status, level, owner, tag, active); `department` is a
    department id and includes its sub-departments. An unknown sort falls back to "updated".
    """
    customers = customer_list(actor=actor, **filters)
    if department not in (None, ""):
        path = Department.objects.filter(pk=_int(department)).values_list("path", flat=True).first()
        customers = customers.filter(department__path__startswith=path) if path else customers.none()
    if province.strip():
        customers = customers.filter(province=province.strip())
    if city.strip():
        customers = customers.filter(city=city.strip())
    if industry.strip():
        customers = customers.filter(industry=industry.strip())
    return customers, SORTS.get(sort or "updated", SORTS["updated"])


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def saved_filters_for(*, actor: Any) -> QuerySet[SavedFilter]:
    """The actor's own saved filters, by name (nobody sees another user's)."""
    require(actor, CUSTOMER, "view")
    return SavedFilter.objects.filter(user=actor.pk)


def clean_query(query: str) -> str:
    """A saved query string without the page cursor, parameters in a stable order."""
    data = QueryDict(query or "", mutable=True)
    data.pop("cursor", None)
    return "&".join(
        f"{part}" for part in sorted(data.urlencode().split("&")) if part and not part.endswith("=")
    )
