"""Classification (C5): the customer pyramid, ABC analysis and distributor assessment.

- Pyramid (002 客户金字塔: 塔基 / 塔中 / 塔尖). `LevelRule` rows are an ordered list, first
  match wins; a rule's conditions (all that are filled in must hold) are a least relationship
  status ("has a clear need" = at least negotiating), a least amount in the sales record book
  over the last N months, and "blank" industry / region lists (空白行业 / 空白地域). A rule
  without conditions matches every customer (a catch-all at the end). `CustomerClassification`
  (one per customer) records how `Customer.level` was set: by which rule (its explanation is
  copied, so it stays readable after the rule changes) or by hand with a reason; a manual level
  wins over the rules until it is cleared. It also holds the customer's estimated annual spend
  in our category (年度费用预估), the base of the loyalty %.
- ABC (001 客户分类): an `AbcSnapshot` per period keeps every row of the computation (number of
  transactions, amount, cumulative %, contribution %, class, loyalty % and its +/- mark), so a
  page can show how a letter came about. Cumulative % runs over ALL customers of the snapshot;
  who sees which rows is the customer's scope.
- Distributor assessment (000 对现有总经销商进行分类): `DistributorAssessment`, one row per
  evaluation (period, verdict, reason, evaluator); the latest counts.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kehu.accounts.permissions import ScopedQuerySet, scope_filter, scope_of
from kehu.customers import periods
from kehu.customers.models.customer import Level, RelationshipStatus

# "Status at least …": how far a relationship has come. Nurture and lost customers have no
# clear need at the moment, so they rank with intent.
STATUS_RANK = {
    RelationshipStatus.LOST: 0,
    RelationshipStatus.NURTURE: 1,
    RelationshipStatus.INTENT: 1,
    RelationshipStatus.NEGOTIATING: 2,
    RelationshipStatus.SIGNED: 3,
    RelationshipStatus.COOPERATING: 4,
}


class FollowsCustomerScope(ScopedQuerySet):
    """Rows about one customer (its classification, ABC lines, assessments) have no rights of
    their own: whoever sees the customer sees them, by the customer's grants and scope."""

    def visible_to(self, user):
        condition = scope_filter(user, self.model, scope_of(user, "customers.customer"))
        return self if condition is None else self.filter(condition)


CustomerScopedManager = models.Manager.from_queryset(FollowsCustomerScope)


