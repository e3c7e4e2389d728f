"""Forms of the 公海 pool pages: they render and type-check; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kehu.customers.models import Level, PoolReason, PoolRules
from kehu.customers.services.pool import RULE_FIELDS


class PoolFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={
            "type": "search", "placeholder": _("Name, contact, phone digits or pinyin initials"),
            "autocomplete": "off",
        }),
    )
    level = forms.ChoiceField(
        label=_("level"), required=False,
        choices=[("", _("All levels")), *Level.choices, ("none", _("No level"))],
    )
    reason = forms.ChoiceField(
        label=_("why in the pool"), required=False, choices=[("", _("Any reason")), *PoolReason.choices],
    )


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. no demand this year")}),
    )


class _RulesBase(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


PoolRulesForm = type(
    "PoolRulesForm", (_RulesBase,), forms.fields_for_model(PoolRules, fields=RULE_FIELDS),
)
