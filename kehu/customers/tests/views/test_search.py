"""List page filters, sort and saved filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kehu.customers.models import SavedFilter
from kehu.customers.tests.factories import make_customer
from kehu.customers.tests.views.test_customer import page

pytestmark = pytest.mark.django_db


def test_filters_by_city_and_industry_and_sorts_by_pinyin(personas):
    make_customer(personas.alice, name="中兴通讯股份有限公司", city="深圳", industry="通信")
    make_customer(personas.alice, name="阿里巴巴网络技术有限公司", city="杭州", industry="互联网")
    client = page(personas.alice)

    html = client.get(reverse("customers:customer_list"), {"city": "杭州"}).content.decode()
    assert "阿里巴巴" in html and "中兴通讯" not in html
    html = client.get(reverse("customers:customer_list"), {"sort": "name"}).content.decode()
    assert html.index("阿里巴巴") < html.index("中兴通讯")


def test_save_apply_and_delete_a_filter(personas):
    make_customer(personas.alice, name="阿里巴巴网络技术有限公司", city="杭州")
    client = page(personas.alice)

    saved = client.post(reverse("customers:search_saved_filter_save"),
                        {"name": "杭州客户", "city": "杭州", "q": "", "query": "ignored=1"}, HTTP_HX_REQUEST="true")

    assert saved.status_code == 200 and saved["HX-Redirect"].endswith("?city=%E6%9D%AD%E5%B7%9E")
    row = SavedFilter.objects.get(user=personas.alice)
    html = client.get(reverse("customers:customer_list")).content.decode()
    assert 'data-testid="saved-filter-apply"' in html and "杭州客户" in html
    assert row.query in html
    # Without HTMX the page's hidden copy of the query is saved.
    client.post(reverse("customers:search_saved_filter_save"), {"name": "全部", "query": "level=top"})
    assert SavedFilter.objects.get(name="全部").query == "level=top"
    gone = client.post(reverse("customers:search_saved_filter_delete", args=[row.pk]))
    assert gone.status_code == 302 and not SavedFilter.objects.filter(pk=row.pk).exists()


def test_another_users_saved_filter_cannot_be_deleted(personas):
    row = SavedFilter.objects.create(user=personas.alice, name="我的", query="q=a")

    response = page(personas.bob).post(reverse("customers:search_saved_filter_delete", args=[row.pk]))

    assert response.status_code == 404 and SavedFilter.objects.filter(pk=row.pk).exists()


def test_list_with_filters_and_saved_filters_has_a_constant_query_count(personas, django_assert_max_num_queries):
    for index in range(3):
        SavedFilter.objects.create(user=personas.alice, name=f"筛选{index}", query=f"q={index}")
        make_customer(personas.alice, tags=["重点"])
    client = page(personas.alice)
    client.get(reverse("customers:customer_list"))

    with django_assert_max_num_queries(10):
        client.get(reverse("customers:customer_list"), {"city": "上海", "sort": "name", "department": personas.east.pk})
