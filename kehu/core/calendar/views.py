"""Pages under /settings/calendar/: month view, calculator, business hours, overrides."""

from __future__ import annotations

import calendar as month_math
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kehu.accounts.permissions import access, can, require
from kehu.core.calendar import engine, selectors, services
from kehu.core.calendar.apps import RECORD_TYPE
from kehu.core.calendar.defaults import DEFAULT_CODE
from kehu.core.calendar.explanation import TOO_FAR, amount_field, explanation_lines, holiday_label
from kehu.core.calendar.forms import BusinessHoursForm, CalculatorForm, MonthForm, OverrideForm
from kehu.core.calendar.models import CalendarOverride, ServiceCalendar
from kehu.core.forms import save_form

# Column heads of the month grid, Monday first (a context keeps them apart from Django's "Mon").
WEEKDAY_NAMES = [
    pgettext_lazy("weekday column", "Mon"),
    pgettext_lazy("weekday column", "Tue"),
    pgettext_lazy("weekday column", "Wed"),
    pgettext_lazy("weekday column", "Thu"),
    pgettext_lazy("weekday column", "Fri"),
    pgettext_lazy("weekday column", "Sat"),
    pgettext_lazy("weekday column", "Sun"),
]


def _rights(user) -> dict[str, bool]:
    return {
        "can_edit": can(user, RECORD_TYPE, "edit"),
        "can_create": can(user, RECORD_TYPE, "create"),
        "can_delete": can(user, RECORD_TYPE, "delete"),
    }


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


@login_required
def calendar_month(request: HttpRequest) -> HttpResponse:
    """A month grid: working days, statutory holidays, 调休 make-up days, company overrides."""
    require(request.user, RECORD_TYPE, "view")
    today = timezone.localdate()
    form = MonthForm(request.GET or None)
    year, month, code = today.year, today.month, DEFAULT_CODE
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"] or year
        month = form.cleaned_data["month"] or month
        code = form.cleaned_data["calendar"] or code
    calendar = selectors.load_calendar(code)
    first = dt.date(year, month, 1)
    weeks = []
    for week in month_math.Calendar(firstweekday=0).monthdatescalendar(year, month):
        infos = [calendar.day_info(day) for day in week]
        weeks.append(
            [
                {
                    "info": info,
                    "label": holiday_label(info.holiday),
                    "in_month": info.date.month == month,
                    "is_today": info.date == today,
                }
                for info in infos
            ]
        )
    prev_year, prev_month = _shift_month(year, month, -1)
    next_year, next_month = _shift_month(year, month, 1)
    context = {
        "form": form,
        "calendar": calendar,
        "calendars": selectors.calendar_list(),
        "business_hours": engine.format_business_hours(calendar.periods),
        "first": first,
        "weeks": weeks,
        "statutory_data": engine.has_statutory_data(year),
        "prev": {"year": prev_year, "month": prev_month},
        "next": {"year": next_year, "month": next_month},
        "weekday_names": WEEKDAY_NAMES,
        **_rights(request.user),
    }
    template = "calendar/calendar_month.html"
    if request.htmx:
        template += "#month-grid"
    return render(request, template, context)


@login_required
def calendar_calculator(request: HttpRequest) -> HttpResponse:
    """Start + working days / half days / hours → due, with the steps that led there."""
    require(request.user, RECORD_TYPE, "view")
    initial = {"start": timezone.localtime().replace(second=0, microsecond=0)}
    form = CalculatorForm(request.GET or None, initial=initial)
    result = lines = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        calendar = selectors.load_calendar(data["calendar"])
        days, half_days, hours = data["days"] or 0, data["half_days"] or 0, data["hours"] or 0
        try:
            result = calendar.explain(
                timezone.localtime(data["start"], engine.SHANGHAI),
                days=days,
                half_days=half_days,
                hours=hours,
            )
        except engine.OutOfRangeError:
            form.add_error(amount_field(days, half_days, hours), str(TOO_FAR))
        else:
            lines = explanation_lines(result, calendar, days=days, half_days=half_days)
    template = "calendar/calendar_calculator.html"
    if request.htmx:
        template += "#result"
    return render(request, template, {"form": form, "result": result, "lines": lines})


@login_required
@require_http_methods(["GET", "POST"])
def business_hours_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Administrators change a 5×8 calendar's business hours."""
    pk = ServiceCalendar.objects.filter(code=code).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404
    calendar = access(request.user, ServiceCalendar, pk, "edit")
    if calendar.kind != engine.BUSINESS_HOURS:
        raise Http404
    initial = {"business_hours": calendar.business_hours_text, "version": calendar.version}
    form = BusinessHoursForm(request.POST or None, initial=initial)
    outcome = save_form(
        request, form,
        lambda: services.calendar_set_business_hours(
            actor=request.user,
            calendar=calendar,
            business_hours=form.cleaned_data["business_hours"],
            version=form.cleaned_data["version"],
        ),
        success=_("Business hours saved."),
        aliases={"version": None},  # a stale version: the page's top error
    )
    if outcome.saved:
        return redirect("calendar:calendar_month")
    return render(
        request, "calendar/business_hours_edit.html", {"form": form, "service_calendar": calendar}
    )


@login_required
@require_http_methods(["GET", "POST"])
def override_list(request: HttpRequest) -> HttpResponse:
    """The company's closed and working days; administrators add them here."""
    require(request.user, RECORD_TYPE, "view")
    form = OverrideForm(request.POST or None)
    if request.method == "POST":
        require(request.user, RECORD_TYPE, "create")
    outcome = save_form(
        request, form, lambda: services.calendar_override_set(actor=request.user, **form.cleaned_data),
        success=_("Company day saved."),
    )
    if outcome.saved:
        return redirect("calendar:override_list")
    return render(
        request,
        "calendar/override_list.html",
        {"form": form, "overrides": selectors.override_list(), **_rights(request.user)},
    )


@login_required
@require_POST
def override_delete(request: HttpRequest, date: str) -> HttpResponse:
    """Remove a company day; the date follows the statutory calendar again."""
    require(request.user, RECORD_TYPE, "view")
    try:
        day = dt.date.fromisoformat(date)
    except ValueError as exc:
        raise Http404 from exc
    override = get_object_or_404(CalendarOverride, date=day)
    require(request.user, RECORD_TYPE, "delete")
    services.calendar_override_delete(actor=request.user, override=override)
    messages.success(request, _("Company day removed."))
    return redirect("calendar:override_list")
