"""Search (C11): 2+ consecutive characters, phone digits, pinyin initials, contact names; filters; saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from kehu.core.transfer.services import import_confirm, import_upload
from kehu.core.transfer.tests.helpers import checked, upload
from kehu.customers import search_index, selectors, services
from kehu.customers.models import Customer, SavedFilter
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


# --- the SQLite index (search_index.py); on PostgreSQL the same searches go through GIN ---------


def test_substrings_of_every_kind_are_found(personas, archive):
    make_customer(personas.alice, name="深圳市腾讯计算机系统有限公司", short_name="腾讯", phone="0755-86013388")

    assert found(personas.alice, q="腾讯") == ["深圳市腾讯计算机系统有限公司"]
    assert found(personas.alice, q="计算机系统") == ["深圳市腾讯计算机系统有限公司"]
    assert found(personas.alice, q="3388") == ["深圳市腾讯计算机系统有限公司"]
    assert found(personas.alice, q="szstxjsj") == ["深圳市腾讯计算机系统有限公司"]
    assert found(personas.alice, q="XJ") == ["深圳市腾讯计算机系统有限公司"]
    assert found(personas.alice, q="有限公司") == ["中兴通讯股份有限公司", "华为技术有限公司", "深圳市腾讯计算机系统有限公司"]
    assert found(personas.alice, q="阳明") == ["华为技术有限公司"]
    assert found(personas.alice, q="为") == ["华为技术有限公司"]


def test_no_match_across_the_boundary_of_two_parts(personas, archive):
    # search text: 华为技术有限公司|华为|hwjsyxgs|hw|…: "司华" only exists across the "|".
    assert found(personas.alice, q="司华") == []
    assert found(personas.alice, q="公司华为") == []
    assert found(personas.alice, q="gshw") == []
    assert found(personas.alice, q="hwhw") == []


def test_the_index_follows_create_update_and_contacts(personas):
    customer = make_customer(personas.alice, name="星辰光电有限公司")
    assert found(personas.alice, q="星辰") == ["星辰光电有限公司"]

    customer = services.customer_update(actor=personas.alice, customer=customer, version=customer.version,
                                        name="银河光电有限公司")
    assert found(personas.alice, q="星辰") == [] and found(personas.alice, q="xcgd") == []
    assert found(personas.alice, q="银河") == ["银河光电有限公司"] and found(personas.alice, q="yhgd") == ["银河光电有限公司"]

    make_contact(customer, name="司马相如", mobile="13700001111")
    assert found(personas.alice, q="相如") == ["银河光电有限公司"]
    assert found(personas.alice, q="1111") == ["银河光电有限公司"]


def test_the_index_follows_bulk_create_and_queryset_update(personas):
    given = Customer(name="批量导入有限公司", city="上海", province="上海", owner=personas.alice,
                     department=personas.alice.department, search_text="批量导入有限公司|plrdyxgs")
    Customer.objects.bulk_create([given])
    assert found(personas.alice, q="导入") == ["批量导入有限公司"]

    Customer.objects.filter(name="批量导入有限公司").update(search_text="批量更新有限公司|plgxyxgs")
    assert found(personas.alice, q="导入") == [] and found(personas.alice, q="plrd") == []
    assert found(personas.alice, q="更新") == ["批量导入有限公司"]


def test_the_index_follows_import(personas, django_capture_on_commit_callbacks):
    rows = [["", "远山茶叶有限公司", "", "杭州", "0571-88886666", "", "", "", "陆羽", "13912340000"]]
    headers = ["客户编号", "客户名称", "统一社会信用代码", "城市", "电话", "客户状态", "信用额度（元）", "负责人",
               "联系人", "联系人手机"]
    job = checked(lambda: import_upload(actor=personas.carol, record_type="customers.customer",
                                        uploaded_file=upload(rows, headers=headers)))
    assert job.error_rows == 0, job.errors
    with django_capture_on_commit_callbacks(execute=True):
        import_confirm(actor=personas.carol, job=job)

    assert found(personas.carol, q="茶叶") == ["远山茶叶有限公司"]
    assert found(personas.carol, q="ysc") == ["远山茶叶有限公司"]
    assert found(personas.carol, q="陆羽") == ["远山茶叶有限公司"]
    assert found(personas.carol, q="0000") == ["远山茶叶有限公司"]


def test_the_index_follows_merge_and_delete(personas):
    survivor = make_customer(personas.carol, name="东方明珠有限公司")
    loser = make_customer(personas.carol, name="明珠塔观光有限公司")
    survivor.refresh_from_db()
    loser.refresh_from_db()

    services.customer_merge(actor=personas.carol, survivor=survivor, loser=loser,
                            survivor_version=survivor.version, loser_version=loser.version)
    assert found(personas.carol, q="观光") == ["东方明珠有限公司"]
    assert found(personas.carol, q="mztg") == ["东方明珠有限公司"]

    Customer.objects.filter(pk=loser.pk).delete()
    Customer.objects.filter(pk=survivor.pk).delete()
    assert found(personas.carol, q="明珠") == []
    if connection.vendor == "sqlite":  # nothing of them stays in the index
        assert indexed("明珠") == [] and indexed("明珠塔") == []
        assert indexed("测试") == []


def test_deactivated_customers_stay_out_of_the_search(personas, archive):
    services.customer_deactivate(actor=personas.carol, customer=archive)

    assert found(personas.alice, q="技术") == []
    assert found(personas.alice, q="技术", active=False) == ["华为技术有限公司"]


def indexed(term: str) -> list[int]:
    table, phrase = search_index.match(term)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [phrase])
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
@pytest.mark.parametrize(("term", "table"), [("华为", "customer_search_bigram"), ("0808", "customer_search_trigram"),
                                             ("hwjs", "customer_search_trigram")])
def test_the_search_reads_the_index_not_the_whole_table(personas, archive, term, table):
    customers, ordering = selectors.customer_search(actor=personas.carol, q=term, status="intent")
    sql, params = customers.order_by(ordering, "pk")[:51].query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [row[-1] for row in cursor.fetchall()]

    assert any(f"SCAN {table} VIRTUAL TABLE" in step for step in plan), plan
    assert not any(step.startswith("SCAN customers_customer") for step in plan), plan
