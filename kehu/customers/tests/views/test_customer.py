"""Customer pages: list and HTMX search, 360° page, create/edit with the live 查重 warning, contacts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kehu.customers.models import Contact, Customer
from kehu.customers.tests.factories import make_contact, make_customer

pytestmark = pytest.mark.django_db


def page(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


FORM = {
    "kind": "company", "name": "", "short_name": "", "credit_code": "", "status": "intent", "level": "",
    "source": "", "industry": "", "business_function": "", "province": "", "city": "", "district": "",
    "address": "", "postcode": "", "phone": "", "website": "", "economic_nature": "", "scale": "",
    "network_coverage": "", "main_business": "", "credit_rating": "", "credit_limit": "", "id_number": "",
    "birthday": "", "remarks": "", "tags": "",
}


def test_the_list_shows_my_customers_and_the_nav_links_it(personas):
    make_customer(personas.alice, name="华为技术有限公司")
    make_customer(personas.erin, name="北方贸易有限公司")

    response = page(personas.alice).get(reverse("customers:customer_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "华为技术有限公司" in html and "北方贸易有限公司" not in html
    assert 'data-nav="customers"' in html and "新建客户" in html


def test_htmx_search_by_pinyin_initials_returns_only_the_rows(personas):
    make_customer(personas.alice, name="华为技术有限公司")
    make_customer(personas.alice, name="中兴通讯股份有限公司")

    response = page(personas.alice).get(reverse("customers:customer_list"), {"q": "hwjs"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert "华为技术有限公司" in html and "中兴通讯" not in html


def test_list_pages_with_a_cursor_and_ignores_a_bad_one(personas):
    for index in range(55):
        make_customer(personas.alice, name=f"客户{index:02d}贸易有限公司")
    client = page(personas.alice)

    first = client.get(reverse("customers:customer_list"))
    assert first.content.decode().count('data-testid="customer-row"') == 50
    cursor = first.context["next_cursor"]
    second = client.get(reverse("customers:customer_list"), {"cursor": cursor})
    assert second.content.decode().count('data-testid="customer-row"') == 5
    assert client.get(reverse("customers:customer_list"), {"cursor": "%%%"}).status_code == 200


@pytest.mark.parametrize("who", ["alice", "carol"])  # her own customers; her department's subtree
def test_list_query_count_does_not_grow_with_rows(personas, who):
    client = page(getattr(personas, who))
    make_customer(personas.alice)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("customers:customer_list"))
    for _ in range(20):
        make_customer(personas.alice)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("customers:customer_list"))

    assert len(many) == len(few)
    assert len(many) <= 8


def test_the_360_page_shows_profile_contacts_change_log_and_attachments(personas):
    customer = make_customer(personas.alice, name="华为技术有限公司", phone="13812345678", tags=["重点客户"])
    make_contact(customer, name="王芳", mobile="13900001111", decision_role="decision_maker")

    own = page(personas.alice).get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()
    assert "王芳" in own and "决策人" in own and "13900001111" in own and "重点客户" in own
    assert reverse("audit:change_record_list", args=[_ct(), str(customer.pk)]) in own
    assert "attachments" in own

    dave = page(personas.dave).get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()
    assert "139****1111" in dave and "13900001111" not in dave and "138****5678" in dave
    assert 'data-testid="customer-edit"' not in dave

    assert page(personas.bob).get(reverse("customers:customer_detail", args=[customer.pk])).status_code == 404


def _ct():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Customer).pk


def test_detail_query_count_does_not_grow_with_contacts(personas):
    customer = make_customer(personas.alice)
    client = page(personas.alice)
    make_contact(customer, name="甲")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("customers:customer_detail", args=[customer.pk]))
    for index in range(10):
        make_contact(customer, name=f"联系人{index}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("customers:customer_detail", args=[customer.pk]))

    assert len(many) == len(few)


def test_create_saves_and_redirects_to_the_360_page(personas):
    response = page(personas.alice).post(
        reverse("customers:customer_create"),
        {**FORM, "name": "华为技术有限公司", "city": "上海", "tags": "重点客户，经销商"},
    )

    customer = Customer.objects.get()
    assert response.status_code == 302 and response.url == reverse("customers:customer_detail", args=[customer.pk])
    assert customer.owner == personas.alice
    assert sorted(customer.tags.values_list("name", flat=True)) == ["经销商", "重点客户"]


def test_create_shows_field_errors_in_chinese_and_saves_nothing(personas):
    response = page(personas.alice).post(
        reverse("customers:customer_create"), {**FORM, "name": "甲公司", "credit_code": "123", "postcode": "1"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "统一社会信用代码应为 18 位" in html and "邮政编码为 6 位数字" in html
    assert not Customer.objects.exists()


def test_the_live_duplicate_warning_masks_other_peoples_customers(personas):
    make_customer(personas.erin, name="华为技术有限公司", city="北京")
    mine = make_customer(personas.alice, name="华为技术服务有限公司", city="上海")

    response = page(personas.alice).post(
        reverse("customers:duplicate_check"), {"name": "北京华为技术有限公司", "city": "北京", "kind": "company"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="duplicate-masked"' in html and "华******司" in html and "华北销售组" in html
    assert "华为技术有限公司" not in html
    assert reverse("customers:customer_detail", args=[mine.pk]) in html
    assert "将无法保存" in html


def test_the_form_asks_for_the_duplicate_check_while_typing(personas):
    html = page(personas.alice).get(reverse("customers:customer_create")).content.decode()

    assert f'hx-post="{reverse("customers:duplicate_check")}"' in html
    assert 'data-testid="duplicate-warning"' in html


def test_edit_refuses_a_stale_version_with_409(personas):
    customer = make_customer(personas.alice, name="甲科技有限公司")
    client = page(personas.alice)
    data = {**FORM, "name": "甲科技有限公司", "city": "上海", "province": "上海", "version": "0"}
    assert client.post(reverse("customers:customer_edit", args=[customer.pk]), {**data, "remarks": "一"}).status_code == 302

    stale = client.post(reverse("customers:customer_edit", args=[customer.pk]), {**data, "remarks": "二"})

    assert stale.status_code == 409
    assert "“甲科技有限公司”在您打开后已被其他人修改" in stale.content.decode()
    assert Customer.objects.get(pk=customer.pk).remarks == "一"


def test_deactivate_and_restore_pages(personas):
    customer = make_customer(personas.alice)
    client = page(personas.carol)

    assert client.post(reverse("customers:customer_deactivate", args=[customer.pk])).status_code == 302
    assert not Customer.objects.get(pk=customer.pk).is_active
    assert client.post(reverse("customers:customer_restore", args=[customer.pk])).status_code == 302
    assert Customer.objects.get(pk=customer.pk).is_active


def test_contact_add_edit_delete(personas):
    customer = make_customer(personas.alice)
    client = page(personas.alice)
    contact_form = {"name": "王芳", "mobile": "13812345678", "decision_role": "key_person", "position": "",
                    "department_name": "", "phone": "", "fax": "", "email": "", "wechat": "", "qq": "",
                    "birthday": "", "family_notes": "", "remarks": ""}

    assert client.post(reverse("customers:contact_create", args=[customer.pk]), contact_form).status_code == 302
    contact = Contact.objects.get()
    bad = client.post(reverse("customers:contact_create", args=[customer.pk]), {**contact_form, "mobile": "123"})
    assert bad.status_code == 400 and "11 位手机号码" in bad.content.decode()

    edited = client.post(
        reverse("customers:contact_edit", args=[customer.pk, contact.pk]),
        {**contact_form, "position": "总经理", "version": "0"},
    )
    assert edited.status_code == 302 and Contact.objects.get().position == "总经理"
    assert client.post(reverse("customers:contact_delete", args=[customer.pk, contact.pk])).status_code == 302
    assert not Contact.objects.exists()


def test_the_detail_page_hides_contacts_without_the_contact_view_right(personas):
    from kehu.customers.tests.services.test_customer import _no_contact_right

    customer = make_customer(personas.alice, name="甲科技有限公司")
    make_contact(customer, name="王芳")
    url = reverse("customers:customer_detail", args=[customer.pk])
    assert "王芳" in page(personas.dave).get(url).content.decode()

    _no_contact_right(personas.dave)

    response = page(personas.dave).get(url)
    assert response.status_code == 200 and "王芳" not in response.content.decode()


def test_the_edit_form_changes_the_level_only_with_a_reason(personas):
    customer = make_customer(personas.alice, name="甲科技有限公司", level="base")
    client = page(personas.alice)
    data = {**FORM, "name": "甲科技有限公司", "city": "上海", "province": "上海", "version": customer.version,
            "level": "base"}
    url = reverse("customers:customer_edit", args=[customer.pk])

    refused = client.post(url, {**data, "level": "top", "remarks": "一"})
    assert refused.status_code == 400
    assert "手工设定层级时请填写理由（level_reason）" in refused.content.decode()
    assert Customer.objects.get(pk=customer.pk).level == "base" and Customer.objects.get(pk=customer.pk).remarks == ""

    unchanged = client.post(url, {**data, "remarks": "二"})
    assert unchanged.status_code == 302 and Customer.objects.get(pk=customer.pk).level == "base"

    data["version"] = Customer.objects.get(pk=customer.pk).version
    changed = client.post(url, {**data, "level": "top", "level_reason": "空白行业的标杆客户"})
    stored = Customer.objects.get(pk=customer.pk)
    assert changed.status_code == 302 and stored.level == "top"
    assert (stored.classification.level_source, stored.classification.reason) == ("manual", "空白行业的标杆客户")


def test_the_create_form_asks_a_reason_with_a_level_and_the_rules_decide_without(personas):
    from kehu.customers import services

    services.level_rules_replace(actor=personas.carol, rules=[
        {"name": "潜在客户", "level": "base", "explanation": "其余客户"}])
    client = page(personas.alice)

    form = client.get(reverse("customers:customer_create")).content.decode()
    refused = client.post(reverse("customers:customer_create"), {**FORM, "name": "甲科技有限公司", "level": "top"})
    by_rules = client.post(reverse("customers:customer_create"), {**FORM, "name": "乙科技有限公司"})
    by_hand = client.post(reverse("customers:customer_create"),
                          {**FORM, "name": "丙科技有限公司", "level": "top", "level_reason": "总经理的老朋友"})

    assert 'name="level_reason"' in form and "由层级规则决定" in form
    assert refused.status_code == 400 and not Customer.objects.filter(name="甲科技有限公司").exists()
    assert by_rules.status_code == 302 and Customer.objects.get(name="乙科技有限公司").level == "base"
    assert by_hand.status_code == 302 and Customer.objects.get(name="丙科技有限公司").level == "top"
