"""Login and the user's own profile: language, password, API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kehu.accounts import services
from kehu.accounts.forms import LoginForm, PasswordChangeForm, ProfileForm, TokenCreateForm
from kehu.core.forms import save_form


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """The login page: throttled, one answer for every failure, the user's language applied."""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_check(
                request=request, username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except services.LoginThrottled as exc:
            form.add_error(None, str(exc))
            status = 429
        except services.LoginRefused as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user)  # rotates the session key
            response = redirect(_safe_next(request))
            _set_language_cookie(response, user.language)
            return response
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "accounts/login.html", context, status=status)


def _profile_context(request: HttpRequest, **forms) -> dict:
    user = request.user
    return {
        "profile_form": forms.get("profile_form")
        or ProfileForm(initial={"language": user.language, "version": user.version}),
        "password_form": forms.get("password_form") or PasswordChangeForm(),
        "token_form": forms.get("token_form") or TokenCreateForm(),
        "tokens": user.api_tokens.all(),
        "roles": user.roles.order_by("code"),
        "new_token": forms.get("new_token"),
    }


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """My name, department, roles, language; the password and token forms post elsewhere."""
    status = 200
    form = None
    if request.method == "POST":
        form = ProfileForm(request.POST)
        outcome = save_form(
            request, form,
            lambda: services.user_update(
                actor=request.user, user=request.user, version=form.cleaned_data["version"],
                language=form.cleaned_data["language"],
            ),
            success=_("Your preferences were saved."),
        )
        if outcome.saved:
            response = redirect("accounts:profile")
            _set_language_cookie(response, form.cleaned_data["language"])
            return response
        status = outcome.status
    return render(request, "accounts/profile.html", _profile_context(request, profile_form=form), status=status)


@sensitive_post_parameters("old_password", "new_password")
@login_required
@require_POST
def password_change(request: HttpRequest) -> HttpResponse:
    """Change my own password (current password required, rules applied); I stay logged in."""
    form = PasswordChangeForm(request.POST)
    if form.is_valid() and not request.user.check_password(form.cleaned_data["old_password"]):
        form.add_error("old_password", _("The current password is not correct."))

    def save() -> None:
        services.user_set_password(
            actor=request.user, user=request.user, password=form.cleaned_data["new_password"], field="new_password",
        )
        update_session_auth_hash(request, request.user)

    if save_form(request, form, save, success=_("Your password was changed.")).saved:
        return redirect("accounts:profile")
    return render(
        request, "accounts/profile.html", _profile_context(request, password_form=form), status=400
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Issue a personal API token; the key is shown on this answer only."""
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/profile.html", _profile_context(request, token_form=form), status=400)
    issued = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
    response = render(request, "accounts/profile.html", _profile_context(request, new_token=issued), status=201)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of my tokens."""
    token = request.user.api_tokens.filter(pk=pk).first()
    if token is None:
        raise Http404
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")
