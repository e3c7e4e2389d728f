"""Archive pages: list with search, 360° detail, create/edit with the live 查重 warning, contacts."""

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
from kehu.customers import normalize, selectors, services
from kehu.customers.apps import CONTACT, CUSTOMER
from kehu.customers.forms import ContactForm, CustomerForm, CustomerSearchForm, SavedFilterForm
from kehu.customers.models import CustomerKind

PAGE_SIZE = 50
LIST_FIELDS = (
    "pk", "name", "short_name", "province", "city", "district", "status", "level", "updated_at", "owner",
    "owner__display_name", "owner__first_name", "owner__last_name", "owner__username",
)


def list_rows(customers) -> list[dict]:
    """What a list row shows, prepared once per page: labels looked up in one dict each,
    dates formatted and links built without a template lookup or URL reversal per row
    (the list is the archive's busiest page)."""
    from django.urls import reverse
    from django.utils import timezone

    from kehu.customers.models import Level, RelationshipStatus

    statuses, levels = dict(RelationshipStatus.choices), dict(Level.choices)
    base = reverse("customers:customer_list")
    return [
        {
            "pk": c.pk, "url": f"{base}{c.pk}/", "name": c.name, "short_name": c.short_name,
            "region": c.region, "status": c.status, "status_label": statuses.get(c.status, c.status),
            "level_label": levels.get(c.level, ""), "owner_name": c.owner.name if c.owner_id else "",
            "updated": timezone.localtime(c.updated_at).strftime("%Y-%m-%d"),
        }
        for c in customers
    ]


@login_required
def customer_list(request: HttpRequest) -> HttpResponse:
    """Customers in scope; search by name, contact, phone digits or pinyin initials; filters."""
    filters = CustomerSearchForm(request.GET or None)
    customers, ordering = selectors.customer_search(actor=request.user, **filters.filter_values())
    # Only what a row shows (and the cursor's field): no search text, custom JSON or decimals to
    # read and convert for 50 rows.
    customers = customers.select_related(None).select_related("owner").only(*LIST_FIELDS, ordering.lstrip("-"))
    try:
        page = paginate(customers, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE, ordering=ordering)
    except ValidationError:
        page = paginate(customers, limit=PAGE_SIZE, ordering=ordering)
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "filters": filters,
        "customers": list_rows(page["items"]),
        "next_cursor": page["next_cursor"],
        "query": query.urlencode(),
        "may_create": can(request.user, CUSTOMER, "create"),
        "saved_filters": selectors.saved_filters_for(actor=request.user),
        "saved_filter_form": SavedFilterForm(initial={"query": selectors.clean_query(query.urlencode())}),
        "may_export": can(request.user, CUSTOMER, "export"),
        "may_import": can(request.user, CUSTOMER, "import"),
    }
    template = "customers/_customer_rows.html" if request.htmx else "customers/customer_list.html"
    return render(request, template, context)


@login_required
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The 360° page: profile, contacts, change log, attachments (timeline joins with later apps)."""
    customer = selectors.customer_get(actor=request.user, pk=pk)
    if customer.merged_into_id:  # a merged alias: its survivor's page (which checks its own scope)
        messages.info(request, _("%(name)s was merged into this customer.") % {"name": customer.name})
        return redirect("customers:customer_detail", customer.merged_into_id)
    unmasked = selectors.may_see_personal_data(request.user, customer)
    contacts = [
        (c, selectors.masked_contact_fields(c, unmasked)) for c in selectors.contacts_for(request.user, customer)
    ]
    context = {
        "customer": customer,
        "masked": selectors.masked_customer_fields(customer, unmasked),
        "contacts": contacts,
        "tags": [tag.name for tag in customer.tags.all()],
        "may_edit": can(request.user, CUSTOMER, "edit"),
        "may_delete": can(request.user, CUSTOMER, "delete"),
        "may_add_contact": can(request.user, CUSTOMER, "edit") and can(request.user, CONTACT, "create"),
        "may_merge": can(request.user, CUSTOMER, "edit") and can(request.user, CUSTOMER, "delete"),
        "may_unmask": not unmasked and can(request.user, CUSTOMER, "unmask"),
    }
    return render(request, "customers/customer_detail.html", context)


def _form_context(form, **extra) -> dict:
    return {"form": form, **extra}


@login_required
@require_http_methods(["GET", "POST"])
def customer_create(request: HttpRequest) -> HttpResponse:
    """A new customer of mine; the duplicate warning updates while I type."""
    require(request.user, CUSTOMER, "create")
    form = CustomerForm(request.POST or None, initial={"kind": CustomerKind.COMPANY, "status": "intent"})
    outcome = save_form(
        request, form, lambda: services.customer_create(actor=request.user, tags=form.tag_list(), **form.service_fields()),
        success=lambda customer: _("Customer %(name)s was created.") % {"name": customer.name},
    )
    if outcome.saved:
        return redirect("customers:customer_detail", outcome.value.pk)
    context = _form_context(form, creating=True)
    return render(request, "customers/customer_form.html", context, status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a customer; a save based on an older version is refused with a clear message."""
    customer = selectors.customer_get(actor=request.user, pk=pk, action="edit")
    initial = {name: getattr(customer, name) for name in CustomerForm.base_fields if hasattr(customer, name)}
    initial["tags"] = ", ".join(tag.name for tag in customer.tags.all())
    initial["version"] = customer.version
    form = CustomerForm(request.POST or None, initial=initial)
    outcome = save_form(
        request, form,
        lambda: services.customer_update(
            actor=request.user, customer=customer, version=form.cleaned_data.get("version") or 0,
            tags=form.tag_list(), **form.service_fields(),
        ),
        success=lambda _saved: _("Customer %(name)s was saved.") % {"name": customer.name},
    )
    if outcome.saved:
        return redirect("customers:customer_detail", customer.pk)
    context = _form_context(form, customer=customer)
    return render(request, "customers/customer_form.html", context, status=outcome.status)


