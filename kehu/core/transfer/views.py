"""Import pages: upload → check (progress) → column mapping and preview → confirm → progress → result.

The check and the run are jobs; while one works the page shows its progress bar, an HTMX
partial polling itself. When the check finishes the partial asks the page to reload
(HX-Refresh), which then shows the report.

Thin: the services check the right (`import` on the record type) and every rule.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from kehu.accounts.permissions import require
from kehu.core.transfer import selectors, services
from kehu.core.transfer.export import export_response
from kehu.core.transfer.forms import ImportUploadForm
from kehu.core.transfer.models import ImportStatus
from kehu.core.transfer.registry import VERDICT_LABELS, get_importer, importers_for

PREVIEW_ROWS = 200  # rows of each report shown on the page (the counts are complete)


def _errors_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """Choose what to import and upload the file; the check (preview) starts as a job."""
    importers = importers_for(request.user)
    if not importers:
        raise PermissionDenied
    initial = {"record_type": request.GET.get("type", "")}
    form = ImportUploadForm(request.POST or None, request.FILES or None, importers=importers, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                job = services.import_upload(
                    actor=request.user, record_type=form.cleaned_data["record_type"],
                    uploaded_file=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect("transfer:import_detail", job.pk)
    context = {
        "form": form, "importers": importers,
        "jobs": selectors.recent_import_jobs(actor=request.user, include_team=True),
    }
    return render(request, "transfer/import_start.html", context, status=status)


def _detail_context(request: HttpRequest, job) -> dict:
    importer = get_importer(job.record_type)
    columns = list(importer.columns) if importer else []
    mine = selectors.may_change_import_job(request.user, job)  # the team reads; the uploader acts
    return {
        "job": job,
        "importer": importer,
        "columns": columns,
        "choices": services.mapping_choices(job),
        "errors": job.errors[:PREVIEW_ROWS],
        "verdicts": [{**v, "label": VERDICT_LABELS.get(v["verdict"], v["verdict"])} for v in job.verdicts[:PREVIEW_ROWS]],
        "more_errors": max(0, len(job.errors) - PREVIEW_ROWS),
        "may_confirm": mine and job.status == ImportStatus.PREVIEWED and not job.error_rows
        and bool(job.new_rows or job.update_rows),
        "may_remap": mine and job.status in {ImportStatus.UPLOADED, ImportStatus.PREVIEWED},
        "checking": job.status == ImportStatus.CHECKING,
        "running": job.is_busy,
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview: counts, every bad row with column and reason, the duplicate report; the mapping form.
    The uploader's team reads it (GET); only the uploader changes the mapping (POST)."""
    job = selectors.import_job_get(actor=request.user, pk=pk, action="view" if request.method == "GET" else "change")
    status = 200
    if request.method == "POST":
        mapping = {str(i): request.POST.get(f"column_{i}", "") for i in range(len(job.headers))}
        try:
            services.import_preview(actor=request.user, job=job, mapping=mapping)
        except ValidationError as exc:
            messages.error(request, _errors_text(exc))
            status = 400
        else:
            return redirect("transfer:import_detail", job.pk)
    return render(request, "transfer/import_detail.html", _detail_context(request, job), status=status)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_get(actor=request.user, pk=pk)
    try:
        services.import_confirm(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, _errors_text(exc))
    else:
        messages.success(request, _("The import has started."))
    return redirect("transfer:import_detail", job.pk)


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar (an HTMX partial that polls itself while the check or the import runs).

    A finished check reloads the page (HX-Refresh): the report is the whole page, not the bar.
    """
    job = selectors.import_job_get(actor=request.user, pk=pk, action="view")
    if request.GET.get("checking") and job.status != ImportStatus.CHECKING and getattr(request, "htmx", False):
        return HttpResponseClientRefresh()
    context = {"job": job, "running": job.is_busy, "checking": job.status == ImportStatus.CHECKING}
    return render(request, "transfer/_import_progress.html", context)


@login_required
def import_template(request: HttpRequest, record_type: str) -> HttpResponse:
    """An .xlsx with the column titles and one example row."""
    importer = get_importer(record_type)
    if importer is None:
        raise Http404
    require(request.user, record_type, "import")
    columns = importer.columns
    headers = [f"{column.label}*" if column.required else str(column.label) for column in columns]
    example = [column.example for column in columns]
    return export_response("xlsx", _("%(type)s import template") % {"type": importer.verbose_name}, headers, [example])
