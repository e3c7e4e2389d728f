"""Merge pages (C7): choose the other customer, compare side by side, choose per field, confirm."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kehu.accounts.permissions import require
from kehu.core.forms import save_form
from kehu.customers import selectors, services
from kehu.customers.apps import CUSTOMER


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def merge_customer(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge another customer into this one (this one stays): search, preview, confirm."""
    survivor = selectors.customer_get(actor=request.user, pk=pk, action="edit")
    require(request.user, CUSTOMER, "delete")
    data = request.POST if request.method == "POST" else request.GET
    other_id = _int(data.get("other"))
    context = {"customer": survivor, "q": request.GET.get("q", "").strip()[:100], "errors": []}
    if other_id is None:
        context["candidates"] = selectors.merge_candidates(actor=request.user, customer=survivor, q=context["q"])
        return render(request, "customers/merge_choose.html", context)

    survivor, loser = selectors.merge_pair(actor=request.user, survivor_id=pk, loser_id=other_id)
    status = 200
    if request.method == "POST":
        choices = {
            name: request.POST[f"choice_{name}"] for name in selectors.MERGE_FIELDS if f"choice_{name}" in request.POST
        }
        refusals = forms.Form(request.POST)  # no fields: it only collects what the service refuses
        outcome = save_form(
            request, refusals,
            lambda: services.customer_merge(
                actor=request.user, survivor=survivor, loser=loser,
                survivor_version=_int(request.POST.get("version")) or 0,
                loser_version=_int(request.POST.get("loser_version")) or 0, choices=choices,
            ),
            success=lambda result: _("%(loser)s was merged into %(survivor)s.")
            % {"loser": result.loser.name, "survivor": result.survivor.name},
        )
        if outcome.saved:
            return redirect("customers:customer_detail", outcome.value.survivor.pk)
        context["errors"], status = refusals.non_field_errors(), outcome.status
        survivor, loser = selectors.merge_pair(actor=request.user, survivor_id=pk, loser_id=other_id)
    context["preview"] = selectors.merge_preview(actor=request.user, survivor=survivor, loser=loser)
    for row in context["preview"]["fields"]:  # a refused confirm keeps what was chosen
        row["take"] = request.POST.get(f"choice_{row['name']}") == services.LOSER
    return render(request, "customers/merge_preview.html", context, status=status)
