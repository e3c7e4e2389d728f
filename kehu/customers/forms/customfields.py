"""Custom fields (P13) in the archive's forms: the edit fields and the list filters.

The fields come from the definitions when a form is made, named `custom.<key>`
(the services' error keys, so their messages land on the right field); filters
are named `cf_<key>`, the list's query parameters.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from kehu.core.customfields import engine as customfields
from kehu.core.customfields.models import FieldKind


class _CustomFieldsMixin(forms.Form):
    """Adds the record type's custom fields to a form and `custom` to its service_fields().

    The class-level `custom` field exists only so views that build `initial` from
    `base_fields` pass the record's stored values; it is taken out of the form
    again and spread over the `custom.<key>` fields.
    """

    custom_record_type = ""
    custom = forms.JSONField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = self.initial.pop("custom", None)
        del self.fields["custom"]
        self.fields.update(customfields.form_fields(self.custom_record_type))
        for name, value in customfields.form_initial(stored).items():
            self.initial.setdefault(name, value)

    def service_fields(self) -> dict:
        fields = super().service_fields()
        fields["custom"] = customfields.form_values(self.cleaned_data)
        return fields


def custom_fields_mixin(record_type: str) -> type:
    """A form base adding `record_type`'s custom fields (see _CustomFieldsMixin)."""
    return type(f"CustomFields_{record_type.replace('.', '_')}", (_CustomFieldsMixin,),
                {"custom_record_type": record_type})


class _CustomFiltersMixin:
    """Adds a `cf_<key>` filter per active custom field; values are checked like the API's."""

    custom_record_type = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.custom_filter_names = []
        for definition in customfields.definitions(self.custom_record_type):
            name = f"cf_{definition.key}"
            if definition.kind in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE):
                field = forms.ChoiceField(
                    choices=[("", "—"), *((c, c) for c in definition.choices)], required=False
                )
            else:
                field = forms.CharField(required=False, max_length=100)
                if definition.kind in (FieldKind.NUMBER, FieldKind.DATE):
                    field.widget.attrs["placeholder"] = "10..20" if definition.kind == FieldKind.NUMBER \
                        else "2026-01-01..2026-12-31"
            field.label = definition.display_label
            self.fields[name] = field
            self.custom_filter_names.append(name)

    def clean(self) -> dict:
        cleaned = super().clean()
        try:
            customfields.filters_from_query(
                self.custom_record_type, {name: cleaned.get(name) or "" for name in self.custom_filter_names}
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return cleaned

    def custom_filters(self):
        """The bound filter fields, for the template."""
        return [self[name] for name in self.custom_filter_names]


def custom_filters_mixin(record_type: str) -> type:
    return type(f"CustomFilters_{record_type.replace('.', '_')}", (_CustomFiltersMixin,),
                {"custom_record_type": record_type})
