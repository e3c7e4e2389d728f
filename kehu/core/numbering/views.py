"""Pages under /settings/numbering/: the patterns with their next number, and the edit form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kehu.core.forms import save_form
from kehu.core.numbering.forms import NumberPatternForm
from kehu.core.numbering.selectors import (
    may_edit_patterns,
    pattern_for,
    patterns_visible_to,
    preview_number,
)
from kehu.core.numbering.services import number_pattern_update


@login_required
@require_GET
def pattern_list(request: HttpRequest) -> HttpResponse:
    rows = [(pattern, preview_number(pattern)) for pattern in patterns_visible_to(request.user)]
    return render(
        request, "numbering/pattern_list.html",
        {"rows": rows, "may_edit": may_edit_patterns(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pattern_edit(request: HttpRequest, form_type: str) -> HttpResponse:
    pattern = pattern_for(request.user, form_type, "edit")
    form = NumberPatternForm(request.POST or None, instance=pattern)
    outcome = save_form(
        request, form,
        lambda: number_pattern_update(
            actor=request.user, pattern=pattern_for(request.user, form_type, "edit"),
            version=form.cleaned_data["version"], **{field: form.cleaned_data[field] for field in form.Meta.fields},
        ),
        success=_("The number pattern was saved."),
    )
    if outcome.saved:
        return redirect("numbering:pattern_list")
    saved = pattern_for(request.user, form_type)
    return render(
        request, "numbering/pattern_edit.html",
        {"pattern": saved, "form": form, "preview": preview_number(saved), "preview_errors": []},
        status=422 if form.is_bound else 200,
    )


@login_required
@require_GET
def pattern_preview(request: HttpRequest, form_type: str) -> HttpResponse:
    """The live preview in the edit form (HTMX): the next number under the values typed so far."""
    pattern = pattern_for(request.user, form_type)
    data = request.GET.copy()
    data.setdefault("version", str(pattern.version))
    form = NumberPatternForm(data, instance=pattern)
    context = {"pattern": pattern, "preview": None, "preview_errors": []}
    if form.is_valid():
        context["preview"] = preview_number(form.instance)
    else:
        context["preview_errors"] = [
            error for field_errors in form.errors.values() for error in field_errors
        ]
    return render(request, "numbering/pattern_edit.html#preview", context)
