"""One error format for the whole API: {"detail": …, "errors": [{"field": …, "message": …}]}."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kehu.core.middleware import is_busy_error


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


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_invalid(request: HttpRequest, exc: NinjaValidationError):
        errors = []
        for error in exc.errors:
            location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload", "form")]
            errors.append({"field": ".".join(location) or None, "message": error.get("msg", "")})
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
        return api.create_response(request, error_body(exc.message), status=exc.status_code)

    @api.exception_handler(Exception)
    def on_other(request: HttpRequest, exc: Exception):
        if is_busy_error(exc):
            response = api.create_response(
                request, error_body(_("The system is busy. Please try again in a moment.")), status=503
            )
            response["Retry-After"] = "2"
            return response
        raise exc
