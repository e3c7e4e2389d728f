"""Forms of the import pages: they render and type-check; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    record_type = forms.ChoiceField(label=_("What to import"))
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def __init__(self, *args, importers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [(imp.record_type, imp.verbose_name) for imp in importers]
        self.fields["file"].widget.attrs.update({"accept": ".xlsx,.csv", "data-testid": "import-file"})
        self.fields["record_type"].widget.attrs["data-testid"] = "import-record-type"
