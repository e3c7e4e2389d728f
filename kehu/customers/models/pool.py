"""The 公海 pool (C8): the rules administrators set, what happened in the pool, warnings sent.

A customer is in the pool when it has no owner (`Customer.owner` is null). Whether an owned
customer is due to go back is not stored: it is derived from dates (`last_followup_at`,
`assigned_at`) and the rules, by `selectors.pool.pool_schedule` and the daily job.
Days are calendar days (Asia/Shanghai), not working days.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehu.accounts.permissions import ScopedManager


class PoolReason(models.TextChoices):
    """Why a customer sits in the pool."""

    RELEASED = "released", _("Released by hand")
    RETURNED = "returned", _("Returned by rule")
    NEVER_OWNED = "never_owned", _("Never owned")


class PoolRules(models.Model):
    """The pool's rules, one row (pk 1); administrators edit it on a page or through the API.

    Day counts of 0 switch a rule off (the customer never returns; no warning; no lock-out);
    claim limits of 0 mean no limit.
    """

    SINGLETON_PK = 1

    return_days_base = models.PositiveSmallIntegerField(_("return after (days), base level"), default=30)
    return_days_middle = models.PositiveSmallIntegerField(_("return after (days), middle level"), default=60)
    return_days_top = models.PositiveSmallIntegerField(_("return after (days), top level"), default=90)
    return_days_unset = models.PositiveSmallIntegerField(_("return after (days), no level"), default=30)
    warn_days = models.PositiveSmallIntegerField(_("warn (days before)"), default=3)
    lockout_days = models.PositiveSmallIntegerField(_("previous owner locked out (days)"), default=7)
    daily_claim_limit = models.PositiveSmallIntegerField(_("claims per person per day"), default=10)
    total_claim_limit = models.PositiveIntegerField(_("customers a person may own"), default=0)
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )

    class Meta:
        verbose_name = _("pool rules")
        verbose_name_plural = _("pool rules")

    def __str__(self) -> str:
        return str(_("Public pool rules"))

    def return_days_for(self, level: str) -> int:
        return {
            "base": self.return_days_base, "middle": self.return_days_middle, "top": self.return_days_top,
        }.get(level or "", self.return_days_unset)


class PoolEventKind(models.TextChoices):
    CLAIM = "claim", _("Claimed")
    RELEASE = "release", _("Released")
    RETURN = "return", _("Returned by rule")


class PoolEvent(models.Model):
    """One move in or out of the pool; claims per person per day are counted here."""

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="pool_events"
    )
    kind = models.CharField(_("what"), max_length=8, choices=PoolEventKind.choices)
    # The claimer, or the owner who lost the customer.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), db_index=True)

    scope_owner_field = "user"
    scope_department_field = "customer__department"
    objects = ScopedManager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("pool event")
        verbose_name_plural = _("pool events")
        indexes = [models.Index(fields=["user", "kind", "at"], name="poolevent_user_kind_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.customer_id} {self.at:%Y-%m-%d}"


class PoolWarning(models.Model):
    """The marker that the owner was warned about one due date: sent exactly once."""

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField(_("due date"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("pool warning")
        verbose_name_plural = _("pool warnings")
        constraints = [
            models.UniqueConstraint(fields=["customer", "due_on"], name="poolwarning_once_per_due_date"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.due_on}"
