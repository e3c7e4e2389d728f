"""The API root: /api/v1/, one router per app, one error format, token or session auth."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema

from kehu.core.api.auth import BearerToken, SessionAuth
from kehu.core.api.docs import LoginRequiredSwagger
from kehu.core.api.errors import document_error_answers, install_error_handlers


class KehuAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """The generated schema plus the error answers every operation can give."""
        return document_error_answers(super().get_openapi_schema(**kwargs))

    def get_openapi_operation_id(self, operation) -> str:
        """The route's name (or the view's): stable when code moves between modules."""
        return operation.url_name or operation.view_func.__name__


api = KehuAPI(
    title="Kehu API",
    version="1",
    description="Kehu (客户) CRM. Authenticate with `POST /api/v1/auth/token` and send "
    "`Authorization: Bearer <token>`; the pages' session works too (with the CSRF header).",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    docs=LoginRequiredSwagger(),
)
install_error_handlers(api)


class HealthOut(Schema):
    status: str
    database: str
    version: str


@api.get("/health", response=HealthOut, auth=None, tags=["system"], url_name="health")
def health(request: HttpRequest):
    """Liveness and database reachability; no login needed."""
    from django.db import connection

    from kehu import __version__

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor, "version": __version__}


def _mount_routers() -> None:
    from kehu.accounts.api import router as accounts_router
    from kehu.core.attachments.api import router as attachments_router
    from kehu.core.audit.api import router as audit_router
    from kehu.core.calendar.api import router as calendar_router
    from kehu.core.customfields.api import router as customfields_router
    from kehu.core.notifications.api import router as notifications_router
    from kehu.core.numbering.api import router as numbering_router
    from kehu.core.transfer.api import router as imports_router
    from kehu.customers.api import router as customers_router
    from kehu.customers.api.transfer import router as customers_transfer_router

    api.add_router("/", accounts_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/attachments", attachments_router)
    api.add_router("/changes", audit_router)
    api.add_router("/numbering", numbering_router)
    api.add_router("/calendar", calendar_router)
    api.add_router("/custom-fields", customfields_router)
    api.add_router("/imports", imports_router)
    # Before the customers router, whose /{customer_id} would otherwise catch /export.
    api.add_router("/customers", customers_transfer_router)
    api.add_router("/customers", customers_router)


_mount_routers()
