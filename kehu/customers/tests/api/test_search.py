"""Search API: filters and sorts on the list, saved filters per user."""

from __future__ import annotations

import pytest

from kehu.customers.models import SavedFilter
from kehu.customers.tests.api.test_customer import api, send
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db
BASE = "/api/v1/customers/"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [c["name"] for c in response.json()["items"]]


def test_filters_region_industry_department_and_sort_by_pinyin(personas):
    make_customer(personas.alice, name="中兴通讯股份有限公司", province="广东", city="深圳", industry="通信")
    make_customer(personas.alice, name="阿里巴巴网络技术有限公司", province="浙江", city="杭州", industry="互联网")
    make_customer(personas.erin, name="北方贸易有限公司", province="北京", city="北京", industry="贸易")
    client = api(personas.carol)

    assert names(client.get(BASE, {"city": "杭州"})) == ["阿里巴巴网络技术有限公司"]
    assert names(client.get(BASE, {"province": "广东", "industry": "通信"})) == ["中兴通讯股份有限公司"]
    assert names(client.get(BASE, {"department": personas.north.pk})) == ["北方贸易有限公司"]
    assert len(names(client.get(BASE, {"department": personas.sales.pk}))) == 3  # the subtree
    assert names(client.get(BASE, {"sort": "name"})) == [
        "阿里巴巴网络技术有限公司", "北方贸易有限公司", "中兴通讯股份有限公司"]
    page = client.get(BASE, {"sort": "name", "limit": 2}).json()
    rest = names(client.get(BASE, {"sort": "name", "limit": 2, "cursor": page["next_cursor"]}))
    assert rest == ["中兴通讯股份有限公司"]


def test_saved_filters_are_per_user(personas):
    alice, bob = api(personas.alice), api(personas.bob)

    created = send(alice, "post", f"{BASE}search/saved-filters", {"name": "重点客户", "query": "level=top&q=hwjs&cursor=x"})

    assert created.status_code == 201
    saved = created.json()
    assert saved["query"] == "level=top&q=hwjs"
    assert [f["name"] for f in alice.get(f"{BASE}search/saved-filters").json()] == ["重点客户"]
    assert bob.get(f"{BASE}search/saved-filters").json() == []
    assert bob.delete(f"{BASE}search/saved-filters/{saved['id']}").status_code == 404
    assert alice.delete(f"{BASE}search/saved-filters/{saved['id']}").status_code == 204
    assert not SavedFilter.objects.exists()


def test_a_saved_filter_needs_a_name(personas):
    response = send(api(personas.alice), "post", f"{BASE}search/saved-filters", {"name": "  ", "query": "q=a"})

    assert response.status_code == 422
    assert "请为筛选命名" in str(response.json())
