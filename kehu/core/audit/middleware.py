"""Puts the request's user into the audit context for the length of the request."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from kehu.core.audit.context import audit_request


class AuditActorMiddleware:
    """Sits after AuthenticationMiddleware; the change log then knows who changed what."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_request(request):
            return self.get_response(request)
