"""Reads of archive cards and the sales record book; always from `.visible_to(user)`.

Cards and sales records are visible when their customer is (CustomerScopedQuerySet).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from kehu.accounts.permissions import access
from kehu.core.audit.selectors import changes_for
from kehu.customers.models import Card, Customer, SalesRecord
from kehu.customers.timeline import Bound, TimelineEntry, dated_entries, day_time


def cards_for(user: Any, customer: Customer, *, kind: str = "") -> QuerySet[Card]:
    """The customer's cards the user may see, newest first (one query, authors joined)."""
    cards = Card.objects.visible_to(user).filter(customer=customer).select_related("author")
    if kind:
        cards = cards.filter(kind=kind)
    return cards.order_by("-card_date", "-pk")


def card_get(*, actor: Any, customer_id: Any, card_id: Any, action: str = "view") -> Card:
    """One card of a customer: the customer must be visible, and editable for changes (404/403)."""
    customer = access(actor, Customer, customer_id, "view" if action == "view" else "edit")
    try:
        return (
            Card.objects.visible_to(actor).select_related("author", "customer").get(customer=customer, pk=card_id)
        )
    except (Card.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def competitor_contracts_expiring(user: Any, *, until: datetime.date, since: datetime.date | None = None) -> QuerySet[Card]:
    """Competitor cards whose contract expires by `until` (and from `since`), soonest first.

    The reminders of later parts read this: a competitor's contract running out is the
    moment to call (001: 竞争对手捆绑协议到期).
    """
    cards = Card.objects.visible_to(user).filter(kind="competitor", contract_expires_on__lte=until)
    if since is not None:
        cards = cards.filter(contract_expires_on__gte=since)
    return cards.select_related("customer").order_by("contract_expires_on", "pk")


# --- the sales record book -------------------------------------------------------------------


def sales_records_for(user: Any, customer: Customer) -> QuerySet[SalesRecord]:
    return SalesRecord.objects.visible_to(user).filter(customer=customer).select_related("author").order_by(
        "-occurred_on", "-pk"
    )


def sales_record_get(*, actor: Any, customer_id: Any, record_id: Any, action: str = "view") -> SalesRecord:
    customer = access(actor, Customer, customer_id, "view" if action == "view" else "edit")
    try:
        return SalesRecord.objects.visible_to(actor).select_related("author", "customer").get(
            customer=customer, pk=record_id
        )
    except (SalesRecord.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


CENT = Decimal("0.01")


@dataclass(frozen=True)
class SalesTotals:
    count: int
    quantity: Decimal
    amount: Decimal
    date_from: datetime.date | None
    date_to: datetime.date | None


def _cents(value: Decimal | None) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def sales_totals(
    user: Any, *, customer: Customer | None = None, date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> SalesTotals:
    """Number of sales, quantity and amount over a period (both ends included), in the user's scope.

    One customer's book when `customer` is given, else every customer the user sees.
    """
    records = SalesRecord.objects.visible_to(user)
    if customer is not None:
        records = records.filter(customer=customer)
    if date_from is not None:
        records = records.filter(occurred_on__gte=date_from)
    if date_to is not None:
        records = records.filter(occurred_on__lte=date_to)
    sums = records.order_by().aggregate(count=Count("pk"), quantity=Sum("quantity"), amount=Sum("amount"))
    return SalesTotals(
        count=sums["count"] or 0, quantity=_cents(sums["quantity"]), amount=_cents(sums["amount"]),
        date_from=date_from, date_to=date_to,
    )


# --- the 360° timeline: the archive's own sources ---------------------------------------------


def timeline_cards(user: Any, customer: Customer, limit: int, bound: Bound | None):
    """Archive cards, at their date (at most 3 queries)."""
    url = reverse("customers:customer_detail", args=[customer.pk])

    def entry(card: Card) -> TimelineEntry:
        return TimelineEntry(
            when=day_time(card.card_date, card.created_at), id=card.pk, kind=f"card-{card.kind}",
            title=str(card), summary=card.summary, url=f"{url}#card-{card.pk}",
            actor=card.author.name if card.author else "",
        )

    return dated_entries(cards_for(user, customer), "card_date", limit, bound, entry)


def timeline_sales(user: Any, customer: Customer, limit: int, bound: Bound | None):
    """Sales record book entries, at their date (at most 3 queries)."""
    url = reverse("customers:customer_detail", args=[customer.pk])

    def entry(record: SalesRecord) -> TimelineEntry:
        return TimelineEntry(
            when=day_time(record.occurred_on, record.created_at), id=record.pk, kind="sale",
            title=_("Sale: %(product)s") % {"product": record.product},
            summary=_("%(quantity)s × · ¥ %(amount)s") % {"quantity": record.quantity.normalize(), "amount": record.amount},
            url=f"{url}#sale-{record.pk}", actor=record.author.name if record.author else "",
        )

    return dated_entries(sales_records_for(user, customer), "occurred_on", limit, bound, entry)


def timeline_changes(user: Any, customer: Customer, limit: int, bound: Bound | None):
    """The customer's own change log (created, edited, deactivated …), one query.

    Cards and sales records show as entries of their own, so their log rows are not repeated.
    """
    entries = changes_for(customer).order_by("-created_at", "-pk")
    if bound is not None:
        entries = entries.filter(bound.q("created_at"))
    for entry in entries[:limit]:
        labels = [str(change["label"]) for change in entry.display_changes()[:5]]
        yield TimelineEntry(
            when=entry.created_at, id=entry.pk, kind="change",
            title=f"{entry.get_action_display()} · {entry.object_repr}",
            summary="、".join(labels), actor=entry.actor_repr,
        )
