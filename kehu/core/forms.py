"""Pages that write through a service: one way to turn the service's answer into form errors
and a status code (`save_form`), or into a flashed message for a one-button action
(`run_and_flash`).

A page binds its form, then hands `save_form` the service call as a function of no arguments;
`save_form` runs it only for a valid POST and answers what happened:

    outcome = save_form(request, form, lambda: services.customer_update(...),
                        success=lambda _: _("Customer %(name)s was saved.") % {...})
    if outcome.saved:
        return redirect(...)
    return render(request, template, context, status=outcome.status)

Permission and visibility errors (PermissionDenied, Http404) are not caught: the page answers
403/404 as anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from kehu.accounts.services import StaleEdit

T = TypeVar("T")


def add_service_errors(
    form: forms.Form, exc: ValidationError, aliases: Mapping[str, str | None] | None = None
) -> None:
    """Put a service's field errors on the form's fields (unknown fields go to the top).

    `aliases` renames a service's error key to the form field that shows it (`None`: the top).
    """
    aliases = aliases or {}
    messages_by_field = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, field_messages in messages_by_field.items():
        name = aliases.get(field, field)
        target = name if name in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What `save_form` did: whether the service saved, what it returned, the status to answer.

    status: 200 nothing was posted (or the save went through), 400 the form or the service
    refused the input, 409 the record changed since the form was read.
    """

    saved: bool
    value: T | None = None
    status: int = 200


def save_form(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[], T],
    *,
    success: str | Callable[[T], str] | None = None,
    aliases: Mapping[str, str | None] | None = None,
    stale_fields: Collection[str] = (),
) -> Saved[T]:
    """Run `save()` when `request` posted a valid `form`; map its refusals onto the form.

    - not a POST: nothing runs (200);
    - the form is invalid: 400;
    - `StaleEdit` (every app's kind of it): its message as the form's top error, 409;
    - `ValidationError`: each message on the field it names (`aliases` renames service keys to
      form fields), 400 — 409 if it names one of `stale_fields` (services that report a stale
      `version` as a field error);
    - saved: `success` (a text, or made from what `save()` returned, after the save so it
      shows the saved names) is flashed with the messages framework.
    """
    if request.method != "POST":
        return Saved(saved=False)
    if not form.is_valid():
        return Saved(saved=False, status=400)
    try:
        value = save()
    except StaleEdit as exc:
        form.add_error(None, str(exc))
        return Saved(saved=False, status=409)
    except ValidationError as exc:
        add_service_errors(form, exc, aliases)
        stale = hasattr(exc, "error_dict") and any(field in exc.error_dict for field in stale_fields)
        return Saved(saved=False, status=409 if stale else 400)
    if success is not None:
        messages.success(request, success(value) if callable(success) else success)
    return Saved(saved=True, value=value)


def run_and_flash(
    request: HttpRequest, act: Callable[[], T], *, success: str | Callable[[T], str]
) -> Saved[T]:
    """Run a one-button service (delete, deactivate, release …) for a page that then redirects.

    Its refusal (`ValidationError`) is flashed as one error message (400); otherwise `success`
    (a text, or made from what `act()` returned) is flashed. Nothing else is caught.
    """
    try:
        value = act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return Saved(saved=False, status=400)
    messages.success(request, success(value) if callable(success) else success)
    return Saved(saved=True, value=value)
