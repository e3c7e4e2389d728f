"""The pattern edit form: the model's own validation, plus the version it was read at."""

from __future__ import annotations

from django import forms

from kehu.core.numbering.models import NumberPattern
from kehu.core.numbering.services import EDITABLE_FIELDS


class NumberPatternForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = NumberPattern
        fields = EDITABLE_FIELDS
        widgets = {
            "prefix": forms.TextInput(attrs={"pattern": "[A-Za-z0-9-]*", "autocomplete": "off"}),
            "infix": forms.TextInput(attrs={"pattern": "[A-Za-z0-9-]*", "autocomplete": "off"}),
            "suffix": forms.TextInput(attrs={"pattern": "[A-Za-z0-9-]*", "autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["width"].widget.attrs.update({"min": 3, "max": 10})
