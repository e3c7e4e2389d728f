"""The 360° page's 档案卡, 销售记录本 and 时间线 sections: HTMX forms, full-page fallbacks, query counts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kehu.customers import services
from kehu.customers.models import Card, SalesRecord
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db
def today() -> str:
    return timezone.localdate().isoformat()


def page(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def add_cards(owner, customer, count: int) -> None:
    for index in range(count):
        services.card_create(actor=owner, customer=customer, kind="competitor",
                             fields={"competitor_name": f"对手{index}", "competitor_products": "PLC"})
        services.sales_record_create(actor=owner, customer=customer, occurred_on=today(), product=f"网关{index}",
                                     amount="100")


def test_the_360_page_shows_cards_sales_book_and_timeline(personas):
    customer = make_customer(personas.alice)
    add_cards(personas.alice, customer, 1)

    html = page(personas.alice).get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()

    assert "档案卡" in html and "区域竞争对手 · 对手0" in html and 'data-testid="card-add-credit"' in html
    assert "销售记录本" in html and "网关0" in html and "1 笔销售，合计 ¥ 100.00" in html
    assert "时间线" in html and 'data-testid="timeline-entry"' in html


def test_readers_see_cards_without_edit_buttons(personas):
    customer = make_customer(personas.alice)
    add_cards(personas.alice, customer, 1)

    html = page(personas.dave).get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()

    assert "对手0" in html and 'data-testid="card-add-credit"' not in html and 'data-testid="card-edit"' not in html


def test_the_360_page_costs_the_same_queries_for_1_or_20_cards(personas, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, big = make_customer(personas.alice), make_customer(personas.alice)
    add_cards(personas.alice, small, 1)
    add_cards(personas.alice, big, 20)
    client = page(personas.alice)
    client.get(reverse("customers:customer_detail", args=[small.pk]))  # warm the caches

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("customers:customer_detail", args=[small.pk]))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("customers:customer_detail", args=[big.pk]))
    assert response.content.decode().count('data-testid="card-row"') == 20


def test_htmx_add_card_answers_the_refreshed_section(personas):
    customer = make_customer(personas.alice)
    url = reverse("customers:card_create", args=[customer.pk, "credit"])
    client = page(personas.alice)

    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="card-form"' in form and "信用等级" in form

    bad = client.post(url, {"card_date": today(), "credit_rating": "AA", "credit_limit": "很多"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and "信用额度（元）请填写数字" in bad.content.decode()
    assert not Card.objects.exists()

    ok = client.post(url, {"card_date": today(), "credit_rating": "AA", "credit_limit": "50000",
                           "payment_habits": "月底付款"}, HTTP_HX_REQUEST="true")
    html = ok.content.decode()
    assert ok.status_code == 200 and html.startswith("<section") and "月底付款" in html
    assert 'data-testid="card-form"' not in html
    assert Card.objects.get().credit_limit == 50000


def test_full_page_card_edit_refuses_a_stale_version_then_delete(personas):
    customer = make_customer(personas.alice)
    card = services.card_create(actor=personas.alice, customer=customer, kind="strategy", fields={"objective": "A"})
    services.card_update(actor=personas.alice, card=card, version=0, summary="新的")
    client = page(personas.alice)
    url = reverse("customers:card_edit", args=[customer.pk, card.pk])

    stale = client.post(url, {"card_date": today(), "objective": "B", "version": "0"})
    assert stale.status_code == 409 and "已被其他人修改" in stale.content.decode()
    saved = client.post(url, {"card_date": today(), "objective": "B", "version": "1"})
    assert saved.status_code == 302 and saved.url.endswith(f"#card-{card.pk}")
    assert Card.objects.get().details["objective"] == "B"

    gone = client.post(reverse("customers:card_delete", args=[customer.pk, card.pk]))
    assert gone.status_code == 302 and not Card.objects.exists()


def test_an_unknown_card_type_is_404(personas):
    customer = make_customer(personas.alice)
    assert page(personas.alice).get(reverse("customers:card_create", args=[customer.pk, "gossip"])).status_code == 404


def test_sales_book_entry_period_totals_and_errors(personas):
    customer = make_customer(personas.alice)
    client = page(personas.alice)
    url = reverse("customers:sales_record_create", args=[customer.pk])

    bad = client.post(url, {"occurred_on": today(), "product": "网关", "amount": "0"}, HTTP_HX_REQUEST="true")
    assert "金额必须大于零。" in bad.content.decode() and not SalesRecord.objects.exists()
    client.post(url, {"occurred_on": today(), "product": "网关", "quantity": "2", "amount": "300"},
                HTTP_HX_REQUEST="true")
    client.post(url, {"occurred_on": "2025-01-02", "product": "旧网关", "amount": "50"}, HTTP_HX_REQUEST="true")

    section = client.get(reverse("customers:sales_section", args=[customer.pk]),
                         {"date_from": "2026-01-01", "date_to": today()}, HTTP_HX_REQUEST="true").content.decode()
    assert "1 笔销售，合计 ¥ 300.00" in section and "旧网关" not in section
    everything = client.get(reverse("customers:sales_section", args=[customer.pk])).content.decode()
    assert "2 笔销售，合计 ¥ 350.00" in everything

    record = SalesRecord.objects.get(product="网关")
    edit = reverse("customers:sales_record_edit", args=[customer.pk, record.pk])
    assert client.post(edit, {"occurred_on": today(), "product": "网关", "amount": "320", "version": "0"}).status_code == 302
    assert client.post(edit, {"occurred_on": today(), "product": "网关", "amount": "330", "version": "0"}).status_code == 409
    client.post(reverse("customers:sales_record_delete", args=[customer.pk, record.pk]))
    assert list(SalesRecord.objects.values_list("product", flat=True)) == ["旧网关"]


def test_the_timeline_pages_with_before(personas):
    customer = make_customer(personas.alice)
    add_cards(personas.alice, customer, 20)  # 40 entries and the customer's creation
    client = page(personas.alice)

    first = client.get(reverse("customers:customer_timeline", args=[customer.pk])).content.decode()
    assert first.count('data-testid="timeline-entry"') == 30 and 'data-testid="timeline-more"' in first
    before = first.split("?before=")[1].split('"')[0]
    rest = client.get(reverse("customers:customer_timeline", args=[customer.pk]) + "?before=" + before).content.decode()
    assert 0 < rest.count('data-testid="timeline-entry"') <= 11
