"""The export button of the customer list: the list's filters, as .xlsx or CSV."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from kehu.core.transfer.export import export_response
from kehu.core.transfer.registry import labels
from kehu.customers.forms import CustomerSearchForm
from kehu.customers.selectors.transfer import CustomerExporter, export_filename


@login_required
def customer_export(request: HttpRequest) -> HttpResponse:
    """Customers in scope with the current filters; masked as on the pages; formulas neutralised."""
    filters = CustomerSearchForm(request.GET or None)
    exporter = CustomerExporter()
    rows = exporter.rows(actor=request.user, **filters.filter_values())
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return export_response(fmt, export_filename(), labels(exporter.columns), rows)
