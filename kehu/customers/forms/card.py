"""Forms of archive cards and the sales record book: built from the card specs; rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kehu.customers.models import CardField, CardKind, card_fields

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COMMON = ("card_date", "title", "summary")


def _field_for(spec: CardField) -> forms.Field:
    """A lenient form field: the service checks the value and names the problem."""
    common: dict[str, Any] = {"label": spec.label, "required": spec.required}
    if spec.type == "choice":
        return forms.ChoiceField(choices=[("", "—"), *spec.choices], **common)
    if spec.type == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=spec.max_length, **common)
    if spec.type == "date":
        return forms.CharField(widget=DATE, **common)
    if spec.type in {"decimal", "integer"}:
        step = "1" if spec.type == "integer" else "0.01"
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal", "data-step": step}), **common)
    return forms.CharField(max_length=spec.max_length, **common)


class CardForm(forms.Form):
    """The common fields of a card, then the fields of its kind (CARD_SPECS)."""

    card_date = forms.CharField(label=_("date"), widget=DATE)
    title = forms.CharField(label=_("title"), required=False, max_length=120,
                            help_text=_("Leave empty to name the card after its main value."))
    summary = forms.CharField(label=_("summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.kind_label = CardKind(kind).label
        self.specs = card_fields(kind)
        for spec in self.specs:
            self.fields[spec.name] = _field_for(spec)

    def common_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in COMMON}

    def kind_values(self) -> dict[str, Any]:
        return {spec.name: self.cleaned_data.get(spec.name) for spec in self.specs}


class SalesRecordForm(forms.Form):
    occurred_on = forms.CharField(label=_("date"), widget=DATE)
    product = forms.CharField(label=_("product"), max_length=120)
    quantity = forms.CharField(label=_("quantity"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    amount = forms.CharField(label=_("amount (CNY)"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    remarks = forms.CharField(label=_("remarks"), required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in ("occurred_on", "product", "quantity", "amount", "remarks")}


class SalesPeriodForm(forms.Form):
    """The period the record book's totals cover."""

    date_from = forms.DateField(label=pgettext_lazy("period", "from"), required=False, widget=DATE)
    date_to = forms.DateField(label=pgettext_lazy("period", "to"), required=False, widget=DATE)
