"""Classification pages (C5): the ABC table, the pyramid rules, assessments due, and the
360° page's classification section (its forms post here and get the section back by HTMX)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kehu.accounts.permissions import can, require
from kehu.core.forms import save_form
from kehu.customers import selectors, services
from kehu.customers.apps import CUSTOMER
from kehu.customers.forms import (
    AbcPeriodForm,
    AbcRecomputeForm,
    AssessmentForm,
    LevelRuleForm,
    ManualLevelForm,
    SpendEstimateForm,
)
from kehu.customers.models import Customer, LevelRule, LevelSource
from kehu.customers.selectors.classification import ABC_SORTS

SORT_COLUMNS = ("rank", "name", "transactions", "loyalty", "class")


# --- the 360° section ---------------------------------------------------------------------------


def section_context(request: HttpRequest, customer: Customer, **forms) -> dict:
    """What `_classification.html` shows: level and how it was set, the ABC line with its
    figures, the latest assessment, and (to those who may edit) the forms."""
    record = selectors.classification_of(customer)
    may_edit = can(request.user, CUSTOMER, "edit") and customer.is_active
    latest = selectors.assessments(actor=request.user, customer=customer).first()
    return {
        "customer": customer,
        "record": record,
        "manual": bool(record and record.level_source == LevelSource.MANUAL),
        "row": selectors.abc_row_for(actor=request.user, customer=customer),
        "latest_assessment": latest,
        "current_period": services.current_assessment_period(),
        "may_edit": may_edit,
        "level_form": forms.get("level_form") or ManualLevelForm(),
        "estimate_form": forms.get("estimate_form") or SpendEstimateForm(
            initial={"annual_spend_estimate": record.annual_spend_estimate if record else None}
        ),
        "assessment_form": forms.get("assessment_form") or AssessmentForm(),
    }


def _section_answer(request: HttpRequest, customer: Customer, done: str | None, **forms) -> HttpResponse:
    """HTMX: the refreshed section (errors shown in it). Plain post: back to the 360° page."""
    if request.htmx:
        customer.refresh_from_db()
        return render(request, "customers/_classification.html", section_context(request, customer, **forms))
    if done:
        messages.success(request, done)
    else:
        for form in forms.values():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
    return redirect("customers:customer_detail", customer.pk)


@login_required
@require_POST
def classification_level(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the level by hand with a reason, or (action=clear) give it back to the rules."""
    customer = selectors.customer_get(actor=request.user, pk=pk, action="edit")
    form = ManualLevelForm(request.POST)

    def save() -> str:
        if request.POST.get("action") == "clear":
            services.customer_level_clear(actor=request.user, customer=customer)
            return _("The level of %(name)s follows the rules again.") % {"name": customer.name}
        services.customer_level_set(actor=request.user, customer=customer, **form.cleaned_data)
        return _("The level of %(name)s was set by hand.") % {"name": customer.name}

    return _section_answer(request, customer, save_form(request, form, save).value, level_form=form)


