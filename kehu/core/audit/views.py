"""Change-log pages: the global log for administrators, and one record's log for any record page."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from kehu.core.audit.forms import ChangeFilterForm
from kehu.core.audit.selectors import (
    all_changes,
    can_export_all_changes,
    can_see_all_changes,
    record_changes_for_user,
)

PAGE_SIZE = 50
RECORD_PAGE_SIZE = 20


@require_GET
@login_required
def change_list(request: HttpRequest) -> HttpResponse:
    """Everything that changed, filtered by user, record type and dates (administrators)."""
    if not can_see_all_changes(request.user):
        raise PermissionDenied
    form = ChangeFilterForm(request.GET or None)
    entries = all_changes(request.user, **form.filters())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "audit/changelogentry_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request, template,
        {
            "form": form, "page": page, "changes": page.object_list, "query": query.urlencode(),
            "can_export": can_export_all_changes(request.user),
        },
    )


@require_GET
@login_required
def change_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered log as CSV (UTF-8 with BOM so Excel opens it in Chinese)."""
    if not can_export_all_changes(request.user):
        raise PermissionDenied
    form = ChangeFilterForm(request.GET or None)
    entries = all_changes(request.user, **form.filters())

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow(
            [_("Time"), _("User"), pgettext("change log", "Action"), _("Record type"), _("Record id"), _("Record"),
             _("Field"), _("Old value"), _("New value"), _("Note")]
        )
        for entry in entries.iterator(chunk_size=500):
            when = timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S")
            head = [when, entry.actor_repr or _("System"), entry.get_action_display(),
                    entry.content_type.name, entry.object_id, entry.object_repr]
            for change in entry.display_changes() or [{}]:
                yield writer.writerow(
                    [*head, change.get("label", ""), change.get("old", ""), change.get("new", ""), entry.note]
                )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="changes-{stamp}.csv"'
    return response


@require_GET
@login_required
def change_record_list(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """One record's change log: an HTMX section for record pages, or a page of its own."""
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    if content_type is None:
        raise Http404
    entries = record_changes_for_user(request.user, content_type, object_id)
    page = Paginator(entries, RECORD_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "changes": page.object_list, "page": page, "content_type": content_type, "object_id": object_id,
        "record_label": entries[0].object_repr if page.object_list else object_id,
    }
    template = "audit/change_list.html" if request.htmx else "audit/changelogentry_record.html"
    return render(request, template, context)
