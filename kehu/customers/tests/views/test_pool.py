"""公海 pool pages: the list with the claim button (HTMX), release from the 360° page, the rules page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kehu.customers.models import Customer, PoolRules
from kehu.customers.tests.factories import make_customer
from kehu.customers.tests.services.test_pool import pooled, set_rules
from kehu.customers.tests.views.test_customer import page

pytestmark = pytest.mark.django_db
POOL = reverse("customers:pool_list")


def test_pool_page_lists_my_departments_pool_with_claim_buttons_and_my_allowance(personas):
    set_rules(daily_claim_limit=5)
    pooled(personas, "华东公海客户有限公司")
    pooled(personas, "华北公海客户有限公司", department=personas.north)

    response = page(personas.alice).get(POOL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "华东公海客户有限公司" in html and "华北公海客户有限公司" not in html
    assert 'data-testid="pool-claim"' in html
    assert "今日已领取：0 / 5" in html
    assert 'data-nav="customer_pool"' in html
    # Customer service sees the whole pool but may not claim.
    dave = page(personas.dave).get(POOL).content.decode()
    assert "华北公海客户有限公司" in dave and 'data-testid="pool-claim"' not in dave


def test_pool_page_search_is_an_htmx_partial_and_query_count_is_constant(personas, django_assert_max_num_queries):
    for index in range(3):
        pooled(personas, f"公海客户{index}有限公司")
    client = page(personas.alice)
    client.get(POOL)  # warm the session and grants

    with CaptureQueriesContext(connection) as one:
        client.get(POOL, {"q": "公海客户0"}, HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(len(one.captured_queries)):
        partial = client.get(POOL, HTTP_HX_REQUEST="true")

    html = partial.content.decode()
    assert "<html" not in html and html.count('data-testid="pool-row"') == 3
    assert len(one.captured_queries) <= 10


def test_claim_by_htmx_answers_the_row_and_the_new_allowance(personas):
    set_rules(daily_claim_limit=3)
    customer = pooled(personas, "可领取科技有限公司")

    response = page(personas.alice).post(reverse("customers:pool_claim", args=[customer.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert "已领取：该客户现在归您负责。" in html
    assert 'hx-swap-oob="true"' in html and "今日已领取：1 / 3" in html
    assert Customer.objects.get(pk=customer.pk).owner == personas.alice


def test_claim_refused_shows_why_in_the_row(personas):
    set_rules(daily_claim_limit=1)
    first, second = pooled(personas, "甲客户有限公司"), pooled(personas, "乙客户有限公司")
    client = page(personas.alice)
    client.post(reverse("customers:pool_claim", args=[first.pk]))

    response = client.post(reverse("customers:pool_claim", args=[second.pk]), HTTP_HX_REQUEST="true")

    assert "您今天已领取 1 个客户，已达每日上限，请明天再领取。" in response.content.decode()
    assert Customer.objects.get(pk=second.pk).owner is None


def test_claim_without_htmx_redirects_to_the_customer(personas):
    customer = pooled(personas, "可领取科技有限公司")

    response = page(personas.bob).post(reverse("customers:pool_claim", args=[customer.pk]))

    assert response.status_code == 302 and response["Location"] == reverse("customers:customer_detail",
                                                                           args=[customer.pk])


def test_release_from_the_360_page(personas):
    customer = make_customer(personas.alice, name="释放客户有限公司")
    detail = reverse("customers:customer_detail", args=[customer.pk])
    release = reverse("customers:pool_release", args=[customer.pk])

    assert 'data-testid="pool-release"' in page(personas.alice).get(detail).content.decode()
    assert 'data-testid="pool-release"' not in page(personas.dave).get(detail).content.decode()
    refused = page(personas.alice).post(release, {"reason": ""}, follow=True)
    assert "请填写释放该客户的原因。" in refused.content.decode()
    assert Customer.objects.get(pk=customer.pk).owner == personas.alice

    response = page(personas.alice).post(release, {"reason": "客户停业"})

    assert response.status_code == 302 and response["Location"] == reverse("customers:pool_list")
    assert Customer.objects.get(pk=customer.pk).owner is None


def test_rules_page_read_only_for_sales_editable_by_administrators(personas):
    url = reverse("customers:pool_rules")
    read = page(personas.alice).get(url).content.decode()
    assert "公海规则" in read and 'data-testid="pool-rules-form"' not in read
    assert page(personas.alice).post(url, {"warn_days": "1"}).status_code == 403

    form = {"return_days_base": "30", "return_days_middle": "60", "return_days_top": "90",
            "return_days_unset": "30", "warn_days": "40", "lockout_days": "7", "daily_claim_limit": "10",
            "total_claim_limit": "0", "version": "0"}
    bad = page(personas.root).post(url, form)
    assert bad.status_code == 400
    assert "预警必须早于退回：天数应少于最短的退回期限（30 天）。" in bad.content.decode()
    assert PoolRules.objects.get().warn_days == 3

    ok = page(personas.root).post(url, {**form, "warn_days": "5"})
    assert ok.status_code == 302
    assert PoolRules.objects.get().warn_days == 5


def test_customer_list_page_filters_by_days_without_follow_up(personas):
    quiet = make_customer(personas.alice, name="很久没跟进有限公司")
    Customer.objects.filter(pk=quiet.pk).update(last_followup_at=timezone.now() - timedelta(days=40))
    make_customer(personas.alice, name="新客户有限公司")

    html = page(personas.alice).get(reverse("customers:customer_list"), {"idle_days": "30"}).content.decode()

    assert "很久没跟进有限公司" in html and "新客户有限公司" not in html
    assert "未跟进天数（至少）" in html