class LevelRule(models.Model):
    """One pyramid rule; rules are tried by `position`, the first that matches sets the level."""

    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    min_status = models.CharField(
        _("status at least"), max_length=12, choices=RelationshipStatus.choices, blank=True
    )
    min_amount = models.DecimalField(
        _("sales at least (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_months = models.PositiveSmallIntegerField(_("over the last months"), default=12)
    industries = models.JSONField(_("blank industries"), default=list, blank=True)
    regions = models.JSONField(_("blank regions"), default=list, blank=True)
    explanation = models.CharField(_("explanation"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("level rule")
        verbose_name_plural = _("level rules")

    def __str__(self) -> str:
        return self.name


class LevelSource(models.TextChoices):
    RULE = "rule", pgettext_lazy("level source", "Rule")
    MANUAL = "manual", pgettext_lazy("level source", "Set by hand")
    NONE = "", pgettext_lazy("level source", "No rule matched")


class CustomerClassification(models.Model):
    """How a customer's level was set, and its estimated annual spend (for loyalty)."""

    customer = models.OneToOneField(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="classification"
    )
    level_source = models.CharField(
        _("level set by"), max_length=8, choices=LevelSource.choices, blank=True
    )
    rule = models.ForeignKey(
        LevelRule, verbose_name=_("rule"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manual_level = models.CharField(_("manual level"), max_length=8, choices=Level.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    set_at = models.DateTimeField(_("set at"), null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    annual_spend_estimate = models.DecimalField(
        _("estimated annual spend (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    version = models.PositiveIntegerField(default=0, editable=False)

    scope_owner_field = "customer__owner"
    scope_department_field = "customer__department"
    objects = CustomerScopedManager()

    class Meta:
        verbose_name = _("customer classification")
        verbose_name_plural = _("customer classifications")

    def __str__(self) -> str:
        return str(self.customer)


class AbcClass(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"


class AbcSnapshot(models.Model):
    """The ABC analysis of one period, as computed at `computed_at` (recomputing replaces its rows)."""

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    a_limit = models.DecimalField(_("class A up to cumulative %"), max_digits=5, decimal_places=2, default=80)
    b_limit = models.DecimalField(_("class B up to cumulative %"), max_digits=5, decimal_places=2, default=95)
    total_amount = models.DecimalField(_("total amount (CNY)"), max_digits=16, decimal_places=2, default=0)
    customer_count = models.PositiveIntegerField(_("customers"), default=0)
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("computed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-period_end", "-period_start"]
        verbose_name = _("ABC analysis")
        verbose_name_plural = _("ABC analyses")
        constraints = [
            models.UniqueConstraint(fields=["period_start", "period_end"], name="abcsnapshot_unique_period"),
        ]

    def __str__(self) -> str:
        return f"{self.period_start} – {self.period_end}"

    @property
    def months(self) -> int | None:
        """Whole months of the period (None: not whole months; then its days count)."""
        return periods.whole_months(self.period_start, self.period_end)

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days + 1

    @property
    def year_share(self):
        """The part of a year the period is: what loyalty takes of the annual estimate."""
        return periods.year_share(self.period_start, self.period_end)[0]


class AbcRow(models.Model):
    """One customer's line of an ABC analysis, with every figure that led to its class."""

    snapshot = models.ForeignKey(AbcSnapshot, on_delete=models.CASCADE, related_name="rows")
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="abc_rows"
    )
    rank = models.PositiveIntegerField(_("rank"))
    transactions = models.PositiveIntegerField(_("transactions"))
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)
    cumulative_amount = models.DecimalField(_("cumulative amount (CNY)"), max_digits=16, decimal_places=2)
    cumulative_pct = models.DecimalField(_("cumulative %"), max_digits=6, decimal_places=2)
    contribution_pct = models.DecimalField(_("contribution %"), max_digits=6, decimal_places=2)
    abc_class = models.CharField(_("class"), max_length=1, choices=AbcClass.choices)
    annual_spend_estimate = models.DecimalField(
        _("estimated annual spend (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    loyalty_pct = models.DecimalField(_("loyalty %"), max_digits=7, decimal_places=1, null=True, blank=True)
    loyalty_mark = models.CharField(_("loyalty mark"), max_length=1, blank=True)

    scope_owner_field = "customer__owner"
    scope_department_field = "customer__department"
    objects = CustomerScopedManager()

    class Meta:
        ordering = ["rank"]
        verbose_name = _("ABC row")
        verbose_name_plural = _("ABC rows")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "customer"], name="abcrow_unique_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.abc_class}{self.loyalty_mark}"

    @property
    def period_spend_estimate(self):
        """The estimated spend for the snapshot's period: the annual estimate × its part of a year."""
        if self.annual_spend_estimate is None:
            return None
        return (self.annual_spend_estimate * self.snapshot.year_share).quantize(Decimal("0.01"))


class Verdict(models.TextChoices):
    """000: usable or not; the usable must be trained or transformed; the unusable eliminated."""

    USABLE = "usable", _("Usable")
    MUST_TRAIN = "must_train", _("Must be trained")
    MUST_TRANSFORM = "must_transform", _("Must be transformed")
    ELIMINATE = "eliminate", _("Eliminate")


class DistributorAssessment(models.Model):
    """One periodic evaluation of a distributor by its owner (a quarter: "2026Q4")."""

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="assessments"
    )
    period = models.CharField(_("period"), max_length=6)
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    reason = models.CharField(_("reason"), max_length=500)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluator"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_owner_field = "customer__owner"
    scope_department_field = "customer__department"
    objects = CustomerScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("distributor assessment")
        verbose_name_plural = _("distributor assessments")
        indexes = [models.Index(fields=["customer", "period"], name="assessment_customer_period")]

    def __str__(self) -> str:
        return f"{self.period} {self.get_verdict_display()}"
