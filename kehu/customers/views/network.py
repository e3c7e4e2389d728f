"""Network pages (C4): the full tree with roll-ups and coverage, setting the distributor with a
search-as-you-type picker, and the section on the 360° page (templatetags/customer_network.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kehu.accounts.permissions import can
from kehu.core.forms import run_and_flash, save_form
from kehu.customers import selectors, services
from kehu.customers.apps import CUSTOMER
from kehu.customers.forms.network import NetworkPeriodForm, ParentForm


@login_required
@require_GET
def network_tree(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer's network: indented tree, sales roll-ups over the chosen period, coverage by region."""
    customer = selectors.customer_get(actor=request.user, pk=pk)
    period = NetworkPeriodForm(request.GET or None)
    values = period.cleaned_data if period.is_valid() else {}
    network = selectors.network_get(
        actor=request.user, customer=customer, date_from=values.get("date_from"), date_to=values.get("date_to")
    )
    if not period.is_bound:
        period = NetworkPeriodForm(initial={"date_from": network.date_from, "date_to": network.date_to})
    context = {
        "customer": customer, "network": network, "period": period,
        "may_edit": can(request.user, CUSTOMER, "edit") and customer.is_active,
    }
    return render(request, "customers/network_tree.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def network_parent(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the distributor above this customer (and its channel role)."""
    customer = selectors.customer_get(actor=request.user, pk=pk, action="edit")
    form = ParentForm(
        request.POST or None, initial={"version": customer.version, "channel_role": customer.channel_role}
    )

    def save() -> None:
        data = form.cleaned_data
        if data.get("parent_id") is None and not data.get("q"):
            # No distributor chosen: only the channel role changes (e.g. a 总经销 at the top).
            services.customer_set_channel_role(
                actor=request.user, customer=customer, channel_role=data.get("channel_role") or "",
                version=data.get("version"),
            )
        else:
            services.customer_set_parent(
                actor=request.user, customer=customer, parent=data.get("parent_id"),
                channel_role=data.get("channel_role") or "", version=data.get("version"),
            )

    def done(_saved: None) -> str:
        if customer.parent_id and form.cleaned_data.get("parent_id"):
            return _("%(customer)s is now below %(parent)s.") % {"customer": customer.name, "parent": customer.parent.name}
        return _("Customer %(name)s was saved.") % {"name": customer.name}

    outcome = save_form(request, form, save, success=done, aliases={"parent": "q"})
    if outcome.saved:
        return redirect("customers:network_tree", customer.pk)
    context = {
        "customer": customer, "form": form, "parent": selectors.parent_node(actor=request.user, customer=customer),
    }
    return render(request, "customers/network_parent_form.html", context, status=outcome.status)


@login_required
@require_GET
def network_parent_search(request: HttpRequest, pk: int) -> HttpResponse:
    """The picker's results (an HTMX partial): customers I may link, not this one nor any below it."""
    customer = selectors.customer_get(actor=request.user, pk=pk, action="edit")
    q = request.GET.get("q", "")
    candidates = selectors.parent_candidates(actor=request.user, customer=customer, q=q)
    return render(request, "customers/_network_parent_results.html", {"candidates": candidates, "q": q})


@login_required
@require_POST
def network_parent_clear(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(actor=request.user, pk=pk, action="edit")
    run_and_flash(
        request, lambda: services.customer_clear_parent(actor=request.user, customer=customer),
        success=_("%(customer)s no longer has a distributor above it.") % {"customer": customer.name},
    )
    return redirect("customers:network_tree", customer.pk)
