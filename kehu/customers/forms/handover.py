"""The handover form: from whom, to whom, how to split, why. The rules live in the service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kehu.accounts.models import User
from kehu.customers.models import HandoverMode
from kehu.customers.selectors.handover import handover_users


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        department = obj.department.name if obj.department_id else ""
        return f"{obj.name} · {department}" if department else obj.name


class _UsersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        department = obj.department.name if obj.department_id else ""
        return f"{obj.name} · {department}" if department else obj.name


class HandoverForm(forms.Form):
    from_user = _UserChoice(label=_("Hand over the customers of"), queryset=User.objects.none())
    to_users = _UsersChoice(
        label=pgettext_lazy("handover", "To"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple,
    )
    mode = forms.ChoiceField(
        label=_("How to split"), choices=HandoverMode.choices, initial=HandoverMode.ROUND_ROBIN,
        widget=forms.RadioSelect,
    )
    split = forms.CharField(
        label=_("Counts per recipient"), required=False, max_length=200,
        help_text=_("For an explicit split: one count per recipient in the order listed, e.g. 10, 5."),
    )
    customer_ids = forms.CharField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=forms.TextInput)
    digest = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, actor, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        users = handover_users(actor).select_related("department").order_by("department__name", "username")
        self.fields["from_user"].queryset = users
        self.fields["to_users"].queryset = users.filter(is_active=True)

    def clean_split(self) -> list[int] | None:
        text = (self.cleaned_data.get("split") or "").replace("，", ",").replace("、", ",")
        if not text.strip():
            return None
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("Enter whole numbers separated by commas.")) from exc

    def clean_customer_ids(self) -> list[int] | None:
        text = self.cleaned_data.get("customer_ids") or ""
        ids = [part for part in text.split(",") if part.strip()]
        if not ids:
            return None
        if not all(part.strip().isdigit() for part in ids):
            raise forms.ValidationError(_("The selection is not valid."))
        return [int(part) for part in ids]

    def plan_args(self) -> dict:
        data = self.cleaned_data
        to_users = list(data["to_users"])  # in the order the form lists them, which the split follows
        return {
            "from_user": data["from_user"], "to_users": to_users, "customer_ids": data.get("customer_ids"),
            "mode": data["mode"], "split": data.get("split"),
        }
