"""Forms of the classification pages (C5): they render and type-check; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kehu.customers.forms.customer import DATE
from kehu.customers.models import Level, RelationshipStatus, Verdict


class AbcPeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)


class AbcRecomputeForm(AbcPeriodForm):
    a_limit = forms.DecimalField(label=_("Class A up to cumulative %"), required=False, max_digits=5,
                                 decimal_places=2)
    b_limit = forms.DecimalField(label=_("Class B up to cumulative %"), required=False, max_digits=5,
                                 decimal_places=2)


class ManualLevelForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *Level.choices], required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class SpendEstimateForm(forms.Form):
    annual_spend_estimate = forms.DecimalField(
        label=_("Estimated annual spend (CNY)"), required=False, max_digits=14, decimal_places=2,
        help_text=_("What the customer spends a year in our category, with us and others."),
    )


class AssessmentForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class LevelRuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    min_status = forms.ChoiceField(
        label=_("Status at least"), choices=[("", "—"), *RelationshipStatus.choices], required=False
    )
    min_amount = forms.DecimalField(label=_("Sales at least (CNY)"), required=False, max_digits=14,
                                    decimal_places=2)
    amount_months = forms.IntegerField(label=_("Over the last months"), initial=12, min_value=1, max_value=120)
    industries = forms.CharField(label=_("Blank industries"), required=False,
                                 help_text=_("Separate them with commas."))
    regions = forms.CharField(label=_("Blank regions"), required=False,
                              help_text=_("Provinces or cities, separated with commas."))
    explanation = forms.CharField(label=_("Explanation"), max_length=200)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data
