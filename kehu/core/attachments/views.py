"""Attachment pages: the section any record page embeds, download, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kehu.core.attachments.forms import AttachmentUploadForm
from kehu.core.attachments.responses import attachment_response
from kehu.core.attachments.selectors import (
    access_attachment,
    access_record,
    attachments_for,
    can_change_attachments,
)
from kehu.core.attachments.services import attachment_add, attachment_delete

TEMPLATE = "attachments/attachment_list.html"


def _content_type(content_type_id: int) -> ContentType:
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    if content_type is None:
        raise Http404
    return content_type


def _render(request: HttpRequest, record, form: AttachmentUploadForm, status: int = 200) -> HttpResponse:
    content_type = ContentType.objects.get_for_model(record)
    context = {
        "record": record,
        "record_type_name": content_type.name,
        "attachments": attachments_for(record),
        "can_change": can_change_attachments(request.user, record),
        "form": form,
        "list_url": reverse("attachments:attachment_list", args=[content_type.pk, record.pk]),
    }
    template = f"{TEMPLATE}#section" if request.htmx else TEMPLATE
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def attachment_list(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """GET: a record's attachments. POST: upload one (edit right on the record needed)."""
    content_type = _content_type(content_type_id)
    if request.method == "GET":
        record = access_record(request.user, content_type, object_id, "view")
        return _render(request, record, AttachmentUploadForm())
    record = access_record(request.user, content_type, object_id, "edit")
    form = AttachmentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_add(actor=request.user, target=record, uploaded_file=form.cleaned_data["file"])
        except ValidationError as exc:
            for message in exc.message_dict.get("file", exc.messages):
                form.add_error("file", message)
    if form.errors:
        # HTMX swaps only 2xx answers; the section shows the error either way.
        return _render(request, record, form, status=200 if request.htmx else 400)
    if request.htmx:
        return _render(request, record, AttachmentUploadForm())
    messages.success(request, _("The file was attached."))
    return redirect("attachments:attachment_list", content_type.pk, record.pk)


@require_http_methods(["GET"])
@login_required
def attachment_download(request: HttpRequest, pk: int):
    """The file, if the user may view the record it is attached to."""
    return attachment_response(access_attachment(request.user, pk, "view"))


@require_POST
@login_required
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Soft-delete (edit right on the record needed); the record's change log keeps it."""
    attachment = access_attachment(request.user, pk, "edit")
    record = access_record(request.user, attachment.content_type, attachment.object_id, "edit")
    attachment_delete(actor=request.user, attachment=attachment)
    if request.htmx:
        return _render(request, record, AttachmentUploadForm())
    messages.success(request, _("The attachment was deleted."))
    return redirect("attachments:attachment_list", attachment.content_type_id, attachment.object_id)
