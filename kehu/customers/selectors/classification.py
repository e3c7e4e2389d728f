"""Reads of classification (C5): ABC rows in the user's scope, rules, assessments and who is due.

Snapshots themselves (period, totals, limits) are not personal to anybody; their rows are,
so rows always start from `.visible_to(user)`. The cumulative % of a row stays the one over
all customers of the snapshot: a salesperson sees their own customers' lines of the company table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from kehu.accounts.permissions import require
from kehu.customers.apps import CUSTOMER
from kehu.customers.models import (
    AbcRow,
    AbcSnapshot,
    Customer,
    CustomerClassification,
    DistributorAssessment,
    LevelRule,
    RelationshipStatus,
)

ABC_SORTS = {
    "rank": ("rank",),
    "-rank": ("-rank",),
    "name": ("customer__name", "rank"),
    "-name": ("-customer__name", "rank"),
    "transactions": ("transactions", "rank"),
    "-transactions": ("-transactions", "rank"),
    "loyalty": ("loyalty_pct", "rank"),
    "-loyalty": ("-loyalty_pct", "rank"),
    "class": ("abc_class", "rank"),
    "-class": ("-abc_class", "rank"),
}
# Distributors due for assessment: customers we trade with (signed or cooperating).
ASSESSED_STATUSES = (RelationshipStatus.SIGNED, RelationshipStatus.COOPERATING)


def abc_snapshot(*, start: dt.date | None = None, end: dt.date | None = None) -> AbcSnapshot | None:
    """The snapshot of exactly this period, or the latest computed one when no period is given."""
    snapshots = AbcSnapshot.objects.select_related("computed_by")
    if start and end:
        return snapshots.filter(period_start=start, period_end=end).first()
    return snapshots.order_by("-computed_at").first()


def abc_snapshots() -> QuerySet[AbcSnapshot]:
    return AbcSnapshot.objects.order_by("-period_end", "-period_start")


def abc_rows(*, actor: Any, snapshot: AbcSnapshot, sort: str = "rank") -> QuerySet[AbcRow]:
    """The snapshot's rows of customers in the actor's scope (cumulative % over all of them)."""
    order = ABC_SORTS.get(sort, ABC_SORTS["rank"])
    return (
        AbcRow.objects.visible_to(actor).filter(snapshot=snapshot)
        .select_related("snapshot", "customer", "customer__owner").order_by(*order)
    )


def abc_row_for(*, actor: Any, customer: Customer) -> AbcRow | None:
    """The customer's line in the most recent snapshot that has one (the customer is in scope)."""
    return (
        AbcRow.objects.visible_to(actor).filter(customer=customer)
        .select_related("snapshot").order_by("-snapshot__computed_at").first()
    )


def classification_of(customer: Customer) -> CustomerClassification | None:
    return (
        CustomerClassification.objects.filter(customer=customer).select_related("rule", "set_by").first()
    )


def level_rules(*, actor: Any) -> QuerySet[LevelRule]:
    """The ordered rules; anyone who may look at customers may read why a level is what it is."""
    require(actor, CUSTOMER, "view")
    return LevelRule.objects.order_by("position", "pk")


def assessments(*, actor: Any, customer: Customer | None = None) -> QuerySet[DistributorAssessment]:
    rows = DistributorAssessment.objects.visible_to(actor).select_related("customer", "evaluator")
    if customer is not None:
        rows = rows.filter(customer=customer)
    return rows.order_by("-created_at", "-pk")


def assessments_due(*, actor: Any, period: str) -> QuerySet[Customer]:
    """Customers in scope we trade with (signed, cooperating) without an assessment in `period`."""
    done = DistributorAssessment.objects.filter(customer=OuterRef("pk"), period=period)
    return (
        Customer.objects.visible_to(actor)
        .filter(is_active=True, status__in=ASSESSED_STATUSES)
        .exclude(Exists(done))
        .select_related("owner")
        .order_by("name", "pk")
    )
