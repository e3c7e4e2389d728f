"""The definition form: types and widgets; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kehu.core.customfields.models import FieldDefinition
from kehu.core.customfields.registry import target_choices


class DefinitionForm(forms.ModelForm):
    choices = forms.CharField(
        label=_("choices"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For choice fields: one choice per line."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FieldDefinition
        fields = ("record_type", "key", "label", "label_en", "kind", "choices", "required", "help_text",
                  "order", "is_active")

    def __init__(self, *args, creating: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"] = forms.ChoiceField(label=_("record type"), choices=target_choices())
        self.fields["order"].required = False
        if creating:
            self.fields["key"].help_text = _(
                "Lower-case letters, digits and _, e.g. grade. It cannot change later."
            )
        else:
            for name in ("record_type", "key"):
                del self.fields[name]
            self.fields["version"].initial = self.instance.version
            self.initial["choices"] = "\n".join(self.instance.choices or [])

    def _post_clean(self) -> None:
        """Model validation happens in the services."""

    def service_fields(self) -> dict:
        names = ("label", "label_en", "kind", "choices", "required", "help_text", "order", "is_active")
        fields = {name: self.cleaned_data.get(name) for name in names if name in self.fields}
        if fields.get("order") is None:
            fields.pop("order", None)  # empty: keep the place it has (or go last when new)
        return fields
