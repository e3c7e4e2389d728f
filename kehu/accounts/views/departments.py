"""Department administration: the indented tree, create, edit (move, set head), delete."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kehu.accounts import selectors, services
from kehu.accounts.forms import DepartmentForm
from kehu.accounts.models import Department, User
from kehu.accounts.permissions import access, can, require
from kehu.core.forms import run_and_flash, save_form


def _objects(form: DepartmentForm) -> dict:
    """The form's choices as objects; the service checks they are in the actor's scope."""
    data = form.cleaned_data
    return {
        "name": data["name"], "code": data["code"], "sort_order": data["sort_order"],
        "parent": Department.objects.filter(pk=data["parent"]).first() if data.get("parent") else None,
        "head": User.objects.filter(pk=data["head"]).first() if data.get("head") else None,
    }


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    """Every visible department as an indented tree with head and member count."""
    nodes = selectors.flatten(selectors.department_tree(actor=request.user))
    context = {
        "nodes": nodes,
        "may_create": can(request.user, "accounts.department", "create"),
        "may_edit": can(request.user, "accounts.department", "edit"),
        "may_delete": can(request.user, "accounts.department", "delete"),
    }
    return render(request, "accounts/department_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def department_create(request: HttpRequest) -> HttpResponse:
    """Create a department anywhere in the tree."""
    require(request.user, "accounts.department", "create")
    tree = selectors.department_tree(actor=request.user)
    initial = {"parent": request.GET.get("parent") or None, "sort_order": 0}
    form = DepartmentForm(request.POST or None, initial=initial, actor=request.user, departments=tree)
    outcome = save_form(
        request, form, lambda: services.department_create(actor=request.user, **_objects(form)),
        success=lambda department: _("Department %(name)s was created.") % {"name": department.name},
    )
    if outcome.saved:
        return redirect("accounts:department_list")
    return render(request, "accounts/department_form.html", {"form": form, "creating": True}, status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename, move under another department (its subtree follows), set the head."""
    department = access(request.user, Department, pk, "edit")
    tree = selectors.department_tree(actor=request.user)
    initial = {
        "name": department.name, "code": department.code, "parent": department.parent_id,
        "head": department.head_id, "sort_order": department.sort_order, "version": department.version,
    }
    form = DepartmentForm(
        request.POST or None, initial=initial, actor=request.user, departments=tree, editing=True
    )
    outcome = save_form(
        request, form,
        lambda: services.department_update(
            actor=request.user, department=department, version=form.cleaned_data["version"], **_objects(form),
        ),
        success=lambda _saved: _("Department %(name)s was saved.") % {"name": form.cleaned_data["name"]},
    )
    if outcome.saved:
        return redirect("accounts:department_list")
    context = {"form": form, "subject": department}
    return render(request, "accounts/department_form.html", context, status=outcome.status)


@login_required
@require_POST
def department_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an empty department; otherwise say what is still in it."""
    department = access(request.user, Department, pk, "delete")
    run_and_flash(
        request, lambda: services.department_delete(actor=request.user, department=department),
        success=_("Department %(name)s was deleted.") % {"name": department.name},
    )
    return redirect("accounts:department_list")
