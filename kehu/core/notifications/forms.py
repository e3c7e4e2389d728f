"""The channel-preferences form on the inbox page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(label=_("Also send my notifications by email"), required=False)
    sms_enabled = forms.BooleanField(label=_("Also send my notifications by SMS"), required=False)
