"""Customers export under /api/v1/customers/export (the import is the engine's /api/v1/imports)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from kehu.core.api.errors import ErrorOut
from kehu.core.transfer.export import FORMATS, export_response
from kehu.core.transfer.registry import labels
from kehu.customers.schemas import CustomerFilter
from kehu.customers.selectors.transfer import CustomerExporter, export_filename

router = Router(tags=["customers"])


@router.get("/export", response={200: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            url_name="customers_export")
def customers_export(request: HttpRequest, filters: Query[CustomerFilter], format: str = "xlsx"):
    """The customers in your scope with the list's filters, as .xlsx or CSV (UTF-8 with BOM).

    Personal data is masked as on the pages; cells that could run as formulas are prefixed with '.
    Needs the export right.
    """
    if format not in FORMATS:
        raise HttpError(422, "format: xlsx or csv")
    exporter = CustomerExporter()
    rows = exporter.rows(actor=request.user, **filters.dict())
    return export_response(format, export_filename(), labels(exporter.columns), rows)
