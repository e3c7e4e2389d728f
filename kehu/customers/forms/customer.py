"""Forms of the archive pages: they render and type-check; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kehu.core.widgets import FastNumberInput, FastSelect, FastTextInput
from kehu.customers.apps import CONTACT, CUSTOMER
from kehu.customers.forms.customfields import custom_fields_mixin, custom_filters_mixin
from kehu.customers.models import Contact, Customer, Level, RelationshipStatus

# The fields the duplicate check reads (name, credit code, city, phone) come first. The level
# is not one of them: it is set by the rules, or by hand with a reason (`level`, `level_reason`).
CUSTOMER_FORM_FIELDS = (
    "kind", "name", "short_name", "credit_code", "province", "city", "district", "phone", "status",
    "source", "industry", "business_function", "address", "postcode", "website",
    "economic_nature", "scale", "network_coverage", "main_business", "credit_rating", "credit_limit",
    "id_number", "birthday", "remarks",
)
CONTACT_FORM_FIELDS = (
    "name", "position", "department_name", "decision_role", "mobile", "phone", "fax", "email", "wechat",
    "qq", "birthday", "family_notes", "is_primary", "remarks",
)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_widgets(fields: dict) -> dict:
    for name in ("birthday",):
        if name in fields:
            fields[name].widget = DATE
    return fields


class _CustomerBase(forms.Form):
    tags = forms.CharField(
        label=_("tags"), required=False, max_length=300,
        help_text=_("Separate tags with commas, e.g. 重点客户, 经销商."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def tag_list(self) -> list[str]:
        text = self.cleaned_data.get("tags") or ""
        return [part.strip() for part in text.replace("，", ",").replace("、", ",").split(",") if part.strip()]

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data.get(name) for name in CUSTOMER_FORM_FIELDS}
        fields["level"] = self.cleaned_data.get("level") or ""
        fields["level_reason"] = self.cleaned_data.get("level_reason") or ""
        return fields


def _customer_fields() -> dict:
    """The model's fields, with the level and its reason after the status."""
    fields = {}
    for name, field in _date_widgets(forms.fields_for_model(Customer, fields=CUSTOMER_FORM_FIELDS)).items():
        fields[name] = field
        if name == "status":
            fields["level"] = forms.ChoiceField(
                label=_("level"), required=False, choices=[("", _("— (the level rules decide)")), *Level.choices],
                help_text=_("Set by the level rules. Choosing or changing it sets it by hand and needs a reason."),
            )
            fields["level_reason"] = forms.CharField(
                label=_("Reason for the level"), required=False, max_length=200,
                help_text=_("Why you set this level by hand (needed when you choose or change the level)."),
            )
    return fields


CustomerForm = type("CustomerForm", (custom_fields_mixin(CUSTOMER), _CustomerBase), _customer_fields())


class _ContactBase(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in CONTACT_FORM_FIELDS}


ContactForm = type(
    "ContactForm",
    (custom_fields_mixin(CONTACT), _ContactBase),
    _date_widgets(forms.fields_for_model(Contact, fields=CONTACT_FORM_FIELDS)),
)


class CustomerFilterForm(custom_filters_mixin(CUSTOMER), forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=FastTextInput(attrs={
            "type": "search", "placeholder": _("Name, contact, phone digits or pinyin initials"),
            "autocomplete": "off",
        }),
    )
    status = forms.ChoiceField(
        label=_("relationship status"), required=False, widget=FastSelect,
        choices=[("", _("All statuses")), *RelationshipStatus.choices],
    )
    level = forms.ChoiceField(label=_("level"), required=False, widget=FastSelect,
                              choices=[("", _("All levels")), *Level.choices])
    owner = forms.ChoiceField(
        label=_("owner"), required=False, widget=FastSelect,
        choices=[("", _("Everyone I may see")), ("me", _("Mine")), ("pool", _("Public pool"))],
    )
    tag = forms.CharField(label=_("tag"), required=False, max_length=30, widget=FastTextInput)
    idle_days = forms.IntegerField(
        label=_("Days without follow-up (at least)"), required=False, min_value=1, max_value=3650,
        widget=FastNumberInput,
    )
