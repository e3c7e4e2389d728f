"""Pages of archive cards, the sales record book and the 360° timeline.

The three sections render inside the 360° page (customers/_card_sections.html, through the
`customer_cards` template tags) and on their own as HTMX partials: a form posted from the page
answers with the refreshed section (errors shown in it); without HTMX the forms are full pages
that redirect back to the customer.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kehu.accounts.permissions import can
from kehu.core.forms import save_form
from kehu.customers import selectors, services
from kehu.customers.apps import CUSTOMER
from kehu.customers.forms.card import CardForm, SalesPeriodForm, SalesRecordForm
from kehu.customers.models import Card, CardKind, Customer, card_fields
from kehu.customers.timeline import timeline_for

SALES_PAGE = 50
TIMELINE_PAGE = 30


def _may_edit(user: Any, customer: Customer) -> bool:
    return customer.is_active and can(user, CUSTOMER, "edit")


def card_rows(card: Card) -> list[tuple[str, str]]:
    """(label, text) of a card's kind fields that have a value, for display."""
    rows = []
    values = services.card_values(card)
    for spec in card_fields(card.kind):
        value = values.get(spec.name)
        if value in (None, ""):
            continue
        if spec.type == "choice":
            value = dict(spec.choices).get(value, value)
        elif spec.type == "decimal":
            value = f"¥ {value}"
        rows.append((str(spec.label), str(value)))
    return rows


def card_section_context(request: HttpRequest, customer: Customer, *, form: CardForm | None = None,
                         editing: Card | None = None) -> dict[str, Any]:
    """The 档案卡 section: cards grouped by kind (one query), the open form if any."""
    by_kind: dict[str, list] = {kind: [] for kind in CardKind.values}
    for card in selectors.cards_for(request.user, customer):
        by_kind[card.kind].append((card, card_rows(card)))
    groups = [(kind, label, by_kind[kind]) for kind, label in CardKind.choices]
    return {
        "customer": customer, "card_groups": groups, "card_form": form, "card_editing": editing,
        "may_edit_cards": _may_edit(request.user, customer), "card_count": sum(len(v) for v in by_kind.values()),
    }


def sales_section_context(request: HttpRequest, customer: Customer, *, form: SalesRecordForm | None = None,
                          editing: Any = None) -> dict[str, Any]:
    """The 销售记录本 section: the period's entries (latest first) and its totals."""
    period = SalesPeriodForm(request.GET if "date_from" in request.GET or "date_to" in request.GET else None)
    values = period.cleaned_data if period.is_bound and period.is_valid() else {}
    date_from, date_to = values.get("date_from"), values.get("date_to")
    records = selectors.sales_records_for(request.user, customer)
    if date_from:
        records = records.filter(occurred_on__gte=date_from)
    if date_to:
        records = records.filter(occurred_on__lte=date_to)
    rows = list(records[: SALES_PAGE + 1])
    return {
        "customer": customer, "sales_records": rows[:SALES_PAGE], "sales_truncated": len(rows) > SALES_PAGE,
        "sales_totals": selectors.sales_totals(request.user, customer=customer, date_from=date_from, date_to=date_to),
        "sales_period": period if period.is_bound else SalesPeriodForm(), "sales_form": form,
        "sales_editing": editing, "may_edit_sales": _may_edit(request.user, customer),
    }


def timeline_section_context(request: HttpRequest, customer: Customer, before: str = ""):
    entries, next_before = timeline_for(request.user, customer, limit=TIMELINE_PAGE, before=before)
    return {"customer": customer, "timeline": entries, "timeline_next": next_before or ""}


def _section(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context, status=status)


def _kind(kind: str) -> str:
    if kind not in CardKind.values:
        raise Http404
    return kind


def _back(customer: Customer, anchor: str) -> HttpResponse:
    return redirect(reverse("customers:customer_detail", args=[customer.pk]) + anchor)


# --- cards -----------------------------------------------------------------------------------


@login_required
@require_GET
def card_section(request: HttpRequest, pk: int) -> HttpResponse:
    """The 档案卡 section alone (HTMX refresh)."""
    customer = selectors.customer_get(actor=request.user, pk=pk)
    return _section(request, "customers/card_section.html", card_section_context(request, customer))


