"""save_form and run_and_flash: how a page answers a service's write, through tiny pages of their own."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

from kehu.accounts.services import StaleEdit
from kehu.core.forms import run_and_flash, save_form
from kehu.customers.services import StaleEdit as CustomerStaleEdit


class NoteForm(forms.Form):
    title = forms.CharField(max_length=20)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def note_page(request: HttpRequest, save: Callable[[dict], Any], **options: Any) -> HttpResponse:
    """A page like every edit page: the form, saved through `save`; errors as JSON."""
    form = NoteForm(request.POST or None)
    outcome = save_form(request, form, lambda: save(form.cleaned_data), **options)
    if outcome.saved:
        return HttpResponse(f"saved {outcome.value}", status=302)
    return HttpResponse(json.dumps(form.errors), status=outcome.status)


class Service:
    """Records what it was called with; answers `result`, or raises it when it is an exception."""

    def __init__(self, result: Any = "note 1") -> None:
        self.result, self.calls = result, []

    def __call__(self, data: dict) -> Any:
        self.calls.append(data)
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


def request(method: str = "post", **data: Any) -> HttpRequest:
    made = getattr(RequestFactory(), method)("/notes/", data)
    made._messages = CookieStorage(made)
    return made


def flashed(made: HttpRequest) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(made)]


def test_a_get_shows_the_form_and_saves_nothing():
    service, made = Service(), request("get")

    response = note_page(made, service, success="Saved.")

    assert response.status_code == 200
    assert service.calls == []
    assert flashed(made) == []


def test_an_invalid_form_is_400_and_saves_nothing():
    service, made = Service(), request(title="x" * 21)

    response = note_page(made, service, success="Saved.")

    assert response.status_code == 400
    assert list(json.loads(response.content)) == ["title"]
    assert service.calls == []
    assert flashed(made) == []


def test_a_save_answers_the_value_and_flashes_the_message_made_from_it():
    service, made = Service("note 7"), request(title="Visit", version="3")

    response = note_page(made, service, success=lambda value: f"{value} was saved.")

    assert (response.status_code, response.content) == (302, b"saved note 7")
    assert service.calls == [{"title": "Visit", "version": 3}]
    assert flashed(made) == [("success", "note 7 was saved.")]


def test_a_plain_text_success_message_is_flashed_as_it_is():
    made = request(title="Visit")

    note_page(made, Service(), success="Saved.")

    assert flashed(made) == [("success", "Saved.")]


@pytest.mark.parametrize(
    "stale", [StaleEdit(), CustomerStaleEdit("Visit")], ids=["accounts", "customers"]
)
def test_a_stale_edit_of_any_app_is_409_with_its_message_at_the_top(stale):
    made = request(title="Visit", version="3")

    response = note_page(made, Service(stale), success="Saved.")

    assert response.status_code == 409
    assert json.loads(response.content) == {"__all__": [str(stale)]}
    assert flashed(made) == []


def test_a_refusal_naming_a_field_is_400_on_that_field():
    made = request(title="Visit")
    refusal = ValidationError({"title": ["Too vague.", "Say who."]})

    response = note_page(made, Service(refusal), success="Saved.")

    assert response.status_code == 400
    assert json.loads(response.content) == {"title": ["Too vague.", "Say who."]}
    assert flashed(made) == []


def test_a_refusal_on_an_unknown_field_or_none_goes_to_the_top():
    unknown = note_page(request(title="Visit"), Service(ValidationError({"owner": "Not yours."})))
    plain = note_page(request(title="Visit"), Service(ValidationError("No.")))

    assert (unknown.status_code, json.loads(unknown.content)) == (400, {"__all__": ["Not yours."]})
    assert (plain.status_code, json.loads(plain.content)) == (400, {"__all__": ["No."]})


def test_aliases_put_a_service_key_on_a_form_field_or_at_the_top():
    renamed = note_page(
        request(title="Visit"), Service(ValidationError({"heading": "Too long."})), aliases={"heading": "title"}
    )
    lifted = note_page(
        request(title="Visit"), Service(ValidationError({"version": "Changed."})), aliases={"version": None}
    )

    assert json.loads(renamed.content) == {"title": ["Too long."]}
    assert json.loads(lifted.content) == {"__all__": ["Changed."]}


def test_a_refusal_naming_a_stale_field_is_409():
    stale = note_page(
        request(title="Visit"), Service(ValidationError({"version": "Changed."})), stale_fields=["version"]
    )
    other = note_page(
        request(title="Visit"), Service(ValidationError({"title": "Too vague."})), stale_fields=["version"]
    )

    assert (stale.status_code, json.loads(stale.content)) == (409, {"version": ["Changed."]})
    assert other.status_code == 400


@pytest.mark.parametrize("denial", [PermissionDenied, Http404])
def test_permission_and_visibility_refusals_pass_through(denial):
    made = request(title="Visit")

    with pytest.raises(denial):
        note_page(made, Service(denial()), success="Saved.")
    assert flashed(made) == []


def button_page(request: HttpRequest, act: Callable[[], Any]) -> HttpResponse:
    """A one-button page (delete, release …): act, then back to the list or to the record."""
    outcome = run_and_flash(request, act, success=lambda value: f"{value} was removed.")
    return HttpResponse(status=302, headers={"Location": "/notes/" if outcome.saved else "/notes/1/"})


def test_a_button_that_works_flashes_success_made_from_the_value():
    made = request()

    response = button_page(made, lambda: "note 1")

    assert response["Location"] == "/notes/"
    assert flashed(made) == [("success", "note 1 was removed.")]


def test_a_refused_button_flashes_every_message_of_the_refusal_as_one_error():
    made = request()

    def refuse():
        raise ValidationError({"title": "Still in use.", "owner": "Not yours."})

    response = button_page(made, refuse)

    assert response["Location"] == "/notes/1/"
    assert flashed(made) == [("error", "Still in use. Not yours.")]


def test_a_button_passes_permission_refusals_through():
    made = request()

    def deny():
        raise PermissionDenied

    with pytest.raises(PermissionDenied):
        button_page(made, deny)
    assert flashed(made) == []
