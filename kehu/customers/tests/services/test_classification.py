"""Classification services (C5): ABC over the sales record book, pyramid rules, manual levels,
assessments, and the nightly job."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from kehu.core.audit.models import ChangeLogEntry
from kehu.customers import selectors, services
from kehu.customers.models import (
    AbcRow,
    AbcSnapshot,
    Customer,
    CustomerClassification,
    DistributorAssessment,
    LevelRule,
    SalesRecord,
)
from kehu.customers.services.classification import compute_abc, months_before, rolling_period
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def sell(customer, *amounts, on=dt.date(2026, 6, 1)):
    for amount in amounts:
        SalesRecord.objects.create(customer=customer, occurred_on=on, product="保养", amount=Decimal(amount))


@pytest.fixture
def seed_table(personas):
    """The seed's example (001): 刘春江 came 4 times for ¥2430 = 25.37 % of all, and his
    estimated annual spend is ¥3200, so his loyalty is 75.9 % "+"."""
    liu = make_customer(personas.alice, name="刘春江", kind="individual")
    sell(liu, 600, 600, 630, 600)
    second = make_customer(personas.alice, name="第二汽车服务有限公司")
    sell(second, 2400)
    third = make_customer(personas.erin, name="第三物流有限公司")
    sell(third, 1200, 1200)
    fourth = make_customer(personas.erin, name="第四贸易有限公司")
    sell(fourth, 1600)
    fifth = make_customer(personas.erin, name="第五建材有限公司")
    sell(fifth, 748)
    sell(fifth, 99999, on=dt.date(2025, 12, 31))  # outside the period
    services.customer_spend_estimate_set(actor=personas.alice, customer=liu, amount="3200")
    services.customer_spend_estimate_set(actor=personas.alice, customer=second, amount="6000")
    return liu, second, third, fourth, fifth


def test_abc_of_the_seed_example_shows_cumulative_contribution_class_and_loyalty(personas, seed_table):
    liu, second, third, fourth, fifth = seed_table

    snapshot = services.abc_recompute(actor=personas.carol, start=START, end=END)

    assert snapshot.total_amount == Decimal("9578.00") and snapshot.customer_count == 5
    rows = {row.customer_id: row for row in AbcRow.objects.filter(snapshot=snapshot)}
    first = rows[liu.pk]
    assert (first.rank, first.transactions, first.amount) == (1, 4, Decimal("2430.00"))
    assert first.cumulative_pct == Decimal("25.37") and first.contribution_pct == Decimal("25.37")
    assert first.abc_class == "A" and first.loyalty_pct == Decimal("75.9") and first.loyalty_mark == "+"
    assert rows[second.pk].loyalty_pct == Decimal("40.0") and rows[second.pk].loyalty_mark == "−"
    # Equal amounts: the older customer first; cumulative runs on.
    assert [rows[c.pk].cumulative_pct for c in (second, third, fourth, fifth)] == [
        Decimal("50.43"), Decimal("75.49"), Decimal("92.19"), Decimal("100.00")]
    assert [rows[c.pk].abc_class for c in (second, third, fourth, fifth)] == ["A", "A", "B", "C"]
    assert rows[fourth.pk].contribution_pct == Decimal("16.70")
    assert rows[third.pk].loyalty_pct is None and rows[third.pk].loyalty_mark == ""


def test_abc_thresholds_are_configurable_and_recompute_replaces_the_period(personas, seed_table):
    services.abc_recompute(actor=personas.carol, start=START, end=END)
    snapshot = services.abc_recompute(actor=personas.carol, start=START, end=END, a_limit="50", b_limit="80")

    assert AbcSnapshot.objects.count() == 1 and snapshot.rows.count() == 5
    assert list(snapshot.rows.order_by("rank").values_list("abc_class", flat=True)) == ["A", "B", "B", "C", "C"]


def test_abc_refuses_bad_limits_and_periods_and_changes_nothing(personas, seed_table):
    with pytest.raises(ValidationError) as bad_limits:
        services.abc_recompute(actor=personas.carol, start=START, end=END, a_limit="90", b_limit="80")
    with pytest.raises(ValidationError) as bad_period:
        services.abc_recompute(actor=personas.carol, start=END, end=START)
    with pytest.raises(ValidationError) as out_of_range:
        services.abc_recompute(actor=personas.carol, start=START, end=END, a_limit="120")

    assert "B 类的上限必须高于 A 类的上限。" in bad_limits.value.message_dict["b_limit"]
    assert "end" in bad_period.value.message_dict
    assert "a_limit" in out_of_range.value.message_dict
    assert AbcSnapshot.objects.count() == 0


def test_only_managers_compute(personas, seed_table):
    with pytest.raises(PermissionDenied):
        services.abc_recompute(actor=personas.alice, start=START, end=END)
    with pytest.raises(PermissionDenied):
        services.levels_recompute(actor=personas.dave)


def test_rows_are_scoped_but_cumulative_counts_everyone(personas, seed_table):
    liu, second, *_ = seed_table
    snapshot = services.abc_recompute(actor=personas.root, start=START, end=END)

    alice_rows = list(selectors.abc_rows(actor=personas.alice, snapshot=snapshot))

    assert [row.customer_id for row in alice_rows] == [liu.pk, second.pk]
    assert alice_rows[1].cumulative_pct == Decimal("50.43")
    assert len(selectors.abc_rows(actor=personas.carol, snapshot=snapshot)) == 5
    assert selectors.abc_row_for(actor=personas.bob, customer=liu) is None


def test_compute_abc_leaves_out_customers_without_positive_sales():
    rows = compute_abc({1: (1, Decimal("0")), 2: (2, Decimal("100")), 3: (1, Decimal("-5"))}, {2: Decimal("150")})

    assert [(r["customer_id"], r["abc_class"], r["loyalty_mark"]) for r in rows] == [(2, "C", "+")]
    assert rows[0]["loyalty_pct"] == Decimal("66.7")


def test_periods():
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 12) == dt.date(2025, 1, 15)
    assert rolling_period(dt.date(2026, 11, 23)) == (dt.date(2025, 11, 24), dt.date(2026, 11, 23))
    assert services.current_assessment_period(dt.date(2026, 11, 23)) == "2026Q4"
    assert services.current_assessment_period(dt.date(2026, 1, 1)) == "2026Q1"


# --- pyramid rules ------------------------------------------------------------------------------


def make_rules(actor):
    """Seed 002: 塔尖 = clear need and big, or a blank industry/region; 塔中 = clear need; 塔基 = the rest."""
    return services.level_rules_replace(actor=actor, rules=[
        {"name": "黄金客户", "level": "top", "min_status": "negotiating", "min_amount": "100000",
         "explanation": "有明确需求且近12个月成交满10万元"},
        {"name": "空白行业", "level": "top", "industries": ["航天"], "explanation": "空白行业客户"},
        {"name": "空白地域", "level": "top", "regions": "西藏，青海", "explanation": "空白地域客户"},
        {"name": "普通客户", "level": "middle", "min_status": "negotiating", "explanation": "有明确需求"},
        {"name": "潜在客户", "level": "base", "explanation": "无明确需求，有咨询意向"},
    ])


def test_rules_first_match_wins(personas):
    rules = make_rules(personas.carol)
    gold = make_customer(personas.alice, name="黄金机械有限公司", status="signed")
    sell(gold, 60000, 50000, on=timezone.localdate())
    normal = make_customer(personas.alice, name="普通机械有限公司", status="negotiating")
    sell(normal, 90000, on=timezone.localdate())
    space = make_customer(personas.alice, name="航天科技有限公司", industry="航天")
    tibet = make_customer(personas.erin, name="拉萨贸易有限公司", province="西藏", city="拉萨")
    old = make_customer(personas.alice, name="老客户有限公司", status="signed")
    sell(old, 200000, on=timezone.localdate() - dt.timedelta(days=400))  # too long ago
    intent = make_customer(personas.alice, name="意向客户有限公司")

    changed = services.levels_recompute(actor=personas.carol)

    assert changed == 1  # each got the rules' level when created; only the gold one's sales came after
    levels = dict(Customer.objects.values_list("name", "level"))
    assert levels == {
        "黄金机械有限公司": "top", "普通机械有限公司": "middle", "航天科技有限公司": "top",
        "拉萨贸易有限公司": "top", "老客户有限公司": "middle", "意向客户有限公司": "base",
    }
    record = CustomerClassification.objects.get(customer=gold)
    assert record.level_source == "rule" and record.rule == rules[0] and record.reason == "有明确需求且近12个月成交满10万元"
    assert record.set_by == personas.carol and record.set_at is not None
    assert CustomerClassification.objects.get(customer=tibet).rule == rules[2]
    assert CustomerClassification.objects.get(customer=intent).rule == rules[4]
    assert services.levels_recompute(actor=personas.carol) == 0  # nothing moved: nothing written
    assert any("level" in str(entry.changes) for entry in ChangeLogEntry.objects.for_object(space))
    # the gold customer moved middle → top: its change log says so, and how the level was set
    moved = ChangeLogEntry.objects.for_object(gold).filter(action="update").first()
    assert [(c["label"], c["old"], c["new"]) for c in moved.changes] == [("客户级别", "塔中", "塔尖")]
    assert moved.actor == personas.carol
    how = ChangeLogEntry.objects.for_object(record).filter(action="update").first()
    assert ("规则", "普通客户", "黄金客户") in [(c["label"], c["old"], c["new"]) for c in how.changes]


def test_without_rules_typed_levels_stay(personas):
    customer = make_customer(personas.alice, level="top")

    assert services.levels_recompute(actor=None) == 0
    customer.refresh_from_db()
    assert customer.level == "top"


def test_a_manual_level_wins_until_cleared(personas):
    make_rules(personas.carol)
    customer = make_customer(personas.alice, name="意向机械有限公司")
    services.levels_recompute(actor=None)
    version = Customer.objects.get(pk=customer.pk).version

    record = services.customer_level_set(actor=personas.alice, customer=customer, level="top", reason="总经理认识")
    services.levels_recompute(actor=None)

    customer.refresh_from_db()
    assert customer.level == "top" and customer.version == version + 1
    assert record.level_source == "manual" and record.reason == "总经理认识" and record.set_by == personas.alice

    services.customer_level_clear(actor=personas.alice, customer=customer)
    customer.refresh_from_db()
    record.refresh_from_db()
    assert customer.level == "base" and record.level_source == "rule" and record.reason == "无明确需求，有咨询意向"


def test_manual_level_needs_a_reason_and_a_level_and_edit_rights(personas):
    customer = make_customer(personas.alice)

    with pytest.raises(ValidationError) as missing:
        services.customer_level_set(actor=personas.alice, customer=customer, level="gold", reason=" ")
    with pytest.raises(PermissionDenied):
        services.customer_level_set(actor=personas.dave, customer=customer, level="top", reason="理由")
    with pytest.raises(Http404):
        services.customer_level_set(actor=personas.bob, customer=customer, level="top", reason="理由")
    with pytest.raises(ValidationError) as not_manual:
        services.customer_level_clear(actor=personas.alice, customer=customer)

    assert missing.value.message_dict["reason"] == ["请说明手工设定这一层级的理由。"]
    assert "level" in missing.value.message_dict
    assert not_manual.value.message_dict["level"] == ["该客户的层级不是手工设定的。"]
    assert not CustomerClassification.objects.filter(level_source="manual").exists()


def test_rules_are_checked_replaced_and_stale_versions_refused(personas):
    rules = make_rules(personas.carol)

    with pytest.raises(ValidationError) as bad:
        services.level_rules_replace(actor=personas.carol, rules=[{"name": "", "level": "gold", "explanation": ""}])
    with pytest.raises(services.StaleEdit):
        services.level_rules_replace(
            actor=personas.carol, rules=[{"id": rules[0].pk, "version": 7, "name": "x", "level": "top",
                                          "explanation": "x"}])
    with pytest.raises(PermissionDenied):
        services.level_rules_replace(actor=personas.alice, rules=[])

    assert set(bad.value.message_dict) == {"rules.0.name", "rules.0.level", "rules.0.explanation"}
    assert LevelRule.objects.count() == 5
    kept = services.level_rules_replace(
        actor=personas.carol, rules=[{"id": rules[4].pk, "version": rules[4].version, "name": "兜底",
                                      "level": "base", "explanation": "其余客户"}])
    assert [(r.pk, r.name, r.position) for r in LevelRule.objects.all()] == [(rules[4].pk, "兜底", 10)]
    assert kept[0].version == rules[4].version + 1


def test_spend_estimate_must_be_positive(personas):
    customer = make_customer(personas.alice)

    with pytest.raises(ValidationError) as bad:
        services.customer_spend_estimate_set(actor=personas.alice, customer=customer, amount="-3")

    assert bad.value.message_dict["annual_spend_estimate"] == ["请输入大于零的金额（元）。"]
    assert services.customer_spend_estimate_set(actor=personas.alice, customer=customer, amount=None)


# --- assessments --------------------------------------------------------------------------------


def test_assessment_by_the_owner_and_the_due_list(personas):
    signed = make_customer(personas.alice, name="签约经销商有限公司", status="signed")
    cooperating = make_customer(personas.alice, name="合作经销商有限公司", status="cooperating")
    make_customer(personas.alice, name="意向客户有限公司")
    period = services.current_assessment_period()

    services.assessment_create(actor=personas.alice, customer=signed, verdict="must_train", reason="队伍需培训")

    due = selectors.assessments_due(actor=personas.alice, period=period)
    assert list(due) == [cooperating]
    assert list(selectors.assessments_due(actor=personas.bob, period=period)) == []
    latest = selectors.assessments(actor=personas.alice, customer=signed).first()
    assert (latest.verdict, latest.period, latest.evaluator) == ("must_train", period, personas.alice)


def test_assessment_is_checked(personas):
    customer = make_customer(personas.alice, status="signed")

    with pytest.raises(ValidationError) as bad:
        services.assessment_create(actor=personas.alice, customer=customer, verdict="good", reason="", period="2026")
    with pytest.raises(PermissionDenied):
        services.assessment_create(actor=personas.dave, customer=customer, verdict="usable", reason="好")

    assert set(bad.value.message_dict) == {"verdict", "reason", "period"}
    assert bad.value.message_dict["period"] == ["请按年份加季度填写期间，例如 2026Q4。"]
    assert DistributorAssessment.objects.count() == 0


# --- the nightly job and the command ----------------------------------------------------------------


def test_nightly_job_sets_levels_and_computes_the_last_twelve_months_once_a_day(personas):
    from kehu.customers.tasks import classify_customers

    customer = make_customer(personas.alice, name="近期机械有限公司", status="negotiating")
    sell(customer, 500, on=timezone.localdate())
    sell(customer, 800, on=timezone.localdate() - dt.timedelta(days=400))
    make_rules(personas.carol)  # after the customer: its level is the nightly job's to set

    changed = classify_customers.call_local()
    again = classify_customers.call_local()

    assert changed == 1 and again is None
    snapshot = AbcSnapshot.objects.get()
    assert (snapshot.period_start, snapshot.period_end) == rolling_period()
    assert snapshot.computed_by is None and snapshot.total_amount == Decimal("500.00")
    customer.refresh_from_db()
    assert customer.level == "middle"


def test_kehu_classify_command(personas, capsys):
    from kehu.cli import main

    sell(make_customer(personas.alice), 1000)

    assert main(["classify", "--period-start", "2026-01-01", "--period-end", "2026-12-31"]) == 0
    assert "1 customers" in capsys.readouterr().out
    assert AbcSnapshot.objects.get().period_start == START
    assert main(["classify", "--period-start", "2026-12-31", "--period-end", "2026-01-01"]) == 1


def test_kehu_classify_keeps_the_limits_it_is_given_for_the_next_runs(personas, capsys):
    from kehu.cli import main

    sell(make_customer(personas.alice), 1000)

    assert main(["classify", "--a-limit", "60", "--b-limit", "85"]) == 0
    assert main(["classify", "--period-start", "2026-01-01", "--period-end", "2026-12-31"]) == 0
    assert main(["classify", "--a-limit", "90", "--b-limit", "80"]) == 1

    assert "kehu classify:" in capsys.readouterr().err
    assert [(s.a_limit, s.b_limit) for s in AbcSnapshot.objects.order_by("computed_at")] == [
        (Decimal("60.00"), Decimal("85.00")), (Decimal("60.00"), Decimal("85.00"))]


# --- limits in use, loyalty over periods shorter than a year ---------------------------------------


def test_the_nightly_job_uses_the_limits_an_administrator_chose_last(personas, seed_table):
    from kehu.customers.tasks import classify_customers

    assert services.abc_limits() == (Decimal("80"), Decimal("95"))  # nothing chosen yet
    services.abc_recompute(actor=personas.carol, start=START, end=END, a_limit="50", b_limit="80")

    classify_customers.call_local()

    nightly = AbcSnapshot.objects.get(period_end=timezone.localdate())
    assert (nightly.a_limit, nightly.b_limit) == (Decimal("50.00"), Decimal("80.00"))
    assert nightly.computed_by is None and services.abc_limits() == (Decimal("50.00"), Decimal("80.00"))


def test_recompute_without_limits_keeps_those_in_use(personas, seed_table):
    services.abc_recompute(actor=personas.carol, start=START, end=END, a_limit="70", b_limit="90")

    again = services.abc_recompute(actor=personas.root, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30))

    assert (again.a_limit, again.b_limit) == (Decimal("70.00"), Decimal("90.00"))


def test_loyalty_of_a_quarter_compares_with_a_quarter_of_the_annual_estimate(personas, seed_table):
    liu, second, *_ = seed_table

    quarter = services.abc_recompute(actor=personas.carol, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30))
    year = services.abc_recompute(actor=personas.carol, start=dt.date(2025, 7, 1), end=dt.date(2026, 6, 30))

    # ¥2430 against 3/12 of ¥3200 = ¥800; ¥2400 against 3/12 of ¥6000 = ¥1500.
    in_quarter = {row.customer_id: row for row in quarter.rows.all()}
    assert in_quarter[liu.pk].loyalty_pct == Decimal("303.8") and in_quarter[liu.pk].loyalty_mark == "+"
    assert in_quarter[second.pk].loyalty_pct == Decimal("160.0") and in_quarter[second.pk].loyalty_mark == "+"
    assert in_quarter[liu.pk].period_spend_estimate == Decimal("800.00")
    # Twelve months (not a calendar year): the annual estimate itself, as in the seed's example.
    in_year = {row.customer_id: row for row in year.rows.all()}
    assert in_year[liu.pk].loyalty_pct == Decimal("75.9") and in_year[second.pk].loyalty_pct == Decimal("40.0")
    assert in_year[liu.pk].period_spend_estimate == Decimal("3200.00")


def test_loyalty_of_a_period_of_days_takes_days_over_365_25():
    rows = compute_abc({1: (1, Decimal("100"))}, {1: Decimal("3652.50")}, year_part=Decimal(10) / Decimal("365.25"))

    assert rows[0]["loyalty_pct"] == Decimal("100.0")  # ¥100 against 10 days of ¥3652.50 a year = ¥100


def test_periods_of_whole_months_count_months_over_twelve():
    from kehu.customers.periods import whole_months, year_share

    for today in (dt.date(2026, 11, 23), dt.date(2026, 2, 28), dt.date(2024, 2, 29), dt.date(2026, 6, 30)):
        for months in (3, 12):
            assert whole_months(*rolling_period(today, months)) == months
    assert whole_months(dt.date(2026, 4, 1), dt.date(2026, 6, 30)) == 3
    assert whole_months(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 12
    assert year_share(dt.date(2026, 10, 1), dt.date(2026, 12, 31))[0] == Decimal("0.25")
    assert year_share(dt.date(2026, 1, 5), dt.date(2026, 2, 13)) == (Decimal(40) / Decimal("365.25"), None, 40)


def test_an_edit_of_what_the_rules_read_levels_the_customer_again_but_not_a_level_set_by_hand(personas):
    make_rules(personas.carol)
    customer = make_customer(personas.alice, name="升级机械有限公司")
    assert customer.level == "base"

    customer = services.customer_update(actor=personas.alice, customer=customer, version=customer.version,
                                        status="negotiating")
    assert Customer.objects.get(pk=customer.pk).level == "middle"

    services.customer_level_set(actor=personas.alice, customer=customer, level="base", reason="客户规模小")
    customer.refresh_from_db()
    services.customer_update(actor=personas.alice, customer=customer, version=customer.version, industry="航天")
    assert Customer.objects.get(pk=customer.pk).level == "base"  # by hand: the rules leave it
