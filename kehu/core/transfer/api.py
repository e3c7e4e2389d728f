"""Import API under /api/v1/imports: upload (the check starts as a job), confirm (the run starts), poll."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from kehu.core.api.errors import ErrorOut
from kehu.core.transfer import selectors, services
from kehu.core.transfer.schemas import ImportJobOut

router = Router(tags=["imports"])

E = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
E_WRITE = {**E, 422: ErrorOut}


@router.post("", response={202: ImportJobOut, **E_WRITE}, url_name="imports_upload")
def imports_upload(request: HttpRequest, record_type: Form[str], file: File[UploadedFile]):
    """Upload a .xlsx or .csv (multipart: `file`, `record_type` such as "customers.customer").

    The answer comes at once with the job in status "checking": a job checks every row. Poll
    GET /imports/{id} until the status is "previewed" (the preview: per-row errors naming row
    and column, the duplicate verdict per row) or "failed" (`message` says why). Nothing is
    imported until you confirm.
    """
    job = services.import_upload(actor=request.user, record_type=record_type, uploaded_file=file)
    return Status(202, ImportJobOut.from_job(job))


@router.post("/{int:job_id}/confirm", response={202: ImportJobOut, **E_WRITE}, url_name="imports_confirm")
def imports_confirm(request: HttpRequest, job_id: int):
    """Start a checked import without errors; it runs as a job. Poll GET /imports/{id}."""
    job = selectors.import_job_get(actor=request.user, pk=job_id)
    return Status(202, ImportJobOut.from_job(services.import_confirm(actor=request.user, job=job)))


@router.get("/{int:job_id}", response={200: ImportJobOut, **E}, url_name="imports_get")
def imports_get(request: HttpRequest, job_id: int):
    """An import's status, progress, counts and report: your own imports, and those of the users
    you manage on record types you may import (only the uploader confirms)."""
    return ImportJobOut.from_job(selectors.import_job_get(actor=request.user, pk=job_id, action="view"))
