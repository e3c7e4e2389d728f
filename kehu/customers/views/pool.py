"""公海 pool pages: the pool list with a claim button per row (HTMX), release, the rules page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kehu.accounts.permissions import can, require
from kehu.core.api.pagination import paginate
from kehu.core.forms import run_and_flash, save_form
from kehu.customers import selectors, services
from kehu.customers.apps import CUSTOMER, POOL_RULES
from kehu.customers.forms import PoolFilterForm, PoolRulesForm, ReleaseForm
from kehu.customers.models import Customer
from kehu.customers.services.pool import RULE_FIELDS

PAGE_SIZE = 50


def _allowance_context(user) -> dict:
    return {"allowance": selectors.claim_allowance(user), "may_claim": can(user, CUSTOMER, "edit")}


@login_required
def pool_list(request: HttpRequest) -> HttpResponse:
    """The pool I may see; search like the customer list; my claims today against the limit."""
    filters = PoolFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    customers = selectors.pool_list(
        actor=request.user, q=values.get("q", ""), level=values.get("level", ""), reason=values.get("reason", ""),
    )
    try:
        page = paginate(customers, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE, ordering="-updated_at")
    except ValidationError:
        page = paginate(customers, limit=PAGE_SIZE, ordering="-updated_at")
    rows = page["items"]
    # Names link to the 360° page only where the user's ordinary scope reaches (one query).
    openable = set(
        Customer.objects.visible_to(request.user).filter(pk__in=[c.pk for c in rows]).values_list("pk", flat=True)
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "filters": filters,
        "rows": [(c, c.pk in openable) for c in rows],
        "next_cursor": page["next_cursor"],
        "query": query.urlencode(),
        **_allowance_context(request.user),
    }
    template = "customers/pool_rows.html" if request.htmx else "customers/pool_list.html"
    return render(request, template, context)


@login_required
@require_POST
def pool_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """Claim one pooled customer; HTMX answers the row (claimed, or why not) and the allowance."""
    customer = selectors.pool_get_for_claim(actor=request.user, pk=pk)
    error = ""
    try:
        customer = services.customer_claim(actor=request.user, customer=customer)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        context = {"customer": customer, "claimed": not error, "error": error, "openable": not error,
                   "oob": True, **_allowance_context(request.user)}
        return render(request, "customers/pool_row.html", context)
    if error:
        messages.error(request, error)
        return redirect("customers:pool_list")
    messages.success(request, _("You now own customer %(name)s.") % {"name": customer.name})
    return redirect("customers:customer_detail", customer.pk)


@login_required
@require_POST
def pool_release(request: HttpRequest, pk: int) -> HttpResponse:
    """Release a customer to the pool with a reason (the owner, or a manager)."""
    customer = selectors.customer_get(actor=request.user, pk=pk, action="edit")
    form = ReleaseForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else request.POST.get("reason", "")
    released = run_and_flash(
        request, lambda: services.customer_release(actor=request.user, customer=customer, reason=reason),
        success=lambda _done: _("Customer %(name)s is now in the public pool.") % {"name": customer.name},
    )
    if not released.saved:
        return redirect("customers:customer_detail", customer.pk)
    return redirect("customers:pool_list")


@login_required
@require_http_methods(["GET", "POST"])
def pool_rules(request: HttpRequest) -> HttpResponse:
    """The pool rules: everyone who may view customers reads them; administrators change them."""
    if request.method == "POST":
        require(request.user, POOL_RULES, "edit")
    rules = selectors.pool_rules_for(actor=request.user)
    may_edit = can(request.user, POOL_RULES, "edit")
    initial = {name: getattr(rules, name) for name in RULE_FIELDS}
    initial["version"] = rules.version
    form = PoolRulesForm(request.POST or None, initial=initial)
    outcome = save_form(
        request, form,
        lambda: services.pool_rules_update(
            actor=request.user, version=form.cleaned_data.get("version") or 0,
            **{name: form.cleaned_data.get(name) for name in RULE_FIELDS},
        ),
        success=_("The public pool rules were saved."),
    )
    if outcome.saved:
        return redirect("customers:pool_rules")
    context = {"form": form, "rules": rules, "may_edit": may_edit}
    return render(request, "customers/pool_rules.html", context, status=outcome.status)
