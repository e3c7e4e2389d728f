"""Search (C11): 2+ consecutive characters, phone digits, pinyin initials, contact names; filters; saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kehu.customers import selectors, services
from kehu.customers.models import SavedFilter
from kehu.customers.tests.factories import make_contact, make_customer

pytestmark = pytest.mark.django_db


def found(actor, **filters) -> list[str]:
    customers, ordering = selectors.customer_search(actor=actor, **filters)
    return sorted(c.name for c in customers)


@pytest.fixture
def archive(personas):
    huawei = make_customer(personas.alice, name="华为技术有限公司", short_name="华为", phone="0755-28780808",
                           industry="通信", city="深圳", province="广东", level="top")
    make_contact(huawei, name="欧阳明", mobile="13912345678")
    make_customer(personas.alice, name="中兴通讯股份有限公司", city="深圳", province="广东", status="signed")
    make_customer(personas.erin, name="北方贸易有限公司", city="北京", province="北京")
    return huawei


def test_two_consecutive_characters_of_the_name(personas, archive):
    assert found(personas.alice, q="技术") == ["华为技术有限公司"]
    assert found(personas.alice, q="通讯") == ["中兴通讯股份有限公司"]
    assert found(personas.alice, q="为技") == ["华为技术有限公司"]


def test_four_phone_digits_of_customer_or_contact(personas, archive):
    assert found(personas.alice, q="0808") == ["华为技术有限公司"]
    assert found(personas.alice, q="5678") == ["华为技术有限公司"]


def test_pinyin_initials_and_contact_name(personas, archive):
    assert found(personas.alice, q="hwjs") == ["华为技术有限公司"]
    assert found(personas.alice, q="HWJS") == ["华为技术有限公司"]
    assert found(personas.alice, q="欧阳") == ["华为技术有限公司"]


def test_search_stays_in_scope(personas, archive):
    assert found(personas.alice, q="贸易") == []
    assert found(personas.carol, q="贸易") == ["北方贸易有限公司"]


def test_filters_combine(personas, archive):
    assert found(personas.carol, province="广东", level="top") == ["华为技术有限公司"]
    assert found(personas.carol, city="深圳", status="signed") == ["中兴通讯股份有限公司"]
    assert found(personas.carol, industry="通信") == ["华为技术有限公司"]
    assert found(personas.carol, department=personas.north.pk) == ["北方贸易有限公司"]
    assert found(personas.carol, department=999999) == []
    assert found(personas.carol, department="x") == []


def test_sort_options_name_the_ordering_field(personas, archive):
    assert selectors.customer_search(actor=personas.alice, sort="name")[1] == "name_pinyin"
    assert selectors.customer_search(actor=personas.alice, sort="created")[1] == "-created_at"
    assert selectors.customer_search(actor=personas.alice, sort="bogus")[1] == "-updated_at"
    archive.refresh_from_db()
    assert archive.name_pinyin == "hua wei ji shu you xian gong si"


def test_saved_filters_replace_by_name_and_are_checked(personas):
    first = services.saved_filter_save(actor=personas.alice, name="深圳", query="city=深圳&cursor=abc")
    again = services.saved_filter_save(actor=personas.alice, name="深圳", query="city=深圳&level=top")

    assert first.pk == again.pk and SavedFilter.objects.get().query == "city=%E6%B7%B1%E5%9C%B3&level=top"
    with pytest.raises(ValidationError) as error:
        services.saved_filter_save(actor=personas.alice, name="", query="")
    assert error.value.message_dict == {"name": ["请为筛选命名。"]}
    assert list(selectors.saved_filters_for(actor=personas.bob)) == []
