"""Merge pages: choose, side-by-side preview with a radio per differing field, confirm; alias redirect."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kehu.customers.models import Customer
from kehu.customers.tests.factories import make_contact, make_customer
from kehu.customers.tests.views.test_customer import page

pytestmark = pytest.mark.django_db


def pair(personas):
    survivor = make_customer(personas.alice, name="华为技术有限公司", city="深圳", industry="通信")
    loser = make_customer(personas.bob, name="华为终端有限公司", city="深圳", industry="手机")
    make_contact(loser, name="李雷")
    return survivor, loser


def test_the_360_page_offers_merge_to_managers_only(personas):
    survivor, _ = pair(personas)
    url = reverse("customers:customer_detail", args=[survivor.pk])

    assert 'data-testid="customer-merge"' in page(personas.carol).get(url).content.decode()
    assert 'data-testid="customer-merge"' not in page(personas.alice).get(url).content.decode()


def test_choose_then_preview_then_confirm(personas):
    survivor, loser = pair(personas)
    client = page(personas.carol)
    url = reverse("customers:merge_customer", args=[survivor.pk])

    chosen = client.get(url, {"q": "hwzd"})
    assert chosen.status_code == 200
    html = chosen.content.decode()
    assert html.count('data-testid="merge-candidate"') == 1 and "华为终端有限公司" in html

    preview = client.get(url, {"other": loser.pk})
    html = preview.content.decode()
    assert 'name="choice_industry"' in html and 'name="choice_city"' not in html
    assert "联系人: 1" in html

    survivor.refresh_from_db()
    loser.refresh_from_db()
    done = client.post(url, {"other": loser.pk, "version": survivor.version, "loser_version": loser.version,
                             "choice_industry": "loser", "choice_name": "survivor"})

    assert done.status_code == 302 and done["Location"] == reverse("customers:customer_detail", args=[survivor.pk])
    survivor.refresh_from_db()
    assert survivor.industry == "手机" and survivor.contacts.get().name == "李雷"
    assert Customer.objects.get(pk=loser.pk).merged_into_id == survivor.pk


def test_a_stale_confirm_shows_why_and_keeps_the_choices(personas):
    survivor, loser = pair(personas)
    url = reverse("customers:merge_customer", args=[survivor.pk])

    response = page(personas.carol).post(url, {"other": loser.pk, "version": 7, "loser_version": 0,
                                                "choice_industry": "loser"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "已被其他人修改" in html
    assert 'value="loser" checked data-testid="merge-take-industry"' in html
    assert Customer.objects.get(pk=loser.pk).merged_into_id is None


def test_the_alias_page_redirects_to_the_survivor(personas):
    from kehu.customers import services

    survivor, loser = pair(personas)
    survivor.refresh_from_db()
    loser.refresh_from_db()
    services.customer_merge(actor=personas.carol, survivor=survivor, loser=loser,
                            survivor_version=survivor.version, loser_version=loser.version)

    response = page(personas.carol).get(reverse("customers:customer_detail", args=[loser.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("customers:customer_detail", args=[survivor.pk])
    html = response.content.decode()
    assert "华为终端有限公司已合并到此客户" in html


def test_the_duplicate_warning_on_edit_offers_to_merge(personas):
    survivor, loser = pair(personas)

    response = page(personas.carol).post(reverse("customers:duplicate_check"), {
        "name": "华为终端", "city": "深圳", "kind": "company", "exclude_id": str(survivor.pk)})

    html = response.content.decode()
    assert f'{reverse("customers:merge_customer", args=[survivor.pk])}?other={loser.pk}' in html


def test_the_choose_list_has_a_constant_query_count(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    survivor, _ = pair(personas)
    client = page(personas.carol)
    url = reverse("customers:merge_customer", args=[survivor.pk])
    client.get(url, {"q": "华为"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "华为"})
    for index in range(5):
        make_customer(personas.carol, name=f"华为合作伙伴{index}有限公司")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"q": "华为"})

    assert response.content.decode().count('data-testid="merge-candidate"') == 6
    assert len(many) == len(few) <= 10
