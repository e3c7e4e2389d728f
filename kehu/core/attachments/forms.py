from django import forms
from django.utils.translation import gettext_lazy as _


class AttachmentUploadForm(forms.Form):
    """One file; the type and size checks live in the service, for every door."""

    file = forms.FileField(label=_("File"), error_messages={"required": _("Choose a file to upload.")})
