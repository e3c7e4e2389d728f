"""Handover pages (C9): the list, a new handover previewed then confirmed, one handover's record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kehu.accounts.permissions import can, require
from kehu.core.api.pagination import paginate
from kehu.core.forms import save_form
from kehu.customers import selectors, services
from kehu.customers.apps import CUSTOMER, HANDOVER
from kehu.customers.forms.handover import HandoverForm

PAGE_SIZE = 50


@login_required
@require_GET
def handover_list(request: HttpRequest) -> HttpResponse:
    handovers = selectors.handover_list(actor=request.user)
    try:
        page = paginate(handovers, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE, ordering="-created_at")
    except ValidationError:
        page = paginate(handovers, limit=PAGE_SIZE, ordering="-created_at")
    context = {
        "handovers": page["items"], "next_cursor": page["next_cursor"],
        "may_create": can(request.user, HANDOVER, "create") and can(request.user, CUSTOMER, "transfer"),
    }
    return render(request, "customers/handover_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def handover_create(request: HttpRequest) -> HttpResponse:
    """Step 1 (action=preview): who gets what. Step 2 (action=confirm): hand over exactly that."""
    require(request.user, CUSTOMER, "transfer")
    require(request.user, HANDOVER, "create")
    initial = {"customer_ids": request.GET.get("customer_ids", "")}
    if request.GET.get("from_user", "").isdigit():
        initial["from_user"] = int(request.GET["from_user"])
    form = HandoverForm(request.POST or None, actor=request.user, initial=initial)
    if request.POST.get("action") == "confirm":
        outcome = save_form(
            request, form,
            lambda: services.handover_create(
                actor=request.user, reason=form.cleaned_data["reason"],
                expected_digest=form.cleaned_data.get("digest") or None, **form.plan_args(),
            ),
            success=lambda handover: _("%(count)d customers were handed over.") % {"count": handover.customer_count},
        )
        if outcome.saved:
            return redirect("customers:handover_detail", outcome.value.pk)
        plan = None
    else:  # the empty form, or the preview
        outcome = save_form(request, form, lambda: selectors.handover_plan(actor=request.user, **form.plan_args()))
        plan = outcome.value
    if plan is not None:
        data = form.data.copy()
        data["digest"] = plan.digest
        form = HandoverForm(data, actor=request.user)
        form.is_valid()
    return render(request, "customers/handover_form.html", {"form": form, "plan": plan}, status=outcome.status)


@login_required
@require_GET
def handover_detail(request: HttpRequest, handover_pk: int) -> HttpResponse:
    handover = selectors.handover_get(actor=request.user, pk=handover_pk)
    items = list(selectors.handover_items(handover))
    context = {"handover": handover, "items": items}
    return render(request, "customers/handover_detail.html", context)
