"""The inbox pages under /inbox/: the list, open (mark read and follow), mark read, preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kehu.core.notifications.forms import PreferenceForm
from kehu.core.notifications.links import is_local_url
from kehu.core.notifications.selectors import (
    inbox_page_rows,
    notification_for,
    preference_for,
    unread_count,
)
from kehu.core.notifications.services import (
    notification_mark_all_read,
    notification_mark_read,
    notification_preference_set,
)

PAGE_SIZE = 20
LIST_TEMPLATE = "notifications/notification_list.html"


def _preference_form(user) -> PreferenceForm:
    preference = preference_for(user)
    return PreferenceForm(initial={"email_enabled": preference.email_enabled, "sms_enabled": preference.sms_enabled})


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(inbox_page_rows(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, LIST_TEMPLATE,
        {
            "page": page, "notifications": page.object_list, "unread_only": unread_only,
            "unread_count": unread_count(request.user), "preference_form": _preference_form(request.user),
        },
    )


@login_required
@require_GET
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read and follow the notification's link; a link leaving the site goes to the inbox instead."""
    notification = notification_mark_read(actor=request.user, notification=notification_for(request.user, pk))
    target = notification.url
    if target and is_local_url(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read; HTMX gets the row back and the unread badge swapped out of band."""
    notification = notification_mark_read(actor=request.user, notification=notification_for(request.user, pk))
    if not request.htmx:
        return redirect("notifications:inbox")
    context = {"n": notification, "unread_count": unread_count(request.user)}
    row = render_to_string(f"{LIST_TEMPLATE}#row", context, request=request)
    badge = render_to_string(f"{LIST_TEMPLATE}#unread_badge", context, request=request)
    return HttpResponse(row + badge)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    marked = notification_mark_all_read(actor=request.user)
    messages.success(
        request,
        ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", marked)
        % {"count": marked},
    )
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preference_edit(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST) if request.method == "POST" else _preference_form(request.user)
    if request.method == "POST" and form.is_valid():
        notification_preference_set(
            actor=request.user,
            email_enabled=form.cleaned_data["email_enabled"],
            sms_enabled=form.cleaned_data["sms_enabled"],
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:inbox")
    return render(request, "notifications/preference_edit.html", {"preference_form": form})
