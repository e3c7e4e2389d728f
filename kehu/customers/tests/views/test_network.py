"""Network pages: the 360° section, the tree page (constant queries), the picker, set and clear."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kehu.customers.models import Customer, SalesRecord
from kehu.customers.services import customer_set_parent
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def page(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_the_360_page_shows_the_network_section(personas):
    top = make_customer(personas.alice, name="华东总经销有限公司")
    shop = make_customer(personas.alice, name="华东零售有限公司")
    customer_set_parent(actor=personas.alice, customer=shop, parent=top, channel_role="retail")

    html = page(personas.alice).get(reverse("customers:customer_detail", args=[shop.pk])).content.decode()

    assert 'data-testid="customer-network"' in html and "分销网络" in html
    assert "华东总经销有限公司" in html and "零售/终端" in html
    top_html = page(personas.alice).get(reverse("customers:customer_detail", args=[top.pk])).content.decode()
    assert "1 个客户（直接下级 1 个）" in top_html


def test_the_tree_page_indents_filters_by_period_and_counts_by_region(personas):
    top = make_customer(personas.alice, name="华东总经销有限公司")
    shop = make_customer(personas.alice, name="杭州零售有限公司", province="浙江", city="杭州")
    customer_set_parent(actor=personas.alice, customer=shop, parent=top)
    SalesRecord.objects.create(customer=shop, occurred_on=date(2026, 5, 1), product="设备", amount=Decimal("300"))

    url = reverse("customers:network_tree", args=[top.pk])
    html = page(personas.alice).get(url, {"date_from": "2026-01-01", "date_to": "2026-12-31"}).content.decode()
    assert 'class="depth-1"' in html and "杭州零售有限公司" in html and "¥ 300.00" in html
    assert 'data-testid="coverage-row"' in html and "浙江" in html
    earlier = page(personas.alice).get(url, {"date_from": "2025-01-01", "date_to": "2025-12-31"}).content.decode()
    assert "¥ 300.00" not in earlier
    bad = page(personas.alice).get(url, {"date_from": "2026-12-31", "date_to": "2026-01-01"}).content.decode()
    assert "期间的结束日期早于开始日期" in bad


def test_the_tree_page_takes_the_same_queries_whatever_the_size(personas, django_assert_max_num_queries):
    top = make_customer(personas.alice, name="华东总经销有限公司")
    client = page(personas.alice)
    url = reverse("customers:network_tree", args=[top.pk])
    client.get(url)  # warm up the session and grants

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = queries()
    parents = [top]
    for index in range(15):
        child = make_customer(personas.alice, name=f"网点{index:02d}贸易有限公司")
        customer_set_parent(actor=personas.alice, customer=child, parent=parents[index // 2])
        parents.append(child)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200
    assert queries() == small <= 12


def test_the_picker_finds_linkable_customers_and_the_form_links_them(personas):
    top = make_customer(personas.alice, name="华东总经销有限公司")
    shop = make_customer(personas.alice, name="华东零售有限公司")
    make_customer(personas.erin, name="华北总经销有限公司")
    client = page(personas.alice)

    results = client.get(
        reverse("customers:network_parent_search", args=[shop.pk]), {"q": "总经销"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in results and "华东总经销有限公司" in results and "华北总经销" not in results
    assert f'value="{top.pk}"' in results and f'value="{shop.pk}"' not in results

    form = client.get(reverse("customers:network_parent", args=[shop.pk])).content.decode()
    assert 'hx-get="/customers/' in form and "style=" not in form and "<script>" not in form
    saved = client.post(
        reverse("customers:network_parent", args=[shop.pk]),
        {"parent_id": top.pk, "channel_role": "retail", "version": "0"},
    )
    assert saved.status_code == 302 and saved["Location"] == reverse("customers:network_tree", args=[shop.pk])
    assert Customer.objects.get(pk=shop.pk).parent_id == top.pk


def test_the_form_explains_a_loop_and_a_missing_choice(personas):
    top = make_customer(personas.alice, name="华东总经销有限公司")
    shop = make_customer(personas.alice, name="华东零售有限公司")
    customer_set_parent(actor=personas.alice, customer=shop, parent=top)
    client = page(personas.alice)

    loop = client.post(reverse("customers:network_parent", args=[top.pk]), {"parent_id": shop.pk, "version": "0"})
    assert loop.status_code == 400 and "形成循环" in loop.content.decode()
    searched = client.post(reverse("customers:network_parent", args=[top.pk]), {"q": "零售", "version": "0"})
    assert searched.status_code == 400 and "你的范围内没有这个客户" in searched.content.decode()
    assert Customer.objects.get(pk=top.pk).parent_id is None


def test_without_a_distributor_only_the_channel_role_changes(personas):
    top = make_customer(personas.alice, name="华东总经销有限公司")

    saved = page(personas.alice).post(
        reverse("customers:network_parent", args=[top.pk]), {"channel_role": "general", "version": "0"}
    )

    assert saved.status_code == 302
    top.refresh_from_db()
    assert (top.channel_role, top.parent_id, top.version) == ("general", None, 1)


def test_clear_the_parent(personas):
    top, shop = make_customer(personas.alice), make_customer(personas.alice)
    customer_set_parent(actor=personas.alice, customer=shop, parent=top)

    response = page(personas.alice).post(reverse("customers:network_parent_clear", args=[shop.pk]))

    assert response.status_code == 302 and Customer.objects.get(pk=shop.pk).parent_id is None
