"""Saved filters of the customer list (C11): save the current query under a name, delete one."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from kehu.core.forms import run_and_flash
from kehu.customers import selectors, services
from kehu.customers.forms import CustomerSearchForm, SavedFilterForm


def _list(request: HttpRequest, query: str = "") -> HttpResponse:
    url = reverse("customers:customer_list")
    url = f"{url}?{query}" if query else url
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _posted_query(request: HttpRequest) -> str:
    """The list's filters as sent along (HTMX includes the filter form), else the page's hidden copy."""
    fields = {name: request.POST.getlist(name) for name in CustomerSearchForm.base_fields if name in request.POST}
    return urlencode(fields, doseq=True) if fields else request.POST.get("query", "")


@login_required
@require_POST
def search_saved_filter_save(request: HttpRequest) -> HttpResponse:
    form = SavedFilterForm(request.POST)
    query = _posted_query(request)
    if not form.is_valid():
        messages.error(request, _("Give the filter a name."))
        return _list(request, query)
    outcome = run_and_flash(
        request, lambda: services.saved_filter_save(actor=request.user, name=form.cleaned_data["name"], query=query),
        success=lambda saved: _("Filter %(name)s was saved.") % {"name": saved.name},
    )
    return _list(request, outcome.value.query if outcome.saved else query)


@login_required
@require_POST
def search_saved_filter_delete(request: HttpRequest, filter_pk: int) -> HttpResponse:
    saved = get_object_or_404(selectors.saved_filters_for(actor=request.user), pk=filter_pk)
    services.saved_filter_delete(actor=request.user, saved_filter=saved)
    messages.success(request, _("Filter %(name)s was deleted.") % {"name": saved.name})
    return _list(request)
