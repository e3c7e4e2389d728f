"""The main navigation: each entry shows only to users who may use it.

Apps add entries with `register_nav(...)` in their AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Any
    url_name: str
    order: int = 100
    allowed: Callable[[Any], bool] = lambda user: True


NAV_ITEMS: dict[str, NavItem] = {}


def register_nav(item: NavItem) -> None:
    NAV_ITEMS[item.key] = item


def navigation_for(user) -> list[dict]:
    items = []
    for item in sorted(NAV_ITEMS.values(), key=lambda i: i.order):
        if not item.allowed(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"key": item.key, "label": item.label, "url": url})
    return items
