"""Classification pages (C5): the ABC table, the 360° section and its forms, rules, assessments due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from kehu.customers import services
from kehu.customers.models import (
    AbcSnapshot,
    Customer,
    DistributorAssessment,
    LevelRule,
    SalesRecord,
)
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}


def page(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def sell(customer, amount):
    SalesRecord.objects.create(customer=customer, occurred_on=dt.date(2026, 5, 1), product="配件", amount=amount)


def compute():
    return services.abc_recompute(actor=None, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))


def test_abc_page_shows_the_computation_of_my_rows_only(personas):
    liu = make_customer(personas.alice, name="刘春江汽车服务有限公司")
    sell(liu, 2430)
    sell(make_customer(personas.erin, name="北方贸易有限公司"), 7148)
    services.customer_spend_estimate_set(actor=personas.alice, customer=liu, amount="3200")
    compute()

    response = page(personas.alice).get(reverse("customers:abc_table"), PERIOD)

    html = response.content.decode()
    assert response.status_code == 200
    assert "刘春江汽车服务有限公司" in html and "北方贸易有限公司" not in html
    assert "25.37%" in html and "75.9%" in html and "C+" in html
    assert "累计百分比和排名按全部客户计算" in html
    assert 'data-testid="abc-recompute"' not in html  # alice does not compute


def test_abc_page_sorts_and_says_when_a_period_was_never_computed(personas):
    for index in range(3):
        sell(make_customer(personas.alice, name=f"客户{index}有限公司"), 100 * (index + 1))
    compute()

    by_name = page(personas.alice).get(reverse("customers:abc_table"), {**PERIOD, "sort": "name"}).content.decode()
    by_rank = page(personas.alice).get(reverse("customers:abc_table"), {**PERIOD, "sort": "-rank"}).content.decode()
    never = page(personas.alice).get(reverse("customers:abc_table"), {"start": "2020-01-01", "end": "2020-12-31"})

    assert by_name.index("客户0有限公司") < by_name.index("客户2有限公司")
    assert by_rank.index("客户0有限公司") < by_rank.index("客户2有限公司")
    assert "该期间尚未计算。" in never.content.decode()


def test_abc_page_query_count_does_not_grow_with_rows(personas, django_assert_max_num_queries):
    for index in range(30):
        sell(make_customer(personas.alice, name=f"批量{index:02d}有限公司"), 100 + index)
    compute()
    client = page(personas.carol)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("customers:abc_table"), PERIOD)

    assert response.content.decode().count('data-testid="abc-row"') == 30


def test_recompute_button_for_managers(personas):
    sell(make_customer(personas.alice), 500)

    refused = page(personas.alice).post(reverse("customers:abc_recompute"), PERIOD)
    done = page(personas.carol).post(reverse("customers:abc_recompute"), {**PERIOD, "a_limit": "70", "b_limit": "90"},
                                     follow=True)

    assert refused.status_code == 403
    snapshot = AbcSnapshot.objects.get()
    assert snapshot.a_limit == 70 and snapshot.computed_by == personas.carol
    assert "已重新计算：ABC 表中有 1 个客户，0 个层级有变化。" in done.content.decode()


def test_360_page_shows_the_customers_abc_line_and_level_source(personas):
    customer = make_customer(personas.alice)
    sell(customer, 2430)
    services.customer_spend_estimate_set(actor=personas.alice, customer=customer, amount="3200")
    services.customer_level_set(actor=personas.alice, customer=customer, level="top", reason="空白行业客户")
    compute()

    html = page(personas.alice).get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()

    assert 'data-testid="customer-classification"' in html
    assert "手工设定" in html and "空白行业客户" in html
    assert "75.9% +" in html and "¥ 2430.00 ÷ ¥ 3200.00" in html
    assert 'data-testid="level-form"' in html
    dave_html = page(personas.dave).get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()
    assert 'data-testid="level-form"' not in dave_html and "75.9% +" in dave_html


def test_level_form_by_htmx_returns_the_section_with_errors_or_the_new_level(personas):
    customer = make_customer(personas.alice)
    url = reverse("customers:classification_level", args=[customer.pk])

    missing = page(personas.alice).post(url, {"level": "top", "reason": ""}, HTTP_HX_REQUEST="true")
    done = page(personas.alice).post(url, {"level": "middle", "reason": "有明确需求"}, HTTP_HX_REQUEST="true")

    assert "<html" not in missing.content.decode() and "请说明手工设定这一层级的理由。" in missing.content.decode()
    assert "塔中" in done.content.decode() and Customer.objects.get(pk=customer.pk).level == "middle"
    cleared = page(personas.alice).post(url, {"action": "clear"})
    assert cleared.status_code == 302 and Customer.objects.get(pk=customer.pk).classification.level_source == ""


def test_assessment_and_estimate_forms_without_htmx(personas):
    customer = make_customer(personas.alice, status="signed")

    page(personas.alice).post(reverse("customers:assessment_create", args=[customer.pk]),
                              {"verdict": "eliminate", "reason": "不接受培训"})
    bad = page(personas.alice).post(reverse("customers:classification_estimate", args=[customer.pk]),
                                    {"annual_spend_estimate": "-1"}, follow=True)

    assert DistributorAssessment.objects.get().verdict == "eliminate"
    assert "请输入大于零的金额（元）。" in bad.content.decode()
    due = page(personas.alice).get(reverse("customers:assessments_due")).content.decode()
    assert "不接受培训" in due and 'data-testid="due-row"' not in due


def test_rules_page_add_edit_delete(personas):
    form = {"name": "空白地域", "level": "top", "min_status": "", "min_amount": "", "amount_months": "12",
            "industries": "", "regions": "西藏, 青海", "explanation": "空白地域客户", "is_active": "on"}

    bad = page(personas.carol).post(reverse("customers:level_rules"), {**form, "explanation": " "})
    added = page(personas.carol).post(reverse("customers:level_rules"), form)
    rule = LevelRule.objects.get()
    listed = page(personas.alice).get(reverse("customers:level_rules")).content.decode()
    stale = page(personas.carol).post(reverse("customers:level_rule_edit", args=[rule.pk]),
                                      {**form, "name": "新名", "version": "5"})
    edited = page(personas.carol).post(reverse("customers:level_rule_edit", args=[rule.pk]),
                                       {**form, "name": "新名", "version": "0"})

    assert bad.status_code == 400 and 'data-testid="rule-form"' in bad.content.decode()
    assert added.status_code == 302 and rule.regions == ["西藏", "青海"]
    assert "省份或城市属于" in listed and 'data-testid="rule-edit"' not in listed
    assert stale.status_code == 409 and edited.status_code == 302
    assert LevelRule.objects.get().name == "新名"
    page(personas.carol).post(reverse("customers:level_rule_delete", args=[rule.pk]))
    assert not LevelRule.objects.exists()


def test_abc_page_of_a_quarter_explains_the_part_of_the_annual_estimate(personas):
    liu = make_customer(personas.alice, name="刘春江汽车服务有限公司")
    sell(liu, 2430)
    services.customer_spend_estimate_set(actor=personas.alice, customer=liu, amount="3200")
    services.abc_recompute(actor=None, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30))
    compute()

    quarter = page(personas.alice).get(reverse("customers:abc_table"), {"start": "2026-04-01", "end": "2026-06-30"})
    year = page(personas.alice).get(reverse("customers:abc_table"), PERIOD)

    html = quarter.content.decode()
    assert "年度费用预估 × 3/12" in html and "本期为 3 个月" in html
    assert "（本期 ¥ 800.00）" in html and "303.8%" in html
    year_html = year.content.decode()
    assert "本期为 12 个月" in year_html and "75.9%" in year_html and "本期 ¥" not in year_html


def test_the_recompute_form_offers_the_limits_in_use(personas):
    sell(make_customer(personas.alice), 500)
    services.abc_recompute(actor=personas.carol, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                           a_limit="70", b_limit="90")

    html = page(personas.carol).get(reverse("customers:abc_table"), {"start": "2026-01-01", "end": "2026-01-31"})

    assert 'name="a_limit" value="70.00"' in html.content.decode()
    assert "此后每晚的任务和 classify 命令都使用它们" in html.content.decode()
