"""Form numbers (编号): a pattern per form type, a counter per pattern and period, the issued log.

A number reads prefix + date part + infix + zero-padded sequence + suffix, for
example ``PI`` + ``20261122`` + ``A`` + ``0001`` = ``PI20261122A0001``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehu.accounts.permissions import ScopedManager

RECORD_TYPE = "numbering.numberpattern"

text_part_validator = RegexValidator(
    r"^[A-Za-z0-9-]*$", _("Use only letters, digits and hyphens (-)."), code="invalid_characters"
)
form_type_validator = RegexValidator(
    r"^[a-z0-9_]+(\.[a-z0-9_]+)+$",
    _('Use an app and a form name in lower case, such as "sales.contract".'),
    code="invalid_form_type",
)

MIN_WIDTH = 3
MAX_WIDTH = 10


class DateFormat(models.TextChoices):
    """How the date appears in the number."""

    NONE = "none", _("No date")
    YEAR = "YYYY", _("Year (YYYY)")
    MONTH = "YYYYMM", _("Year and month (YYYYMM)")
    DAY = "YYYYMMDD", _("Full date (YYYYMMDD)")
    SHORT_DAY = "YYMMDD", _("Short date (YYMMDD)")


class ResetPeriod(models.TextChoices):
    """When the sequence starts again at 1."""

    NEVER = "never", _("Never")
    YEARLY = "yearly", _("Every year")
    MONTHLY = "monthly", _("Every month")
    DAILY = "daily", _("Every day")


DATE_STRFTIME = {
    DateFormat.NONE: "",
    DateFormat.YEAR: "%Y",
    DateFormat.MONTH: "%Y%m",
    DateFormat.DAY: "%Y%m%d",
    DateFormat.SHORT_DAY: "%y%m%d",
}
PERIOD_STRFTIME = {
    ResetPeriod.NEVER: "",
    ResetPeriod.YEARLY: "%Y",
    ResetPeriod.MONTHLY: "%Y%m",
    ResetPeriod.DAILY: "%Y%m%d",
}
# How fine a date part is, and how fine a reset needs it to be: a yearly reset
# without the year in the number would issue PI0001 again next year.
DATE_GRAIN = {
    DateFormat.NONE: 0,
    DateFormat.YEAR: 1,
    DateFormat.MONTH: 2,
    DateFormat.DAY: 3,
    DateFormat.SHORT_DAY: 3,
}
RESET_GRAIN = {ResetPeriod.NEVER: 0, ResetPeriod.YEARLY: 1, ResetPeriod.MONTHLY: 2, ResetPeriod.DAILY: 3}


class NumberPattern(models.Model):
    """How numbers of one form type look; apps register a default, administrators edit it.

    `version` grows on every save so an edit made from a stale copy is refused.
    """

    form_type = models.CharField(
        _("form type"), max_length=100, unique=True, validators=[form_type_validator]
    )
    name = models.CharField(
        _("name"), max_length=100, blank=True,
        help_text=_("Leave empty to use the name the application gives this form."),
    )
    prefix = models.CharField(_("prefix"), max_length=20, validators=[text_part_validator])
    date_format = models.CharField(
        _("date part"), max_length=10, choices=DateFormat.choices, default=DateFormat.DAY
    )
    infix = models.CharField(
        _("text after the date"), max_length=10, blank=True, validators=[text_part_validator]
    )
    width = models.PositiveSmallIntegerField(
        _("sequence digits"), default=4,
        validators=[
            MinValueValidator(MIN_WIDTH, _("Use at least %(limit_value)s digits.")),
            MaxValueValidator(MAX_WIDTH, _("Use at most %(limit_value)s digits.")),
        ],
    )
    suffix = models.CharField(
        _("text after the sequence"), max_length=10, blank=True, validators=[text_part_validator]
    )
    reset_period = models.CharField(
        _("restart the sequence"), max_length=10, choices=ResetPeriod.choices, default=ResetPeriod.DAILY
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive pattern issues no numbers.")
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["form_type"]
        verbose_name = _("number pattern")
        verbose_name_plural = _("number patterns")

    def __str__(self) -> str:
        return f"{self.display_name} ({self.form_type})"

    @property
    def display_name(self) -> str:
        """The administrator's name, else the registering app's (translated) name."""
        if self.name:
            return self.name
        from kehu.core.numbering.registry import registered_pattern

        spec = registered_pattern(self.form_type)
        return str(spec.name) if spec is not None else self.form_type

    def clean(self) -> None:
        try:
            date_grain = DATE_GRAIN[DateFormat(self.date_format)]
            reset_grain = RESET_GRAIN[ResetPeriod(self.reset_period)]
        except ValueError:
            return  # the field validator reports the bad choice
        if reset_grain > date_grain:
            raise ValidationError(
                {
                    "reset_period": _(
                        "The date part must show the period the sequence restarts in: "
                        "choose a finer date part or restart less often."
                    )
                }
            )

    def head(self, day: datetime.date) -> str:
        """Everything before the sequence: prefix, date part, infix."""
        return f"{self.prefix}{day.strftime(DATE_STRFTIME[DateFormat(self.date_format)])}{self.infix}"

    def render(self, day: datetime.date, sequence: int) -> str:
        """The number for `sequence` on `day` (the sequence grows past `width` rather than wrap)."""
        return f"{self.head(day)}{sequence:0{self.width}d}{self.suffix}"

    def period_key(self, day: datetime.date) -> str:
        """Which counter `day` counts on: "" never resets, "2026", "202611", "20261122"."""
        return day.strftime(PERIOD_STRFTIME[ResetPeriod(self.reset_period)])

    @property
    def layout(self) -> str:
        """The shape for people: PI + YYYYMMDD + A + 0000."""
        date_part = "" if self.date_format == DateFormat.NONE else self.date_format
        return f"{self.prefix}{date_part}{self.infix}{'0' * (self.width or 0)}{self.suffix}"


class NumberCounter(models.Model):
    """The last sequence issued for one pattern in one period; its row is the lock."""

    pattern = models.ForeignKey(NumberPattern, on_delete=models.CASCADE, related_name="counters")
    period = models.CharField(max_length=8, blank=True)
    last_value = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pattern", "period"], name="numbering_counter_one_per_period")
        ]
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")

    def __str__(self) -> str:
        return f"{self.pattern.form_type} {self.period or '-'}: {self.last_value}"


class IssuedNumber(models.Model):
    """Every number ever issued, unique per form type: the last line against reuse.

    Written in the same transaction as the record, so a rolled-back record gives
    its number back. A pattern edit that would repeat an issued number hits the
    unique constraint and the counter skips past it.
    """

    form_type = models.CharField(max_length=100)
    number = models.CharField(max_length=80)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form_type", "number"], name="numbering_issued_number_unique")
        ]
        verbose_name = _("issued number")
        verbose_name_plural = _("issued numbers")

    def __str__(self) -> str:
        return self.number
