"""One error format for the whole API: {"detail": …, "errors": [{"field": …, "message": …}]}."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kehu.core.middleware import is_busy_error


class ErrorItem(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    """Every error answer of the API: {"detail": ..., "errors": [{"field", "message"}]}."""

    detail: str
    errors: list[ErrorItem] = []


ERROR_ANSWERS = {
    401: "Not logged in, or the token is unknown, expired or revoked.",
    403: "Logged in, but the role may not do this.",
    404: "No such record, or it is outside the user's data scope.",
    422: "Invalid input: `errors` names each field.",
    503: "The database is busy; retry after the Retry-After header's seconds.",
}


def document_error_answers(schema: dict) -> dict:
    """Add the shared error answers to every operation of an OpenAPI schema (in place)."""
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(error_schema.pop("$defs", {}))
    components.setdefault("ErrorOut", error_schema)
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            answers = operation.setdefault("responses", {})
            codes = [503]
            if operation.get("security"):
                codes += [401, 403]
            if "{" in path:
                codes.append(404)
            if operation.get("parameters") or operation.get("requestBody"):
                codes.append(422)
            for code in codes:
                if code not in answers and str(code) not in answers:
                    answers[code] = {"description": ERROR_ANSWERS[code], **ref}
    return schema


def error_body(detail, errors=None) -> dict:
    return {"detail": str(detail), "errors": errors or []}


def django_validation_errors(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": field if field != "__all__" else None, "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": None, "message": str(m)} for m in exc.messages]


# Pydantic's messages are English only: the common error types get a message in the
# reader's language (with pydantic's ctx values); anything else keeps pydantic's text.
WHOLE_NUMBER = gettext_lazy("Enter a whole number.")
NUMBER = gettext_lazy("Enter a number.")
YES_NO = gettext_lazy("Enter true or false.")
DATE = gettext_lazy("Enter a valid date, e.g. 2026-03-06.")
DATETIME = gettext_lazy("Enter a valid date and time, e.g. 2026-03-06T09:30.")
CHOICE = gettext_lazy("Choose one of: %(expected)s.")
SIMPLE_MESSAGES = {
    "string_type": gettext_lazy("Enter text."),
    "int_parsing": WHOLE_NUMBER,
    "int_type": WHOLE_NUMBER,
    "int_from_float": WHOLE_NUMBER,
    "float_parsing": NUMBER,
    "float_type": NUMBER,
    "decimal_parsing": NUMBER,
    "decimal_type": NUMBER,
    "bool_parsing": YES_NO,
    "bool_type": YES_NO,
    "greater_than": gettext_lazy("Enter a value greater than %(gt)s."),
    "greater_than_equal": gettext_lazy("Enter a value of at least %(ge)s."),
    "less_than": gettext_lazy("Enter a value less than %(lt)s."),
    "less_than_equal": gettext_lazy("Enter a value of at most %(le)s."),
    "date_parsing": DATE,
    "date_type": DATE,
    "date_from_datetime_parsing": DATE,
    "date_from_datetime_inexact": DATE,
    "datetime_parsing": DATETIME,
    "datetime_type": DATETIME,
    "datetime_from_date_parsing": DATETIME,
    "enum": CHOICE,
    "literal_error": CHOICE,
    "json_invalid": gettext_lazy("The request body is not valid JSON."),
    "json_type": gettext_lazy("The request body is not valid JSON."),
    "list_type": gettext_lazy("Enter a list."),
}


def pydantic_message(error: dict, field: str | None) -> str:
    """The message for one pydantic error, in the active language where it is a common type."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    fallback = str(error.get("msg", ""))
    try:
        if kind == "missing":
            if field:
                return _("“%(field)s” is required.") % {"field": field}
            return str(forms.Field.default_error_messages["required"])  # Django's own wording
        if kind == "value_error":
            # The validator's own message (already written for people), without pydantic's prefix.
            return str(ctx.get("error") or fallback.removeprefix("Value error, "))
        if kind == "string_too_short":
            count = int(ctx["min_length"])
            return ngettext(
                "Enter at least %(min_length)d character.", "Enter at least %(min_length)d characters.", count
            ) % {"min_length": count}
        if kind == "string_too_long":
            count = int(ctx["max_length"])
            return ngettext(
                "Enter at most %(max_length)d character.", "Enter at most %(max_length)d characters.", count
            ) % {"max_length": count}
        message = SIMPLE_MESSAGES.get(kind)
        if message is None:
            return fallback
        return str(message) % {key: str(value) for key, value in ctx.items()}
    except (KeyError, TypeError, ValueError):
        return fallback


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_invalid(request: HttpRequest, exc: NinjaValidationError):
        errors = []
        for error in exc.errors:
            location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload", "form")]
            field = ".".join(location) or None
            errors.append({"field": field, "message": pydantic_message(error, field)})
        return api.create_response(request, error_body(_("The input is not valid."), errors), status=422)

    @api.exception_handler(ValidationError)
    def on_model_invalid(request: HttpRequest, exc: ValidationError):
        return api.create_response(
            request, error_body(_("The input is not valid."), django_validation_errors(exc)), status=422
        )

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404):
        return api.create_response(request, error_body(_("Not found.")), status=404)

    @api.exception_handler(PermissionDenied)
    def on_denied(request: HttpRequest, exc: PermissionDenied):
        return api.create_response(
            request, error_body(_("You do not have permission to do this.")), status=403
        )

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError):
        return api.create_response(request, error_body(_("Authentication required.")), status=401)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError):
        message = exc.message
        if exc.status_code == 400 and str(message).startswith("Cannot parse request body"):
            message = _("The request body is not valid JSON.")  # django-ninja's own, English-only text
        return api.create_response(request, error_body(message), status=exc.status_code)

    @api.exception_handler(Exception)
    def on_other(request: HttpRequest, exc: Exception):
        if is_busy_error(exc):
            response = api.create_response(
                request, error_body(_("The system is busy. Please try again in a moment.")), status=503
            )
            response["Retry-After"] = "2"
            return response
        raise exc
