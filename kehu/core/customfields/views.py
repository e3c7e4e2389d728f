"""Pages under /settings/custom-fields/: the definitions per record type, add and edit."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kehu.accounts.permissions import require
from kehu.core.customfields import selectors, services
from kehu.core.customfields.forms import DefinitionForm
from kehu.core.customfields.models import RECORD_TYPE
from kehu.core.customfields.registry import target_for
from kehu.core.forms import save_form


@login_required
@require_GET
def definition_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.definition_list(actor=request.user)
    groups = []
    for record_type, items in groupby(rows, key=lambda d: d.record_type):
        target = target_for(record_type)
        groups.append({"record_type": record_type, "name": target.verbose_name if target else record_type,
                       "definitions": list(items)})
    return render(
        request, "customfields/definition_list.html",
        {"groups": groups, "may_manage": selectors.may_manage(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def definition_create(request: HttpRequest) -> HttpResponse:
    require(request.user, RECORD_TYPE, "create")
    initial = {"record_type": request.GET.get("record_type", ""), "is_active": True}
    form = DefinitionForm(request.POST or None, initial=initial, creating=True)
    outcome = save_form(
        request, form,
        lambda: services.definition_create(
            actor=request.user, record_type=form.cleaned_data["record_type"], key=form.cleaned_data["key"],
            **form.service_fields(),
        ),
        success=lambda definition: _("The custom field %(label)s was added.") % {"label": definition.label},
    )
    if outcome.saved:
        return redirect("customfields:definition_list")
    context = {"form": form, "creating": True}
    return render(request, "customfields/definition_form.html", context, status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def definition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    definition = selectors.definition_get(actor=request.user, pk=pk, action="edit")
    form = DefinitionForm(request.POST or None, instance=definition)
    outcome = save_form(
        request, form,
        lambda: services.definition_update(
            actor=request.user, definition=selectors.definition_get(actor=request.user, pk=pk),
            version=form.cleaned_data.get("version") or 0, **form.service_fields(),
        ),
        success=lambda _saved: _("The custom field %(label)s was saved.") % {"label": definition.label},
        stale_fields=["version"],
    )
    if outcome.saved:
        return redirect("customfields:definition_list")
    saved = selectors.definition_get(actor=request.user, pk=pk)
    context = {"form": form, "definition": saved}
    return render(request, "customfields/definition_form.html", context, status=outcome.status)
