"""The customer list's filter form with every C11 filter and the sort; saved filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kehu.accounts.models import Department
from kehu.core.widgets import FastSelect, FastTextInput
from kehu.customers.forms.customer import CustomerFilterForm
from kehu.customers.selectors.search import SORT_LABELS


class CustomerSearchForm(CustomerFilterForm):
    department = forms.ChoiceField(label=_("department"), required=False, widget=FastSelect)
    province = forms.CharField(label=_("province"), required=False, max_length=20, widget=FastTextInput)
    city = forms.CharField(label=_("city"), required=False, max_length=30, widget=FastTextInput)
    industry = forms.CharField(label=_("industry"), required=False, max_length=60, widget=FastTextInput)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, widget=FastSelect,
                             choices=list(SORT_LABELS.items()))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.order_by("path", "sort_order", "name").values_list("pk", "name", "path")
        self.fields["department"].choices = [("", _("All departments"))] + [
            (str(pk), "\u3000" * max(path.count("/") - 2, 0) + name) for pk, name, path in departments
        ]

    def filter_values(self) -> dict:
        """The cleaned values as `customer_search` keywords (an invalid form filters nothing)."""
        values = self.cleaned_data if self.is_valid() else {}
        return {
            "q": values.get("q", ""), "status": values.get("status", ""), "level": values.get("level", ""),
            "owner": values.get("owner") or None, "tag": values.get("tag", ""),
            "department": values.get("department") or None, "province": values.get("province", ""),
            "city": values.get("city", ""), "industry": values.get("industry", ""),
            "sort": values.get("sort") or "updated", "idle_days": values.get("idle_days"),
            "custom_filters": values,
        }


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Filter name"), max_length=60)
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)
