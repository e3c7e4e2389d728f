"""Interactive API docs (Swagger UI from django-ninja's own static files) for logged-in users."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from ninja.openapi.docs import Swagger


class LoginRequiredSwagger(Swagger):
    def render_page(self, request, api, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = super().render_page(request, api, **kwargs)
        # Swagger UI sets inline styles; allow them on this page only.
        response["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
        )
        return response
