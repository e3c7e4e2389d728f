"""Field definitions: one row per custom field of a record type ("customers.customer").

Values are not stored here but in the record's own JSON column (`custom`), keyed by
`key`, so a record and its custom values load in one query and filter in SQL.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kehu.accounts.permissions import ScopedManager

RECORD_TYPE = "customfields.fielddefinition"

key_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$",
    _("Start with a lower-case letter; use only lower-case letters, digits and underscores (_)."),
    code="invalid_key",
)


class FieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Single choice")
    MULTI_CHOICE = "multi_choice", _("Multiple choice")


CHOICE_KINDS = (FieldKind.CHOICE, FieldKind.MULTI_CHOICE)


class FieldDefinition(models.Model):
    """A custom field. `key` never changes (values are stored under it); `version`
    grows on every save so an edit made from a stale copy is refused."""

    record_type = models.CharField(_("record type"), max_length=100)
    key = models.CharField(_("key"), max_length=40, validators=[key_validator])
    label = models.CharField(_("label"), max_length=60)
    label_en = models.CharField(_("English label"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=FieldKind.choices, default=FieldKind.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    help_text = models.CharField(_("help text"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("active"), default=True,
        help_text=_("An inactive field is hidden from forms and pages; its values are kept."),
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["record_type", "order", "pk"]
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        constraints = [
            models.UniqueConstraint(fields=["record_type", "key"], name="customfield_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.display_label} ({self.key})"

    @property
    def display_label(self) -> str:
        """The label in the reader's language: English when asked for and given, else Chinese."""
        if self.label_en and (get_language() or "").startswith("en"):
            return self.label_en
        return self.label

    @property
    def error_key(self) -> str:
        return f"custom.{self.key}"
