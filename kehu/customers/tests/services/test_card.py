"""Archive cards and the sales record book: validation naming the field, rights, stale edits, audit, totals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from kehu.core.audit.models import ChangeLogEntry
from kehu.customers import selectors, services
from kehu.customers.models import Card, SalesRecord
from kehu.customers.tests.factories import make_customer
from kehu.customers.timeline import (
    TimelineEntry,
    register_timeline_source,
    timeline_for,
    unregister_timeline_source,
)

pytestmark = pytest.mark.django_db

def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def competitor(actor, customer, **fields):
    values = {"competitor_name": "汇川代理商", "competitor_products": "伺服、PLC", **fields}
    return services.card_create(actor=actor, customer=customer, kind="competitor", fields=values)


# --- cards -----------------------------------------------------------------------------------


def test_a_card_keeps_typed_columns_details_author_and_a_default_title(personas):
    customer = make_customer(personas.alice)

    card = competitor(personas.alice, customer, contract_expires_on=days(30).isoformat(), competitor_terms="返点 3%")

    card.refresh_from_db()
    assert card.kind == "competitor" and card.card_date == today() and card.author == personas.alice
    assert card.competitor_name == "汇川代理商" and card.contract_expires_on == days(30)
    assert card.details == {"competitor_products": "伺服、PLC", "competitor_terms": "返点 3%"}
    assert card.title == "区域竞争对手 · 汇川代理商"
    assert card.version == 0


def test_card_amounts_are_decimals_and_credit_ratings_are_checked(personas):
    customer = make_customer(personas.alice)

    card = services.card_create(
        actor=personas.alice, customer=customer, kind="credit", title="年度信用评估",
        fields={"credit_rating": "AA", "credit_limit": "200000", "payment_days": "60"},
    )
    assert card.credit_limit == Decimal("200000.00") and card.details["payment_days"] == 60

    with pytest.raises(ValidationError) as excinfo:
        services.card_create(actor=personas.alice, customer=customer, kind="credit",
                             fields={"credit_rating": "Z", "credit_limit": "-5"})
    errors = excinfo.value.message_dict
    assert errors["credit_rating"] == ["请从列表中选择信用等级。"]
    assert errors["credit_limit"] == ["信用额度（元）不能为负数。"]


@pytest.mark.parametrize(
    ("kind", "fields", "field", "message"),
    [
        ("price", {"unit_price": "12", "valid_from": "2026-01-01"}, "product", "请填写产品。"),
        ("price", {"product": "网关", "unit_price": "abc", "valid_from": "2026-01-01"}, "unit_price",
         "协议价格（元）请填写数字，例如 1200.50。"),
        ("price", {"product": "网关", "unit_price": "12", "valid_from": "2026-03-01", "valid_to": "2026-02-01"},
         "valid_to", "有效期的结束日期不能早于开始日期。"),
        ("competitor", {"competitor_name": "某公司", "competitor_products": "x", "contract_expires_on": "明年"},
         "contract_expires_on", "竞争对手合同到期日请填写日期，例如 2026-03-31。"),
        ("strategy", {}, "objective", "请填写目标。"),
        ("strategy", {"objective": "扩大份额", "colour": "红"}, "colour", "此类型的档案卡没有字段“colour”。"),
    ],
)
def test_card_validation_names_the_field(personas, kind, fields, field, message):
    customer = make_customer(personas.alice)

    with pytest.raises(ValidationError) as excinfo:
        services.card_create(actor=personas.alice, customer=customer, kind=kind, fields=fields)

    assert excinfo.value.message_dict[field] == [message]
    assert not Card.objects.exists()


def test_a_card_cannot_be_dated_in_the_future_nor_have_an_unknown_kind(personas):
    customer = make_customer(personas.alice)
    with pytest.raises(ValidationError) as excinfo:
        services.card_create(actor=personas.alice, customer=customer, kind="strategy", card_date=days(1),
                             fields={"objective": "扩大份额"})
    assert excinfo.value.message_dict == {"card_date": ["日期不能晚于今天。"]}
    with pytest.raises(ValidationError) as excinfo:
        services.card_create(actor=personas.alice, customer=customer, kind="gossip")
    assert "kind" in excinfo.value.message_dict


def test_cards_follow_the_customer_scope_and_edit_right(personas):
    customer = make_customer(personas.alice)
    card = competitor(personas.alice, customer)

    assert list(selectors.cards_for(personas.carol, customer)) == [card]  # manager, subtree
    assert list(selectors.cards_for(personas.dave, customer)) == [card]  # customer service sees all
    assert list(selectors.cards_for(personas.bob, customer)) == []  # colleague, own scope
    with pytest.raises(Http404):
        competitor(personas.bob, customer)
    with pytest.raises(PermissionDenied):
        competitor(personas.dave, customer)
    with pytest.raises(Http404):
        selectors.card_get(actor=personas.erin, customer_id=customer.pk, card_id=card.pk)
    with pytest.raises(PermissionDenied):
        selectors.card_get(actor=personas.dave, customer_id=customer.pk, card_id=card.pk, action="edit")
    other = make_customer(personas.alice)
    with pytest.raises(Http404):  # a card is only found under its own customer
        selectors.card_get(actor=personas.alice, customer_id=other.pk, card_id=card.pk)
    assert Card.objects.count() == 1


def test_update_refuses_a_stale_version_and_is_logged(personas):
    customer = make_customer(personas.alice)
    card = competitor(personas.alice, customer)

    services.card_update(actor=personas.carol, card=card, version=0,
                         fields={"competitor_name": "台达渠道商", "competitor_products": "变频器"})
    stale = Card.objects.get(pk=card.pk)
    stale.version = 0
    with pytest.raises(services.StaleEdit):
        services.card_update(actor=personas.alice, card=stale, version=0, summary="旧的")

    card.refresh_from_db()
    assert card.competitor_name == "台达渠道商" and card.version == 1 and card.summary == ""
    entries = ChangeLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Card), object_id=str(card.pk))
    assert [e.action for e in entries.order_by("pk")] == ["create", "update"]
    assert {c["field"] for c in entries.order_by("pk").last().changes} >= {"competitor_name", "details"}


def test_delete_needs_edit_on_the_customer_and_leaves_a_log_entry(personas):
    customer = make_customer(personas.alice)
    card = competitor(personas.alice, customer)
    with pytest.raises(PermissionDenied):
        services.card_delete(actor=personas.dave, card=card)

    services.card_delete(actor=personas.alice, card=card)

    assert not Card.objects.exists()
    assert ChangeLogEntry.objects.filter(object_repr__contains="汇川代理商", action="delete").exists()


def test_expiring_competitor_contracts_are_queryable_by_date(personas):
    customer = make_customer(personas.alice)
    soon = competitor(personas.alice, customer, contract_expires_on=days(20))
    competitor(personas.alice, customer, contract_expires_on=days(200))
    competitor(personas.alice, customer)  # no date known
    elsewhere = competitor(personas.erin, make_customer(personas.erin), contract_expires_on=days(10))

    assert list(selectors.competitor_contracts_expiring(personas.alice, until=days(60), since=today())) == [soon]
    assert list(selectors.competitor_contracts_expiring(personas.carol, until=days(60))) == [elsewhere, soon]


# --- the sales record book -------------------------------------------------------------------


def test_sales_records_need_a_positive_amount_a_past_date_and_a_product(personas):
    customer = make_customer(personas.alice)

    with pytest.raises(ValidationError) as excinfo:
        services.sales_record_create(actor=personas.alice, customer=customer, occurred_on=days(1), product=" ",
                                     amount="0")
    assert excinfo.value.message_dict == {
        "occurred_on": ["销售日期不能晚于今天。"], "product": ["请填写所售产品。"], "amount": ["金额必须大于零。"],
    }
    record = services.sales_record_create(actor=personas.alice, customer=customer, occurred_on=today(),
                                          product="工业网关", quantity="3", amount="11400")
    assert record.amount == Decimal("11400.00") and record.quantity == Decimal("3.00")
    assert record.author == personas.alice and SalesRecord.objects.count() == 1


def test_sales_record_update_delete_rights_and_stale_edits(personas):
    customer = make_customer(personas.alice)
    record = services.sales_record_create(actor=personas.alice, customer=customer, occurred_on=days(-3),
                                          product="工业网关", amount="3800")
    with pytest.raises(PermissionDenied):
        services.sales_record_update(actor=personas.dave, record=record, version=0, amount="1")
    services.sales_record_update(actor=personas.alice, record=record, version=0, amount="4000")
    with pytest.raises(services.StaleEdit):
        services.sales_record_update(actor=personas.alice, record=record, version=0, amount="5000")
    record.refresh_from_db()
    assert record.amount == Decimal("4000.00") and record.version == 1
    with pytest.raises(Http404):
        services.sales_record_delete(actor=personas.erin, record=record)
    services.sales_record_delete(actor=personas.alice, record=record)
    assert not SalesRecord.objects.exists()


def test_totals_over_a_period_are_scoped(personas):
    customer = make_customer(personas.alice)
    for offset, amount in ((-40, "100"), (-10, "250.50"), (-1, "49.50")):
        services.sales_record_create(actor=personas.alice, customer=customer, occurred_on=days(offset),
                                     product="网关", quantity="2", amount=amount)
    services.sales_record_create(actor=personas.erin, customer=make_customer(personas.erin), occurred_on=days(-1),
                                 product="网关", amount="999")

    month = selectors.sales_totals(personas.alice, customer=customer, date_from=days(-30), date_to=today())
    assert (month.count, month.quantity, month.amount) == (2, Decimal("4.00"), Decimal("300.00"))
    assert selectors.sales_totals(personas.alice).amount == Decimal("400.00")
    assert selectors.sales_totals(personas.carol).amount == Decimal("1399.00")
    assert selectors.sales_totals(personas.bob).count == 0


# --- the timeline ----------------------------------------------------------------------------


def test_the_timeline_merges_sources_newest_first_and_pages(personas):
    customer = make_customer(personas.alice)
    services.card_create(actor=personas.alice, customer=customer, kind="strategy", card_date=days(-5),
                         fields={"objective": "扩大份额"})
    services.sales_record_create(actor=personas.alice, customer=customer, occurred_on=days(-2), product="网关",
                                 amount="10")

    entries, _next = timeline_for(personas.alice, customer)
    kinds = [entry.kind for entry in entries]
    assert kinds[0] == "change"  # created today
    assert kinds.index("sale") < kinds.index("card-strategy")
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)

    first, next_before = timeline_for(personas.alice, customer, limit=1)
    assert len(first) == 1 and next_before
    rest, _next = timeline_for(personas.alice, customer, before=next_before)
    assert [e.kind for e in rest] == kinds[1:]


def _same_instant_source(moment, count):
    """A source of `count` entries all at `moment`, honouring the bound as the contract asks."""

    def source(user, customer, limit, bound):
        for key in range(count, 0, -1):
            entry = TimelineEntry(when=moment, id=key, kind="visit", title=f"拜访 {key}")
            if bound is None or bound.admits(entry):
                yield entry
                limit -= 1
                if limit == 0:
                    return

    return source


def _all_pages(user, customer, limit):
    pages, before = [], None
    while True:
        entries, before = timeline_for(user, customer, limit=limit, before=before)
        pages.append(entries)
        if before is None:
            return pages


def test_entries_sharing_an_instant_appear_once_across_pages(personas):
    # given 45 entries of two sources at one instant, and the customer's own history
    customer = make_customer(personas.alice)
    moment = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    register_timeline_source("test.visits", _same_instant_source(moment, 25))
    register_timeline_source("test.calls", _same_instant_source(moment, 20))
    try:
        # when paging by 30
        pages = _all_pages(personas.alice, customer, 30)
    finally:
        unregister_timeline_source("test.visits")
        unregister_timeline_source("test.calls")
    # then every entry appears exactly once, in one total order, over two pages
    seen = [(entry.source, entry.id) for page in pages for entry in page]
    assert [len(page) for page in pages] == [30, 16]
    assert len(seen) == len(set(seen)) == 46
    assert {key for source, key in seen if source == "test.visits"} == set(range(1, 26))
    assert {key for source, key in seen if source == "test.calls"} == set(range(1, 21))
    keys = [entry.sort_key() for page in pages for entry in page]
    assert keys == sorted(keys, reverse=True)


def test_cards_and_change_log_rows_on_one_instant_page_exactly_once(personas):
    # given 35 cards of one day (shown at noon) and 35 change-log rows of one instant
    customer = make_customer(personas.alice)
    for number in range(35):
        services.card_create(actor=personas.alice, customer=customer, kind="strategy", card_date=days(-3),
                             fields={"objective": f"目标 {number}"})
    moment = timezone.now() - datetime.timedelta(days=1)
    log = ChangeLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(customer),
                                        object_id=str(customer.pk))
    template = log.get()
    ChangeLogEntry.objects.bulk_create([
        ChangeLogEntry(content_type=template.content_type, object_id=template.object_id, action=template.action,
                       object_repr=template.object_repr, actor_repr=template.actor_repr, changes=[],
                       created_at=moment)
        for _ in range(35)
    ])

    # when paging by 30
    pages = _all_pages(personas.alice, customer, 30)

    # then 71 entries, each once, newest first
    seen = [(entry.source, entry.id) for page in pages for entry in page]
    assert [len(page) for page in pages] == [30, 30, 11]
    assert len(set(seen)) == 71
    assert sum(1 for source, _id in seen if source == "customers.cards") == 35
    assert sum(1 for source, _id in seen if source == "customers.changes") == 36
    keys = [entry.sort_key() for page in pages for entry in page]
    assert keys == sorted(keys, reverse=True)


def test_a_cursor_that_is_not_ours_is_refused_naming_before(personas):
    customer = make_customer(personas.alice)
    with pytest.raises(ValidationError) as caught:
        timeline_for(personas.alice, customer, before="2026-01-01T00:00:00+08:00")
    assert "before" in caught.value.message_dict


def test_a_failing_or_extra_source_does_not_break_the_timeline(personas):
    customer = make_customer(personas.alice)

    def broken(user, customer, limit, before):
        raise RuntimeError("boom")

    def visits(user, customer, limit, before):
        yield TimelineEntry(when=timezone.now() + datetime.timedelta(minutes=1), id=1, kind="visit", title="拜访")

    register_timeline_source("test.broken", broken)
    register_timeline_source("test.visits", visits)
    try:
        entries, _next = timeline_for(personas.alice, customer)
    finally:
        unregister_timeline_source("test.broken")
        unregister_timeline_source("test.visits")
    assert entries[0].title == "拜访" and entries[0].source == "test.visits"
