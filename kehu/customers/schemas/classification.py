"""API schemas of classification (C5): ABC rows and snapshots, levels, rules, assessments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from kehu.customers.schemas.customer import Ref


class AbcSnapshotOut(Schema):
    id: int
    period_start: date
    period_end: date
    a_limit: Decimal = Field(description="class A: cumulative % up to this")
    b_limit: Decimal = Field(description="class B: cumulative % up to this; C above")
    total_amount: Decimal = Field(description="over ALL customers of the period, not only those you see")
    customer_count: int
    computed_at: datetime
    computed_by: Ref | None = Field(description="null: the nightly job")


class AbcRowOut(Schema):
    customer: Ref
    rank: int = Field(description="1 = largest amount of all customers")
    transactions: int
    amount: Decimal
    cumulative_amount: Decimal
    cumulative_pct: Decimal = Field(description="running share of the total of all customers")
    contribution_pct: Decimal
    abc_class: str
    annual_spend_estimate: Decimal | None
    loyalty_pct: Decimal | None = Field(
        description="amount / (estimated annual spend × the period's part of a year: months/12 for whole "
        "months, else days/365.25); null without estimate"
    )
    loyalty_mark: str = Field(description="'+' loyalty ≥ 50 %, '−' below, '' without estimate")


class AbcPageOut(Schema):
    snapshot: AbcSnapshotOut | None = Field(description="null: this period was never computed")
    items: list[AbcRowOut]
    next_cursor: str | None = None


class AbcQuery(Schema):
    start: date | None = Field(None, description="with end: that period's snapshot; none: the latest one")
    end: date | None = None


class AbcRecomputeIn(Schema):
    start: date | None = Field(None, description="default: the last 12 months up to today")
    end: date | None = None
    a_limit: Decimal | None = Field(
        None, description="default: the limit in use (last chosen; 80 before any); kept for the nightly job"
    )
    b_limit: Decimal | None = Field(
        None, description="default: the limit in use (last chosen; 95 before any); kept for the nightly job"
    )
    levels: bool = Field(False, description="also set every customer's level by the rules")


class AbcRecomputeOut(Schema):
    snapshot: AbcSnapshotOut
    levels_changed: int | None = None


class ClassificationOut(Schema):
    customer_id: int
    level: str
    level_source: str = Field(description="rule, manual, or '' (no rule matched or never classified)")
    rule_id: int | None
    reason: str = Field(description="the rule's explanation, or the reason given with a manual level")
    set_at: datetime | None
    set_by: Ref | None
    annual_spend_estimate: Decimal | None
    abc: AbcRowOut | None = Field(description="the customer's line in the latest ABC snapshot")


class LevelIn(Schema):
    level: str | None = Field(description="base, middle, top; null or '' clears the manual level")
    reason: str = ""


class SpendEstimateIn(Schema):
    annual_spend_estimate: Decimal | None = Field(description="yuan per year; null clears it")


class LevelRuleFields(Schema):
    name: str
    level: str
    min_status: str = Field("", description="intent < negotiating < signed < cooperating; '' any")
    min_amount: Decimal | None = Field(None, description="sales record book amount at least this …")
    amount_months: int = Field(12, description="… over the last N months")
    industries: list[str] = Field([], description="blank industries (空白行业): the industry is one of these")
    regions: list[str] = Field([], description="blank regions (空白地域): the province or city is one of these")
    explanation: str
    is_active: bool = True


class LevelRuleIn(LevelRuleFields):
    id: int | None = Field(None, description="an existing rule (send its version); none: a new rule")
    version: int | None = None


class LevelRuleOut(LevelRuleFields):
    id: int
    position: int
    version: int


class LevelRulesIn(Schema):
    rules: list[LevelRuleIn] = Field(description="the whole list, in order; first match wins; left out = deleted")


class AssessmentIn(Schema):
    verdict: str = Field(description="usable, must_train, must_transform, eliminate")
    reason: str
    period: str | None = Field(None, description="a quarter, 2026Q4; default the current one")


class AssessmentOut(Schema):
    id: int
    customer: Ref
    period: str
    verdict: str
    reason: str
    evaluator: Ref | None
    created_at: datetime


class AssessmentFilter(Schema):
    customer_id: int | None = None
    period: str = ""
