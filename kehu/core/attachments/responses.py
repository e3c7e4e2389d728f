"""Serving a stored file safely: inline only for a few image/PDF types, never sniffed."""

from __future__ import annotations

from django.http import FileResponse, Http404

from kehu.core.attachments.models import Attachment

# Whatever the file holds, it runs no script and loads nothing when opened from Kehu.
DOWNLOAD_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"
INLINE_CSP = "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'self'"
ACTIVE_TYPES = ("text/html", "image/svg+xml", "application/xml")


def attachment_response(attachment: Attachment) -> FileResponse:
    """A FileResponse for an attachment the caller has already authorised."""
    try:
        handle = attachment.path.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    inline = attachment.is_inline_safe
    content_type = "application/octet-stream" if attachment.mime_type in ACTIVE_TYPES else attachment.mime_type
    response = FileResponse(
        handle, as_attachment=not inline, filename=attachment.original_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = INLINE_CSP if inline else DOWNLOAD_CSP
    response["Cache-Control"] = "private, no-store"
    return response
