"""Forms of the network pages: the period of the roll-ups, the distributor picker."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kehu.customers.forms.customer import DATE
from kehu.customers.models import ChannelRole


class NetworkPeriodForm(forms.Form):
    date_from = forms.DateField(label=pgettext_lazy("period", "From"), required=False, widget=DATE)
    date_to = forms.DateField(label=pgettext_lazy("period", "To"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period comes before its start."))
        return data


class ParentForm(forms.Form):
    q = forms.CharField(
        label=_("Find the distributor"), required=False, max_length=100,
        widget=forms.TextInput(attrs={
            "type": "search", "autocomplete": "off", "placeholder": _("Name, phone digits or pinyin initials"),
        }),
    )
    parent_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    channel_role = forms.ChoiceField(
        label=_("Channel role of this customer"), required=False,
        choices=[("", "—"), *ChannelRole.choices],
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
