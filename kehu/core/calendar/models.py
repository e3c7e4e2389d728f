"""Service calendars (5×8, 7×24) and the company's own closed and working days."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kehu.core.calendar import engine


class CalendarKind(models.TextChoices):
    BUSINESS_HOURS = engine.BUSINESS_HOURS, _("Working days, business hours (5×8)")
    ROUND_THE_CLOCK = engine.ROUND_THE_CLOCK, _("Every day, around the clock (7×24)")


class ServiceCalendar(models.Model):
    """A calendar deadlines are counted in; business hours apply to working days only.

    `business_hours` holds periods as [[start_minute, end_minute], …] after midnight,
    half-open; `version` rises on every edit so a stale form is refused.
    """

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarKind.choices)
    business_hours = models.JSONField(_("business hours"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("service calendar")
        verbose_name_plural = _("service calendars")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def periods(self) -> tuple[engine.Period, ...]:
        if self.kind == CalendarKind.ROUND_THE_CLOCK:
            return ((0, engine.MINUTES_PER_DAY),)
        return engine.check_periods(self.business_hours)

    @property
    def business_hours_text(self) -> str:
        return engine.format_business_hours(self.periods)


class CalendarOverride(models.Model):
    """A company decision for one date on top of the statutory data (e.g. annual company holiday).

    Applies to every business-hours calendar; a 7×24 calendar counts every day anyway.
    """

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date} {'+' if self.is_working else '-'} {self.note}"
