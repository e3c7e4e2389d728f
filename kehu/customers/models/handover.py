"""Handover (C9): a departing or re-assigned salesperson's customers move to others in one step.

One `Handover` row per step (who from, who did it, when, why, how it was split, what the
handover participants of later apps moved), one `HandoverItem` per customer moved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehu.accounts.permissions import ScopedManager


class HandoverMode(models.TextChoices):
    ROUND_ROBIN = "round_robin", _("Round robin")
    SPLIT = "split", _("Explicit split")


class Handover(models.Model):
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handed over by"), on_delete=models.PROTECT, related_name="+"
    )
    # The from-user's department at the time: what department and subtree scopes compare.
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    mode = models.CharField(_("split"), max_length=12, choices=HandoverMode.choices, default=HandoverMode.ROUND_ROBIN)
    reason = models.CharField(_("reason"), max_length=200)
    customer_count = models.PositiveIntegerField(_("customers"), default=0)
    # {participant key: count} from the handover participants of later apps (leads, opportunities …).
    participant_counts = models.JSONField(_("other work moved"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    scope_owner_field = "created_by"
    scope_department_field = "department"
    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return f"#{self.pk} {self.from_user}"


class HandoverItem(models.Model):
    handover = models.ForeignKey(Handover, verbose_name=_("handover"), on_delete=models.CASCADE, related_name="items")
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="handover_items"
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("from user"), on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("to user"), on_delete=models.PROTECT, related_name="+"
    )
    from_department = models.ForeignKey(
        "accounts.Department", verbose_name=_("from department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    to_department = models.ForeignKey(
        "accounts.Department", verbose_name=_("to department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    scope_owner_field = "handover__created_by"
    scope_department_field = "handover__department"
    objects = ScopedManager()

    class Meta:
        ordering = ["handover", "pk"]
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        constraints = [
            models.UniqueConstraint(fields=["handover", "customer"], name="handoveritem_once_per_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.from_user_id} → {self.to_user_id}"
