"""The distribution network: linking with rights on both sides, cycle refusal, scope masking, roll-ups."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kehu.core.audit.models import ChangeLogEntry
from kehu.customers import selectors, services
from kehu.customers.models import Customer, SalesRecord
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def sale(customer, amount, on=date(2026, 3, 1)):
    return SalesRecord.objects.create(customer=customer, occurred_on=on, product="设备", amount=Decimal(amount))


def chain(owner, *names):
    """Customers of `owner`, each below the previous one."""
    made = []
    for name in names:
        customer = make_customer(owner, name=name)
        if made:
            services.customer_set_parent(actor=owner, customer=customer, parent=made[-1])
        made.append(customer)
    return made


def test_set_parent_links_logs_and_bumps_the_version(personas):
    general, sub = make_customer(personas.alice, name="上海总经销有限公司"), make_customer(personas.alice)

    services.customer_set_parent(actor=personas.alice, customer=sub, parent=general.pk, channel_role="sub", version=0)

    sub.refresh_from_db()
    assert sub.parent_id == general.pk and sub.channel_role == "sub" and sub.version == 1
    entry = ChangeLogEntry.objects.for_object(sub).order_by("-pk").first()
    assert "上海总经销有限公司" in str(entry.changes)


def test_a_stale_version_is_refused(personas):
    general, sub = make_customer(personas.alice), make_customer(personas.alice)
    with pytest.raises(services.StaleEdit):
        services.customer_set_parent(actor=personas.alice, customer=sub, parent=general, version=5)
    assert Customer.objects.get(pk=sub.pk).parent_id is None


def test_self_parenting_and_cycles_of_any_depth_are_refused(personas):
    top, middle, bottom, leaf = chain(personas.alice, "甲总经销有限公司", "乙二批有限公司", "丙零售有限公司", "丁终端有限公司")

    with pytest.raises(ValidationError) as own:
        services.customer_set_parent(actor=personas.alice, customer=top, parent=top)
    assert own.value.message_dict["parent"] == ["客户不能是自己的上级经销商。"]
    with pytest.raises(ValidationError) as loop:
        services.customer_set_parent(actor=personas.alice, customer=top, parent=leaf)
    assert "形成循环" in loop.value.message_dict["parent"][0]
    assert Customer.objects.get(pk=top.pk).parent_id is None


def test_a_parent_outside_my_scope_cannot_be_linked_nor_told_apart_from_none(personas):
    mine, theirs = make_customer(personas.alice), make_customer(personas.erin)

    for parent in (theirs.pk, 999999):
        with pytest.raises(ValidationError) as refused:
            services.customer_set_parent(actor=personas.alice, customer=mine, parent=parent)
        assert refused.value.message_dict == {"parent": ["你的范围内没有这个客户。"]}
    with pytest.raises(Http404):
        services.customer_set_parent(actor=personas.alice, customer=theirs, parent=mine)


def test_viewers_cannot_change_the_network(personas):
    general, sub = make_customer(personas.alice), make_customer(personas.alice)
    with pytest.raises(PermissionDenied):
        services.customer_set_parent(actor=personas.dave, customer=sub, parent=general)


def test_clear_parent(personas):
    top, below = chain(personas.alice, "甲总经销有限公司", "乙二批有限公司")

    services.customer_clear_parent(actor=personas.alice, customer=below)

    assert Customer.objects.get(pk=below.pk).parent_id is None
    with pytest.raises(ValidationError) as again:
        services.customer_clear_parent(actor=personas.alice, customer=below)
    assert "parent" in again.value.message_dict


def test_roll_ups_sum_down_the_tree_over_the_period(personas):
    top, sub, shop = chain(personas.carol, "甲总经销有限公司", "乙二批有限公司", "丙零售有限公司")
    other_shop = make_customer(personas.carol, name="丁零售有限公司", province="江苏", city="苏州")
    services.customer_set_parent(actor=personas.carol, customer=other_shop, parent=sub)
    sale(top, "100"), sale(sub, "20.50"), sale(shop, "3"), sale(other_shop, "4")
    sale(shop, "1000", on=date(2025, 12, 31))  # outside the period

    network = selectors.network_get(
        actor=personas.carol, customer=top, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31)
    )

    assert [(n.name, n.depth) for n in network.nodes] == [
        ("甲总经销有限公司", 0), ("乙二批有限公司", 1), ("丁零售有限公司", 2), ("丙零售有限公司", 2),
    ]
    assert network.root.total_amount == Decimal("127.50") and network.root.descendants == 3
    assert network.nodes[1].total_amount == Decimal("27.50") and network.nodes[1].own_amount == Decimal("20.50")
    assert network.root.total_records == 4
    assert [(r.province, r.city, r.customers) for r in network.coverage] == [("上海", "上海", 3), ("江苏", "苏州", 1)]
    assert (network.provinces, network.cities) == (2, 2)
    assert [a.name for a in selectors.network_get(actor=personas.carol, customer=shop).ancestors] == [
        "甲总经销有限公司", "乙二批有限公司",
    ]


def test_nodes_outside_the_scope_are_masked_and_left_out_of_the_sums(personas):
    top = make_customer(personas.alice, name="华东总经销有限公司")
    hidden = make_customer(personas.erin, name="北方二批贸易有限公司", province="北京", city="北京")
    shop = make_customer(personas.alice, name="华东零售有限公司")
    services.customer_set_parent(actor=personas.carol, customer=hidden, parent=top)
    services.customer_set_parent(actor=personas.carol, customer=shop, parent=hidden)
    sale(top, "10", on=timezone.localdate()), sale(hidden, "500", on=timezone.localdate()), sale(shop, "1", on=timezone.localdate())

    network = selectors.network_get(actor=personas.alice, customer=top)

    masked = network.nodes[1]
    assert not masked.visible and masked.id is None and masked.name != "北方二批贸易有限公司"
    assert "*" in masked.name and masked.region == "" and masked.department_name == "华北销售组"
    assert masked.as_dict()["own_amount"] is None
    assert network.nodes[2].visible and network.nodes[2].name == "华东零售有限公司"
    assert network.root.total_amount == Decimal("11") and network.root.descendants == 2
    assert network.hidden == 1 and [r.city for r in network.coverage] == ["上海"]
    # carol sees everything below her department: the full sum
    assert selectors.network_get(actor=personas.carol, customer=top).root.total_amount == Decimal("511")


def test_the_tree_is_read_in_a_constant_number_of_queries(personas):
    top = make_customer(personas.alice, name="甲总经销有限公司")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.network_get(actor=personas.alice, customer=top)
        return len(queries)

    small = count()
    parents = [top]
    for index in range(12):
        child = make_customer(personas.alice, name=f"网点{index:02d}贸易有限公司")
        services.customer_set_parent(actor=personas.alice, customer=child, parent=parents[index // 3])
        parents.append(child)
    assert count() == small <= 5


def test_parent_candidates_leave_out_itself_and_everything_below(personas):
    top, below = chain(personas.alice, "甲总经销有限公司", "甲二批有限公司")
    other = make_customer(personas.alice, name="甲三方有限公司")
    make_customer(personas.erin, name="甲北方有限公司")

    found = selectors.parent_candidates(actor=personas.alice, customer=top, q="甲")
    assert found == [] and selectors.parent_candidates(actor=personas.alice, customer=top, q="甲三") == [other]
    assert {c.pk for c in selectors.parent_candidates(actor=personas.alice, customer=below, q="有限公司")} == {
        top.pk, other.pk,
    }


def test_a_merged_alias_leaves_the_tree_and_its_children_follow_the_survivor(personas):
    general = make_customer(personas.alice, name="总经销甲有限公司")
    sub = make_customer(personas.alice, name="二批乙有限公司")
    shop = make_customer(personas.alice, name="零售丙有限公司")
    survivor = make_customer(personas.alice, name="二批丁有限公司")
    services.customer_set_parent(actor=personas.alice, customer=sub, parent=general.pk, channel_role="sub", version=0)
    sub.refresh_from_db()
    services.customer_set_parent(actor=personas.alice, customer=shop, parent=sub.pk, channel_role="retail", version=0)
    sub.refresh_from_db()

    services.customer_merge(actor=personas.root, survivor=survivor, loser=sub, survivor_version=survivor.version,
                            loser_version=sub.version)

    assert selectors.subtree_ids(general.pk) == {general.pk}
    assert selectors.subtree_ids(survivor.pk) == {survivor.pk, shop.pk}
