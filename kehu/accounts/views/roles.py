"""Role administration: list, create, edit with the grants matrix, delete."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kehu.accounts import selectors, services
from kehu.accounts.forms import SCOPE_CHOICES, RoleForm, grants_from_post, grants_matrix
from kehu.accounts.models import Role
from kehu.accounts.permissions import access, can, require
from kehu.core.forms import run_and_flash, save_form


@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    """Roles with how many hold them and what they may do."""
    context = {
        "roles": selectors.role_list(actor=request.user),
        "may_create": can(request.user, "accounts.role", "create"),
        "may_edit": can(request.user, "accounts.role", "edit"),
        "may_delete": can(request.user, "accounts.role", "delete"),
    }
    return render(request, "accounts/role_list.html", context)


def _posted_matrix(request: HttpRequest) -> dict[str, tuple[list[str], str]]:
    return {g.record_type: (g.actions, g.scope) for g in grants_from_post(request.POST)}


def _render_form(request, form, matrix, status=200, subject=None, creating=False):
    context = {
        "form": form, "matrix": grants_matrix(matrix), "scopes": SCOPE_CHOICES,
        "subject": subject, "creating": creating,
    }
    return render(request, "accounts/role_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def role_create(request: HttpRequest) -> HttpResponse:
    """Create a role and tick its rights in the grants matrix."""
    require(request.user, "accounts.role", "create")
    form = RoleForm(request.POST or None)
    if request.method == "GET":
        return _render_form(request, form, {}, creating=True)
    outcome = save_form(
        request, form,
        lambda: services.role_create(
            actor=request.user, code=form.cleaned_data["code"], name=form.cleaned_data["name"],
            description=form.cleaned_data["description"], grants=grants_from_post(request.POST),
        ),
        success=lambda role: _("Role %(name)s was created.") % {"name": role.name},
    )
    if outcome.saved:
        return redirect("accounts:role_list")
    return _render_form(request, form, _posted_matrix(request), status=outcome.status, creating=True)


@login_required
@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a role and change its grants matrix; holders get the new rights on their next request."""
    role = access(request.user, Role, pk, "edit")
    initial = {"name": role.name, "description": role.description, "version": role.version}
    form = RoleForm(request.POST or None, initial=initial, editing=True)
    if request.method == "GET":
        current = {g.record_type: (g.actions, g.scope) for g in role.grants.all()}
        return _render_form(request, form, current, subject=role)
    outcome = save_form(
        request, form,
        lambda: services.role_update(
            actor=request.user, role=role, version=form.cleaned_data["version"],
            name=form.cleaned_data["name"], description=form.cleaned_data["description"],
            grants=grants_from_post(request.POST),
        ),
        success=lambda _saved: _("Role %(name)s was saved.") % {"name": form.cleaned_data["name"]},
    )
    if outcome.saved:
        return redirect("accounts:role_list")
    return _render_form(request, form, _posted_matrix(request), status=outcome.status, subject=role)


@login_required
@require_POST
def role_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a role Kehu did not ship and that nobody holds."""
    role = access(request.user, Role, pk, "delete")
    run_and_flash(
        request, lambda: services.role_delete(actor=request.user, role=role),
        success=_("Role %(name)s was deleted.") % {"name": role.name},
    )
    return redirect("accounts:role_list")