@login_required
@require_http_methods(["GET", "POST"])
def card_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Add a card of `kind`: the form (in the section with HTMX), then back to the section."""
    customer = selectors.customer_get(actor=request.user, pk=pk, action="edit")
    kind = _kind(kind)
    form = CardForm(request.POST or None, kind=kind, initial={"card_date": timezone.localdate().isoformat()})
    outcome = save_form(
        request, form,
        lambda: services.card_create(
            actor=request.user, customer=customer, kind=kind, fields=form.kind_values(), **form.common_values()
        ),
        success=None if request.htmx else lambda card: _("Card “%(title)s” was added.") % {"title": card.title},
    )
    if request.htmx:
        context = card_section_context(request, customer, form=None if outcome.saved else form)
        return _section(request, "customers/card_section.html", context)
    if outcome.saved:
        return _back(customer, "#customer-cards")
    context = {"form": form, "customer": customer, "kind_label": CardKind(kind).label, "creating": True}
    return render(request, "customers/card_form.html", context, status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def card_edit(request: HttpRequest, pk: int, card_pk: int) -> HttpResponse:
    """Edit a card; a save based on an older version is refused with a clear message (409)."""
    card = selectors.card_get(actor=request.user, customer_id=pk, card_id=card_pk, action="edit")
    customer = card.customer
    initial = {"card_date": card.card_date.isoformat(), "title": card.title, "summary": card.summary,
               "version": card.version, **{k: v for k, v in services.card_values(card).items() if v is not None}}
    form = CardForm(request.POST or None, kind=card.kind, initial=initial)
    outcome = save_form(
        request, form,
        lambda: services.card_update(
            actor=request.user, card=card, version=form.cleaned_data.get("version") or 0,
            fields=form.kind_values(), **form.common_values(),
        ),
        success=None if request.htmx else lambda _saved: _("Card “%(title)s” was saved.") % {"title": card.title},
    )
    if request.htmx:
        open_form = {} if outcome.saved else {"form": form, "editing": card}
        return _section(request, "customers/card_section.html", card_section_context(request, customer, **open_form))
    if outcome.saved:
        return _back(customer, f"#card-{card.pk}")
    context = {"form": form, "customer": customer, "card": card, "kind_label": card.get_kind_display()}
    return render(request, "customers/card_form.html", context, status=outcome.status)


@login_required
@require_POST
def card_delete(request: HttpRequest, pk: int, card_pk: int) -> HttpResponse:
    card = selectors.card_get(actor=request.user, customer_id=pk, card_id=card_pk, action="edit")
    customer = card.customer
    services.card_delete(actor=request.user, card=card)
    if request.htmx:
        return _section(request, "customers/card_section.html", card_section_context(request, customer))
    messages.success(request, _("Card “%(title)s” was removed.") % {"title": card.title})
    return _back(customer, "#customer-cards")


# --- the sales record book -------------------------------------------------------------------


@login_required
@require_GET
def sales_section(request: HttpRequest, pk: int) -> HttpResponse:
    """The 销售记录本 section alone: the period filter refreshes it (HTMX)."""
    customer = selectors.customer_get(actor=request.user, pk=pk)
    return _section(request, "customers/sales_section.html", sales_section_context(request, customer))


@login_required
@require_http_methods(["GET", "POST"])
def sales_record_create(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(actor=request.user, pk=pk, action="edit")
    form = SalesRecordForm(request.POST or None, initial={"occurred_on": timezone.localdate().isoformat(),
                                                          "quantity": "1"})
    outcome = save_form(
        request, form,
        lambda: services.sales_record_create(actor=request.user, customer=customer, **form.service_fields()),
        success=None if request.htmx else _("The sale was entered in the record book."),
    )
    if request.htmx:
        context = sales_section_context(request, customer, form=None if outcome.saved else form)
        return _section(request, "customers/sales_section.html", context)
    if outcome.saved:
        return _back(customer, "#customer-sales")
    context = {"form": form, "customer": customer, "creating": True}
    return render(request, "customers/sales_record_form.html", context, status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def sales_record_edit(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    record = selectors.sales_record_get(actor=request.user, customer_id=pk, record_id=record_pk, action="edit")
    customer = record.customer
    initial = {"occurred_on": record.occurred_on.isoformat(), "product": record.product,
               "quantity": record.quantity.normalize(), "amount": record.amount, "remarks": record.remarks,
               "version": record.version}
    form = SalesRecordForm(request.POST or None, initial=initial)
    outcome = save_form(
        request, form,
        lambda: services.sales_record_update(
            actor=request.user, record=record, version=form.cleaned_data.get("version") or 0,
            **form.service_fields(),
        ),
        success=None if request.htmx else _("The sale was saved."),
    )
    if request.htmx:
        open_form = {} if outcome.saved else {"form": form, "editing": record}
        return _section(request, "customers/sales_section.html", sales_section_context(request, customer, **open_form))
    if outcome.saved:
        return _back(customer, f"#sale-{record.pk}")
    context = {"form": form, "customer": customer, "record": record}
    return render(request, "customers/sales_record_form.html", context, status=outcome.status)


@login_required
@require_POST
def sales_record_delete(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    record = selectors.sales_record_get(actor=request.user, customer_id=pk, record_id=record_pk, action="edit")
    customer = record.customer
    services.sales_record_delete(actor=request.user, record=record)
    if request.htmx:
        return _section(request, "customers/sales_section.html", sales_section_context(request, customer))
    messages.success(request, _("The sale was removed from the record book."))
    return _back(customer, "#customer-sales")


# --- the timeline ----------------------------------------------------------------------------


@login_required
@require_GET
def customer_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The 时间线 section, or its older entries with `?before=<cursor>` (HTMX "more")."""
    customer = selectors.customer_get(actor=request.user, pk=pk)
    try:
        context = timeline_section_context(request, customer, request.GET.get("before", ""))
    except ValidationError:  # not a cursor of ours: start from the newest
        context = timeline_section_context(request, customer)
    return _section(request, "customers/timeline_section.html", context)
