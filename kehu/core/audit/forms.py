"""The global change log's filter form."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kehu.core.audit.selectors import logged_record_types


class ChangeFilterForm(forms.Form):
    """Filters: who, which record type, from and to which day (inclusive)."""

    actor = forms.ModelChoiceField(
        label=_("User"), queryset=get_user_model().objects.all(), required=False, empty_label=_("Everyone")
    )
    record_type = forms.TypedChoiceField(label=_("Record type"), coerce=int, required=False, empty_value=None)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", _("All record types"))] + [
            (ct.pk, str(ct.model_class()._meta.verbose_name) if ct.model_class() else ct.model)
            for ct in logged_record_types()
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned

    def filters(self) -> dict:
        """The selector's keyword filters; none when the form is not valid."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "actor_id": data["actor"].pk if data.get("actor") else None,
            "content_type_id": data.get("record_type"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
