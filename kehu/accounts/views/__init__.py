"""Accounts pages: login, profile, and user/department/role administration."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's field errors on the form's fields (unknown fields go to the top)."""
    aliases = aliases or {}
    messages = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, field_messages in messages.items():
        name = aliases.get(field, field)
        target = name if name in form.fields else None
        for message in field_messages:
            form.add_error(target, message)