@login_required
@require_POST
def classification_estimate(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer's estimated annual spend in our category (base of the loyalty %)."""
    customer = selectors.customer_get(actor=request.user, pk=pk, action="edit")
    form = SpendEstimateForm(request.POST)
    outcome = save_form(
        request, form,
        lambda: services.customer_spend_estimate_set(
            actor=request.user, customer=customer, amount=form.cleaned_data["annual_spend_estimate"]
        ),
    )
    done = _("The estimated annual spend was saved; loyalty follows at the next ABC computation.")
    return _section_answer(request, customer, done if outcome.saved else None, estimate_form=form)


@login_required
@require_POST
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record this quarter's distributor assessment."""
    customer = selectors.customer_get(actor=request.user, pk=pk, action="edit")
    form = AssessmentForm(request.POST)
    outcome = save_form(
        request, form, lambda: services.assessment_create(actor=request.user, customer=customer, **form.cleaned_data)
    )
    done = _("The assessment of %(name)s was recorded.") % {"name": customer.name}
    return _section_answer(request, customer, done if outcome.saved else None, assessment_form=form)


# --- ABC ---------------------------------------------------------------------------------------


@login_required
def abc_table(request: HttpRequest) -> HttpResponse:
    """The ABC table of a period (the latest when none is chosen): your customers' lines,
    with every figure; cumulative % and rank are over all customers."""
    require(request.user, CUSTOMER, "view")
    period = AbcPeriodForm(request.GET or None)
    values = period.cleaned_data if period.is_valid() else {}
    snapshot = selectors.abc_snapshot(start=values.get("start"), end=values.get("end"))
    sort = request.GET.get("sort", "rank")
    sort = sort if sort in ABC_SORTS else "rank"
    rows = list(selectors.abc_rows(actor=request.user, snapshot=snapshot, sort=sort)) if snapshot else []
    may_compute = can(request.user, CUSTOMER, "transfer")
    default_start, default_end = services.rolling_period()
    a_limit, b_limit = services.abc_limits()  # in use: what the nightly job will use too
    recompute = AbcRecomputeForm(initial={
        "start": snapshot.period_start if snapshot else default_start,
        "end": snapshot.period_end if snapshot else default_end,
        "a_limit": a_limit,
        "b_limit": b_limit,
    })
    base = request.GET.copy()
    base.pop("sort", None)
    columns = []
    for key in SORT_COLUMNS:
        next_sort = f"-{key}" if sort == key else key
        query = base.copy()
        query["sort"] = next_sort
        columns.append((key, "?" + query.urlencode(), sort.lstrip("-") == key, sort.startswith("-")))
    context = {
        "snapshot": snapshot, "rows": rows, "snapshots": selectors.abc_snapshots()[:24],
        "period": period, "recompute": recompute, "may_compute": may_compute, "sort": sort,
        "sort_links": {key: link for key, link, _active, _desc in columns},
    }
    return render(request, "customers/classification_abc.html", context)


@login_required
@require_POST
def abc_recompute(request: HttpRequest) -> HttpResponse:
    """"Recompute now" (managers): levels by the rules, then the ABC snapshot of the period."""
    require(request.user, CUSTOMER, "transfer")
    form = AbcRecomputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the period as two dates."))
        return redirect("customers:abc_table")
    data = form.cleaned_data
    default_start, default_end = services.rolling_period()
    start, end = data.get("start") or default_start, data.get("end") or default_end
    try:
        changed = services.levels_recompute(actor=request.user)
        snapshot = services.abc_recompute(
            actor=request.user, start=start, end=end, a_limit=data.get("a_limit"), b_limit=data.get("b_limit")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("customers:abc_table")
    messages.success(request, _("Recomputed: %(count)d customers in the ABC table, %(changed)d levels changed.")
                     % {"count": snapshot.customer_count, "changed": changed})
    return redirect(reverse("customers:abc_table") + f"?start={snapshot.period_start}&end={snapshot.period_end}")


# --- level rules ---------------------------------------------------------------------------------


def _rule_initial(rule: LevelRule) -> dict:
    initial = {name: getattr(rule, name) for name in LevelRuleForm.base_fields if hasattr(rule, name)}
    initial["industries"] = ", ".join(rule.industries)
    initial["regions"] = ", ".join(rule.regions)
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def level_rules(request: HttpRequest) -> HttpResponse:
    """The pyramid rules in order (everyone who sees customers); managers add rules here."""
    rules = list(selectors.level_rules(actor=request.user))
    may_manage = can(request.user, CUSTOMER, "transfer")
    form = LevelRuleForm(request.POST or None)
    if request.method == "POST":
        require(request.user, CUSTOMER, "transfer")
    outcome = save_form(
        request, form, lambda: services.level_rule_save(actor=request.user, **form.service_fields()),
        success=lambda rule: _("Rule %(name)s was added.") % {"name": rule.name},
    )
    if outcome.saved:
        return redirect("customers:level_rules")
    context = {"rules": rules, "form": form, "may_manage": may_manage}
    return render(request, "customers/classification_rules.html", context, status=outcome.status)


def _rule(request: HttpRequest, rule_pk: int) -> LevelRule:
    require(request.user, CUSTOMER, "transfer")
    rule = selectors.level_rules(actor=request.user).filter(pk=rule_pk).first()
    if rule is None:
        raise Http404
    return rule


@login_required
@require_http_methods(["GET", "POST"])
def level_rule_edit(request: HttpRequest, rule_pk: int) -> HttpResponse:
    rule = _rule(request, rule_pk)
    initial = _rule_initial(rule)
    initial["version"] = rule.version
    form = LevelRuleForm(request.POST or None, initial=initial)
    outcome = save_form(
        request, form,
        lambda: services.level_rule_save(
            actor=request.user, rule=rule, version=form.cleaned_data.get("version") or 0, **form.service_fields(),
        ),
        success=lambda _saved: _("Rule %(name)s was saved.") % {"name": rule.name},
    )
    if outcome.saved:
        return redirect("customers:level_rules")
    context = {"form": form, "rule": rule}
    return render(request, "customers/classification_rule_form.html", context, status=outcome.status)


@login_required
@require_POST
def level_rule_delete(request: HttpRequest, rule_pk: int) -> HttpResponse:
    rule = _rule(request, rule_pk)
    services.level_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Rule %(name)s was deleted.") % {"name": rule.name})
    return redirect("customers:level_rules")


# --- assessments ---------------------------------------------------------------------------------


@login_required
def assessments_due(request: HttpRequest) -> HttpResponse:
    """Customers we trade with that have no distributor assessment this quarter, and the latest ones."""
    require(request.user, CUSTOMER, "view")
    period = services.current_assessment_period()
    context = {
        "period": period,
        "due": list(selectors.assessments_due(actor=request.user, period=period)[:500]),
        "recent": list(selectors.assessments(actor=request.user)[:50]),
    }
    return render(request, "customers/classification_assessments.html", context)
