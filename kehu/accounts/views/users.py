"""User administration pages: list, create, edit, deactivate/activate, reset password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from kehu.accounts import selectors, services
from kehu.accounts.forms import PasswordResetForm, UserFilterForm, UserForm
from kehu.accounts.models import User
from kehu.accounts.permissions import access, can, require
from kehu.core.api.pagination import paginate
from kehu.core.forms import save_form


def _departments(actor: User):
    if not can(actor, "accounts.department", "view"):
        return []
    return selectors.department_tree(actor=actor)


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    """Users with search and filters; HTMX requests get only the results."""
    require(request.user, "accounts.user", "view")
    form = UserFilterForm(request.GET or None, departments=_departments(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    active = {"1": True, "0": False}.get(filters.get("active") or "")
    users = selectors.user_list(
        actor=request.user, department=filters.get("department"), role=filters.get("role") or None,
        active=active, q=filters.get("q"),
    )
    try:
        page = paginate(users, ordering="username", cursor=request.GET.get("cursor"), limit=50)
    except ValidationError:
        page = paginate(users, ordering="username", limit=50)
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "filter_form": form, "users": page["items"], "next_cursor": page["next_cursor"],
        "query": query.urlencode(), "may_create": can(request.user, "accounts.user", "create"),
        "may_edit": can(request.user, "accounts.user", "edit"),
    }
    template = "accounts/user_list.html#users-results" if request.htmx else "accounts/user_list.html"
    return render(request, template, context)


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    """Create a user; the password must pass the password rules."""
    require(request.user, "accounts.user", "create")
    form = UserForm(request.POST or None, departments=_departments(request.user))

    def save() -> User:
        data = form.cleaned_data
        return services.user_create(
            actor=request.user, username=data["username"], password=data["password"],
            display_name=data["display_name"], email=data["email"], mobile=data["mobile"],
            department=form.department_obj(), roles=form.role_objs(), language=data["language"],
        )

    outcome = save_form(
        request, form, save, success=lambda user: _("User %(name)s was created.") % {"name": user.name}
    )
    if outcome.saved:
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True}, status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a user's details and roles; a stale form is refused, never overwrites."""
    user = access(request.user, User, pk, "edit")
    initial = {
        "display_name": user.display_name, "email": user.email, "mobile": user.mobile,
        "department": user.department_id, "roles": [r.code for r in user.roles.all()],
        "language": user.language, "version": user.version,
    }
    form = UserForm(request.POST or None, initial=initial, departments=_departments(request.user), editing=True)

    def save() -> None:
        data = form.cleaned_data
        services.user_update(
            actor=request.user, user=user, version=data["version"], roles=form.role_objs(),
            display_name=data["display_name"], email=data["email"], mobile=data["mobile"],
            department=form.department_obj(), language=data["language"],
        )

    outcome = save_form(
        request, form, save, success=lambda _saved: _("User %(name)s was saved.") % {"name": user.name}
    )
    if outcome.saved:
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "subject": user}, status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then deactivate: the user's sessions and API tokens end at once."""
    user = access(request.user, User, pk, "edit")
    error = None
    if request.method == "POST":
        try:
            services.user_deactivate(actor=request.user, user=user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("User %(name)s was deactivated.") % {"name": user.name})
            return redirect("accounts:user_list")
    context = {"subject": user, "action": "deactivate", "error": error}
    return render(request, "accounts/user_confirm.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def user_activate(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then let a deactivated user log in again."""
    user = access(request.user, User, pk, "edit")
    if request.method == "POST":
        services.user_activate(actor=request.user, user=user)
        messages.success(request, _("User %(name)s was activated.") % {"name": user.name})
        return redirect("accounts:user_list")
    return render(request, "accounts/user_confirm.html", {"subject": user, "action": "activate"})


@sensitive_post_parameters("new_password")
@login_required
@require_http_methods(["GET", "POST"])
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator sets a new password for a user (the password rules apply)."""
    user = access(request.user, User, pk, "edit")
    form = PasswordResetForm(request.POST or None)
    outcome = save_form(
        request, form,
        lambda: services.user_set_password(
            actor=request.user, user=user, password=form.cleaned_data["new_password"], field="new_password",
        ),
        success=_("The password of %(name)s was reset.") % {"name": user.name},
    )
    if outcome.saved:
        return redirect("accounts:user_list")
    return render(request, "accounts/user_password.html", {"form": form, "subject": user}, status=outcome.status)
