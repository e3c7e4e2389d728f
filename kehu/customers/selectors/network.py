"""Reads of the distribution network (C4): a customer's subtree with roll-ups, its ancestors,
coverage by region.

The tree is read with one recursive query (WITH RECURSIVE works on SQLite and
PostgreSQL), the nodes with one query (their visibility computed in the same query from
the actor's scope), the sales roll-up with one grouped query on the sales record book: the
number of queries does not grow with the tree.

Scope: every node is listed, but a node outside the actor's scope shows only a masked
name and its department (as the duplicate check does); its sales and region are left out
of the roll-ups and the coverage, which count only what the actor may see, so nothing
can be worked out by subtraction. Out-of-scope nodes cannot be linked (services/network.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, Count, Sum, Value, When
from django.utils import timezone

from kehu.accounts.permissions import require, scope_filter
from kehu.customers.apps import CUSTOMER
from kehu.customers.models import Customer, SalesRecord
from kehu.customers.selectors.customer import MaskedCustomer

MAX_DEPTH = 30
MAX_NODES = 5000
CHUNK = 900  # ids per IN (…) list, under SQLite's variable limit


# --- the recursive queries -------------------------------------------------------------------


def _names() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "t": quote(Customer._meta.db_table),
        "parent": quote(Customer._meta.get_field("parent").column),
        "merged": quote(Customer._meta.get_field("merged_into").column),
    }


def subtree_rows(root_id: int, *, max_nodes: int = MAX_NODES) -> list[tuple[int, int | None, int]]:
    """(id, parent id, depth) of the customer and everything below it, root first (merged aliases left out)."""
    n = _names()
    sql = (
        f"WITH RECURSIVE tree(id, parent_id, depth) AS ("
        f" SELECT id, {n['parent']}, 0 FROM {n['t']} WHERE id = %s"
        f" UNION ALL"
        f" SELECT c.id, c.{n['parent']}, tree.depth + 1 FROM {n['t']} c JOIN tree ON c.{n['parent']} = tree.id"
        f" WHERE tree.depth < %s"
        f") SELECT id, parent_id, depth FROM tree"
        f" WHERE (SELECT m.{n['merged']} FROM {n['t']} m WHERE m.id = tree.id) IS NULL"
        f" ORDER BY depth, id LIMIT %s"
    )
    # Merged aliases are left out at the end, not in the recursive step, and by a correlated
    # lookup, not a join: a second condition in the step, or a join at the end, makes SQLite
    # build a Bloom filter by reading the whole table, where this reads only the partial index
    # on the parent and one row per node (a merge moves an alias's children to the survivor,
    # so nothing is lost below it).
    with connection.cursor() as cursor:
        cursor.execute(sql, [root_id, MAX_DEPTH, max_nodes + 1])
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]


def subtree_ids(root_id: int) -> set[int]:
    """The customer and every customer below it."""
    return {row[0] for row in subtree_rows(root_id)}


def ancestor_ids(customer_id: int) -> list[int]:
    """The customers above this one, nearest first (the customer itself not included)."""
    n = _names()
    sql = (
        f"WITH RECURSIVE up(id, parent_id, depth) AS ("
        f" SELECT id, {n['parent']}, 0 FROM {n['t']} WHERE id = %s"
        f" UNION ALL"
        f" SELECT c.id, c.{n['parent']}, up.depth + 1 FROM {n['t']} c JOIN up ON c.id = up.parent_id"
        f" WHERE up.depth < %s"
        f") SELECT id FROM up WHERE depth > 0 ORDER BY depth"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [customer_id, MAX_DEPTH + 1])
        return [row[0] for row in cursor.fetchall()]


# --- nodes -----------------------------------------------------------------------------------


@dataclass
class NetworkNode(MaskedCustomer):
    """One customer in the tree, as the actor may see it."""

    customer: Customer
    visible: bool
    depth: int = 0
    parent_id: int | None = None
    children: list[NetworkNode] = field(default_factory=list)
    own_amount: Decimal = Decimal("0")
    own_records: int = 0
    total_amount: Decimal = Decimal("0")  # own + below, visible nodes only
    total_records: int = 0
    descendants: int = 0  # every node below, visible or not


    @property
    def channel_role(self) -> str:
        return self.customer.channel_role if self.visible else ""

    @property
    def channel_role_label(self) -> str:
        return self.customer.get_channel_role_display() if self.visible and self.customer.channel_role else ""

    @property
    def region(self) -> str:
        return self.customer.region if self.visible else ""

    @property
    def owner_name(self) -> str:
        if not self.visible or self.customer.owner is None:
            return ""
        return self.customer.owner.name

    @property
    def in_pool(self) -> bool:
        return self.customer.owner_id is None

    @property
    def indent(self) -> int:
        """Indentation step for the page (capped so a deep tree still fits 375 px)."""
        return min(self.depth, 8)

    def as_dict(self) -> dict:
        return {
            "id": self.id, "name": self.name, "visible": self.visible, "depth": self.depth,
            "channel_role": self.channel_role, "region": self.region, "department": self.department_name,
            "owner": self.owner_name, "in_pool": self.in_pool, "is_active": self.customer.is_active,
            "own_amount": self.own_amount if self.visible else None,
            "own_records": self.own_records if self.visible else None,
            "total_amount": self.total_amount, "total_records": self.total_records,
            "descendants": self.descendants,
        }


@dataclass
class RegionCount:
    province: str
    city: str
    customers: int


@dataclass
class Network:
    root: NetworkNode
    nodes: list[NetworkNode]  # depth-first, for an indented list
    ancestors: list[NetworkNode]  # from the top of the network down to the direct parent
    coverage: list[RegionCount]
    provinces: int
    cities: int
    hidden: int  # nodes below the root outside the actor's scope
    date_from: date
    date_to: date
    truncated: bool


def _load(actor: Any, ids: list[int]) -> dict[int, tuple[Customer, bool]]:
    """The customers with ids, each with whether the actor may see it: one query per CHUNK ids."""
    condition = scope_filter(actor, Customer)
    visible = (
        Value(True, output_field=BooleanField()) if condition is None
        else Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    found: dict[int, tuple[Customer, bool]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = (
            Customer.objects.filter(pk__in=ids[start:start + CHUNK])
            .select_related("owner", "department")
            .annotate(_visible=visible)
            .order_by()
        )
        for customer in rows:
            found[customer.pk] = (customer, bool(customer._visible))
    return found


def _sales(ids: list[int], date_from: date, date_to: date) -> dict[int, tuple[Decimal, int]]:
    sums: dict[int, tuple[Decimal, int]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = (
            SalesRecord.objects.filter(
                customer_id__in=ids[start:start + CHUNK], occurred_on__gte=date_from, occurred_on__lte=date_to
            )
            .values("customer_id")
            .annotate(amount=Sum("amount"), records=Count("pk"))
            .order_by()
        )
        for row in rows:
            sums[row["customer_id"]] = (row["amount"] or Decimal("0"), row["records"])
    return sums


def default_period() -> tuple[date, date]:
    """This calendar year so far (Asia/Shanghai)."""
    today = timezone.localdate()
    return date(today.year, 1, 1), today


def network_get(
    *, actor: Any, customer: Customer, date_from: date | None = None, date_to: date | None = None
) -> Network:
    """The customer's network: its subtree with counts and sales roll-ups over the period, its
    ancestors and the coverage by region. The caller loaded `customer` with access()."""
    require(actor, CUSTOMER, "view")
    start, end = default_period()
    date_from, date_to = date_from or start, date_to or end
    rows = subtree_rows(customer.pk)
    truncated = len(rows) > MAX_NODES
    rows = rows[:MAX_NODES]
    above = ancestor_ids(customer.pk)
    loaded = _load(actor, [row[0] for row in rows] + above)
    visible_ids = [pk for pk, (_c, seen) in loaded.items() if seen and pk not in above]
    sales = _sales(visible_ids, date_from, date_to)

    nodes: dict[int, NetworkNode] = {}
    order: list[NetworkNode] = []
    for pk, parent_id, depth in rows:
        if pk not in loaded:
            continue
        item, seen = loaded[pk]
        if pk == customer.pk:
            seen = True  # the caller has already checked access to the root
        node = NetworkNode(item, visible=seen, depth=depth, parent_id=parent_id if depth else None)
        if seen:
            node.own_amount, node.own_records = sales.get(pk, (Decimal("0"), 0))
        node.total_amount, node.total_records = node.own_amount, node.own_records
        nodes[pk] = node
        order.append(node)
        if depth and parent_id in nodes:
            nodes[parent_id].children.append(node)
    for node in sorted(order, key=lambda n: -n.depth):  # deepest first: each node adds itself to its parent
        parent = nodes.get(node.parent_id) if node.parent_id else None
        if parent is not None:
            parent.total_amount += node.total_amount
            parent.total_records += node.total_records
            parent.descendants += node.descendants + 1
    root = nodes[customer.pk]
    for node in order:
        node.children.sort(key=lambda n: (not n.visible, n.name, n.customer.pk))

    flat: list[NetworkNode] = []
    stack = [root]
    while stack:
        node = stack.pop()
        flat.append(node)
        stack.extend(reversed(node.children))

    regions = Counter(
        (node.customer.province, node.customer.city) for node in flat if node.visible and node.customer.province
    )
    coverage = [RegionCount(p, c, n) for (p, c), n in sorted(regions.items(), key=lambda kv: (-kv[1], kv[0]))]
    ancestors = []
    for pk in reversed(above):
        if pk in loaded:
            item, seen = loaded[pk]
            ancestors.append(NetworkNode(item, visible=seen))
    return Network(
        root=root, nodes=flat, ancestors=ancestors, coverage=coverage,
        provinces=len({r.province for r in coverage}), cities=len({(r.province, r.city) for r in coverage}),
        hidden=sum(1 for node in flat if not node.visible), date_from=date_from, date_to=date_to,
        truncated=truncated,
    )


@dataclass
class NetworkSummary:
    parent: NetworkNode | None
    children: int
    descendants: int
    total_amount: Decimal
    date_from: date
    date_to: date


def network_summary(*, actor: Any, customer: Customer) -> NetworkSummary:
    """What the 360° page shows: the distributor above, how many below, this year's sales below
    (visible customers only). A fixed handful of queries whatever the tree's size."""
    require(actor, CUSTOMER, "view")
    date_from, date_to = default_period()
    rows = subtree_rows(customer.pk)[:MAX_NODES]
    ids = [row[0] for row in rows]
    parent = parent_node(actor=actor, customer=customer)
    condition = scope_filter(actor, Customer)
    visible = [customer.pk]
    below = ids[1:]
    for start in range(0, len(below), CHUNK):
        chunk = Customer.objects.filter(pk__in=below[start:start + CHUNK])
        if condition is not None:
            chunk = chunk.filter(condition)
        visible += list(chunk.values_list("pk", flat=True))
    total = Decimal("0")
    for amount, _records in _sales(visible, date_from, date_to).values():
        total += amount
    return NetworkSummary(
        parent=parent, children=sum(1 for row in rows if row[2] == 1), descendants=len(ids) - 1,
        total_amount=total, date_from=date_from, date_to=date_to,
    )


def parent_node(*, actor: Any, customer: Customer) -> NetworkNode | None:
    """The distributor directly above the customer, masked when outside the actor's scope."""
    if not customer.parent_id:
        return None
    loaded = _load(actor, [customer.parent_id])
    return NetworkNode(*loaded[customer.parent_id]) if customer.parent_id in loaded else None


def parent_candidates(*, actor: Any, customer: Customer, q: str, limit: int = 10) -> list[Customer]:
    """Customers the actor may link as this one's distributor: visible, editable, not itself nor below it."""
    from kehu.customers.selectors.customer import customer_list

    if len((q or "").strip()) < 2:
        return []
    below = subtree_ids(customer.pk)
    found = customer_list(actor=actor, q=q).exclude(pk__in=below).order_by("name", "pk")
    return list(found[:limit])