def _switch_active(request: HttpRequest, pk: int, service, done_message: str) -> HttpResponse:
    """Deactivate or restore a customer (the delete right), then back to its page."""
    customer = selectors.customer_get(actor=request.user, pk=pk, action="delete")
    run_and_flash(
        request, lambda: service(actor=request.user, customer=customer),
        success=lambda _done: done_message % {"name": customer.name},
    )
    return redirect("customers:customer_detail", customer.pk)


@login_required
@require_POST
def customer_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _switch_active(request, pk, services.customer_deactivate, _("Customer %(name)s was deactivated."))


@login_required
@require_POST
def customer_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _switch_active(request, pk, services.customer_restore, _("Customer %(name)s was restored."))


@login_required
@require_POST
def duplicate_check(request: HttpRequest) -> HttpResponse:
    """The live 查重 warning of the customer form (an HTMX partial)."""
    data = request.POST
    kind = data.get("kind") if data.get("kind") in CustomerKind.values else CustomerKind.COMPANY
    exclude = data.get("exclude_id") or None
    matches = selectors.find_duplicates(
        actor=request.user, name=data.get("name", ""), credit_code=data.get("credit_code", ""),
        city=data.get("city", ""), phones=[data.get("phone", "")], kind=kind,
        exclude_pk=int(exclude) if exclude and exclude.isdigit() else None,
    )
    key = normalize.name_key(data.get("name", "")) if kind == CustomerKind.COMPANY else ""
    context = {"matches": matches, "name_key": key, "merge_into": None}
    if exclude and exclude.isdigit() and can(request.user, CUSTOMER, "edit") and can(request.user, CUSTOMER, "delete"):
        context["merge_into"] = int(exclude)  # editing a customer: offer to merge a duplicate into it
    return render(request, "customers/_duplicates.html", context)


# --- contacts --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    # The form itself is refused early; the service checks again on save.
    customer = selectors.customer_get(actor=request.user, pk=pk, action="edit")
    require(request.user, CONTACT, "create")
    form = ContactForm(request.POST or None)
    outcome = save_form(
        request, form, lambda: services.contact_create(actor=request.user, customer=customer, **form.service_fields()),
        success=lambda contact: _("Contact %(name)s was added.") % {"name": contact.name},
    )
    if outcome.saved:
        return redirect("customers:customer_detail", customer.pk)
    context = {"form": form, "customer": customer, "creating": True}
    return render(request, "customers/contact_form.html", context, status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    contact = selectors.contact_get(actor=request.user, customer_id=pk, contact_id=contact_pk, action="edit")
    customer = contact.customer
    initial = {name: getattr(contact, name) for name in ContactForm.base_fields if hasattr(contact, name)}
    initial["version"] = contact.version
    form = ContactForm(request.POST or None, initial=initial)
    outcome = save_form(
        request, form,
        lambda: services.contact_update(
            actor=request.user, contact=contact, version=form.cleaned_data.get("version") or 0,
            **form.service_fields(),
        ),
        success=lambda _saved: _("Contact %(name)s was saved.") % {"name": contact.name},
    )
    if outcome.saved:
        return redirect("customers:customer_detail", customer.pk)
    context = {"form": form, "customer": customer, "contact": contact}
    return render(request, "customers/contact_form.html", context, status=outcome.status)


@login_required
@require_POST
def contact_delete(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    contact = selectors.contact_get(actor=request.user, customer_id=pk, contact_id=contact_pk, action="edit")
    customer = contact.customer
    services.contact_delete(actor=request.user, contact=contact)
    messages.success(request, _("Contact %(name)s was removed.") % {"name": contact.name})
    return redirect("customers:customer_detail", customer.pk)
