"""The import engine: upload → check (the preview) → (map, check again) → confirm → run, all or nothing.

Every step checks the `import` right on the job's record type. The upload stores the
file, reads its header row and hands the check to a job (`check_import`): it validates
every row and reports errors and duplicates; nothing is written. Confirming refuses a
file with errors, claims the job with a conditional UPDATE and hands it to a job
(`run_import`); the job validates again (the database may have changed) and writes
everything in ONE transaction: a failure anywhere leaves no row behind.

Why one transaction, not batches: all-or-nothing is the rule, and validation (the slow
part) runs before the transaction opens, so the write lock is held only for the bulk
inserts (seconds for 100 000 rows). On SQLite other writers wait on the busy timeout
meanwhile and, past it, get 503 + Retry-After from DatabaseBusyMiddleware — never a 500.
Progress is committed between the phases (checking, writing); inside the write
transaction it cannot be seen by others, so the bar shows "writing" until it commits.
"""

from __future__ import annotations

import datetime
import inspect
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kehu.accounts.permissions import can, require
from kehu.core.attachments.storage import store_upload
from kehu.core.audit.context import audit_actor
from kehu.core.jobs import enqueue_on_commit
from kehu.core.middleware import is_busy_error
from kehu.core.transfer.mapping import auto_mapping, header_key, remembered_form
from kehu.core.transfer.models import ColumnMapping, ImportJob, ImportStatus
from kehu.core.transfer.parsing import CSV_SUFFIXES, XLSX_SUFFIXES, read_table
from kehu.core.transfer.registry import DUPLICATE, NEW, UPDATE, Importer, Validation, get_importer

logger = logging.getLogger(__name__)

MAX_REPORT = 2000  # errors and verdicts kept on the job (the counts are always complete)
PROGRESS_READ = 20  # the check: the file is read (the rest is the importer's check of the rows)
PROGRESS_CHECKED_ALL = 95
PROGRESS_WRITING = 60

Progress = Callable[[int, int], None]


def _importer(record_type: str) -> Importer:
    importer = get_importer(record_type)
    if importer is None:
        raise ValidationError({"record_type": _("Records of this kind cannot be imported.")})
    return importer


def _check_file_name(name: str) -> None:
    if not (name or "").lower().endswith((*XLSX_SUFFIXES, *CSV_SUFFIXES)):
        raise ValidationError({"file": _("Upload an Excel (.xlsx) or CSV file.")})


def _remembered(actor: Any, record_type: str) -> dict[str, str]:
    row = ColumnMapping.objects.filter(user=actor, record_type=record_type).first()
    return row.mapping if row else {}


def import_upload(*, actor: Any, record_type: str, uploaded_file: Any, background: bool = True) -> ImportJob:
    """Store the file, recognise its columns and start the check (the preview) as a job.

    Only the header row is read here, so the answer comes at once whatever the size; the job
    (`check_import`) checks every row and nothing is imported. `background=False` (the command
    line) runs the check in this process before returning.
    """
    importer = _importer(record_type)
    require(actor, record_type, "import")
    name = Path(getattr(uploaded_file, "name", "") or "").name
    _check_file_name(name)
    stored = store_upload(uploaded_file)
    try:
        table = read_table(stored.path, name)
    except ValidationError:
        stored.path.unlink(missing_ok=True)
        raise
    with transaction.atomic():
        job = ImportJob.objects.create(
            record_type=record_type, original_name=name[:255], stored_name=stored.stored_name, size=stored.size,
            uploaded_by=actor, headers=table.headers, language=translation.get_language() or "",
            mapping=auto_mapping(importer, table.headers, _remembered(actor, record_type)),
            status=ImportStatus.CHECKING,
        )
    _start_check(job, background=background)  # outside: a check in this process holds no lock
    return job


def _start_check(job: ImportJob, *, background: bool) -> None:
    """Enqueue the check once the job is committed; `background=False`: run it here and now."""
    if background:
        from kehu.core.transfer.tasks import check_import

        enqueue_on_commit(check_import, job.pk)
    else:
        import_check(job_id=job.pk)
        job.refresh_from_db()


def _clean_mapping(importer: Importer, job: ImportJob, mapping: dict[Any, Any]) -> dict[str, str]:
    valid = {column.key for column in importer.columns}
    cleaned: dict[str, str] = {}
    for index, key in mapping.items():
        if not key:
            continue
        try:
            position = int(index)
        except (TypeError, ValueError):
            position = -1
        if not 0 <= position < len(job.headers) or key not in valid:
            raise ValidationError({"mapping": _("The column mapping names an unknown column.")})
        if key in cleaned.values():
            raise ValidationError(
                {"mapping": _("“%(column)s” is chosen for two columns.") % {"column": importer.column(key).label}}
            )
        cleaned[str(position)] = key
    return cleaned


def _rows(job: ImportJob) -> list[tuple[int, dict[str, str]]]:
    table = read_table(job.path, job.original_name)
    positions = [(int(index), key) for index, key in job.mapping.items()]
    return [(number, {key: cells[index] for index, key in positions}) for number, cells in table.rows]


def _validate(job: ImportJob, importer: Importer, actor: Any, progress: Progress | None = None) -> Validation:
    mapped = set(job.mapping.values())
    missing = [column for column in importer.columns if column.required and column.key not in mapped]
    rows = _rows(job)
    if progress is not None:
        progress(0, len(rows))
    if missing:
        validation = Validation(total=len(rows))
        for column in missing:
            validation.error(1, column.label, _("This column is missing; add it or choose it in the column mapping."))
        return validation
    if not rows:
        validation = Validation()
        validation.error(2, "", _("The file has no data rows."))
        return validation
    if progress is not None and _takes_progress(importer):
        validation = importer.validate_rows(actor=actor, rows=rows, progress=progress)  # type: ignore[call-arg]
    else:
        validation = importer.validate_rows(actor=actor, rows=rows)
    validation.total = len(rows)
    return validation


def _takes_progress(importer: Importer) -> bool:
    """Importers may report how far their check is (`validate_rows(..., progress=)`); older ones do not."""
    return "progress" in inspect.signature(importer.validate_rows).parameters


def _progress_writer(job: ImportJob, low: int, high: int) -> Progress:
    """A callback mapping (done, total) onto low..high %, written (committed) only when the % moves."""
    last = [-1]

    def report(done: int, total: int) -> None:
        percent = low + (high - low) * done // total if total else low
        if percent != last[0]:
            last[0] = percent
            _set(job, progress=percent)

    return report


REPORT_FIELDS = ("total_rows", "error_rows", "new_rows", "update_rows", "duplicate_rows", "errors", "verdicts")


def _store_report(job: ImportJob, validation: Validation) -> None:
    job.total_rows = validation.total
    job.error_rows = validation.error_rows
    job.new_rows = validation.count(NEW)
    job.update_rows = validation.count(UPDATE)
    job.duplicate_rows = validation.count(DUPLICATE)
    job.errors = [issue.as_dict() for issue in validation.errors[:MAX_REPORT]]
    job.verdicts = [v.as_dict() for v in validation.verdicts if v.verdict != NEW or v.detail][:MAX_REPORT]


def import_preview(*, actor: Any, job: ImportJob, mapping: dict[Any, Any] | None = None,
                   background: bool = True) -> ImportJob:
    """Check every row again with the given column mapping, as a job; remember the mapping for next time.

    A bad mapping is refused at once (ValidationError naming `mapping`); a job being checked,
    started or finished is refused too (`status`).
    """
    require(actor, job.record_type, "import")
    importer = _importer(job.record_type)
    if job.status == ImportStatus.CHECKING:
        raise ValidationError({"status": _("The file is being checked; wait until the check is finished.")})
    if job.status not in {ImportStatus.UPLOADED, ImportStatus.PREVIEWED}:
        raise ValidationError({"status": _("This import has already been started.")})
    with transaction.atomic():
        if mapping is not None:
            job.mapping = _clean_mapping(importer, job, mapping)
            remembered = {**_remembered(actor, job.record_type), **remembered_form(job.headers, job.mapping)}
            ColumnMapping.objects.update_or_create(
                user=actor, record_type=job.record_type, defaults={"mapping": remembered}
            )
        # Claimed like the run: of two concurrent re-checks one moves the job, the other is refused.
        claimed = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=ImportStatus.CHECKING, mapping=job.mapping, progress=0, message=""
        )
        if not claimed:
            raise ValidationError({"status": _("The file is being checked; wait until the check is finished.")})
        job.status, job.progress, job.message = ImportStatus.CHECKING, 0, ""
    _start_check(job, background=background)
    return job


def import_check(*, job_id: int) -> ImportJob | None:
    """The check job's body: read every row and store the preview report; nothing is imported.

    Idempotent: the check claims the job (progress 0 → 1) with a conditional UPDATE; a second
    run of the same job does nothing. An unexpected failure marks the job failed with a
    message in the uploader's language.
    """
    return _claimed(job_id, ImportStatus.CHECKING, _check)


def _claimed(job_id: int, status: str, body: Callable[[ImportJob, Any, Importer], ImportJob]) -> ImportJob | None:
    """Claim the job for this worker (progress 0 → 1, a conditional UPDATE: None when another
    run has it), then run `body(job, uploader, importer)` in the uploader's language — or fail
    the job when the uploader may no longer import its records."""
    if not ImportJob.objects.filter(pk=job_id, status=status, progress=0).update(progress=1):
        return None
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        actor, importer = job.uploaded_by, get_importer(job.record_type)
        if actor is None or importer is None or not can(actor, job.record_type, "import"):
            return _fail(job, _("The uploader may no longer import these records; nothing was imported."))
        return body(job, actor, importer)


def _check(job: ImportJob, actor: Any, importer: Importer) -> ImportJob:
    try:
        validation = _validate(job, importer, actor, progress=_progress_writer(job, PROGRESS_READ, PROGRESS_CHECKED_ALL))
    except ValidationError as exc:
        return _fail(job, " ".join(exc.messages) + " " + _("Nothing was imported."))
    except Exception as exc:
        logger.exception("import %s: the check failed", job.pk)
        if is_busy_error(exc):
            return _fail(job, _("The database was busy; the file could not be checked. Please upload it again."))
        return _fail(job, _("The check failed unexpectedly; nothing was imported. Please upload the file again."))
    _store_report(job, validation)
    report = {name: getattr(job, name) for name in REPORT_FIELDS}
    # Conditional: the report lands only on the check that is still under way.
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKING).update(
        **report, status=ImportStatus.PREVIEWED, progress=100
    )
    job.status, job.progress = ImportStatus.PREVIEWED, 100
    return job


@transaction.atomic
def import_confirm(*, actor: Any, job: ImportJob, background: bool = True) -> ImportJob:
    """Start a checked import without errors; it runs as a job (`background=False`: the caller runs it)."""
    require(actor, job.record_type, "import")
    if job.status != ImportStatus.PREVIEWED:
        raise ValidationError({"status": _("This import has already been started.")})
    if job.error_rows:
        raise ValidationError(
            {"file": _("The file has %(count)d rows with errors; correct them and upload it again. "
                       "Nothing was imported.") % {"count": job.error_rows}}
        )
    if not (job.new_rows or job.update_rows):
        raise ValidationError({"file": _("There is nothing to import in this file.")})
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.RUNNING, started_at=now, progress=0
    )
    if not claimed:
        raise ValidationError({"status": _("This import has already been started.")})
    job.status, job.started_at, job.progress = ImportStatus.RUNNING, now, 0
    if background:
        from kehu.core.transfer.tasks import run_import

        enqueue_on_commit(run_import, job.pk)
    return job


def _set(job: ImportJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


STALE_AFTER = datetime.timedelta(hours=3)  # far beyond the longest check or run (1M rows)


def imports_fail_stale(*, now: datetime.datetime | None = None) -> int:
    """Jobs left checking or running by a worker that stopped: failed, with a message saying so.

    A run writes in one transaction, so an interrupted one left nothing behind; the uploader is
    told to upload the file again. Run by a periodic job; returns how many it failed."""
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    stale = ImportJob.objects.filter(
        Q(status=ImportStatus.CHECKING, created_at__lt=cutoff)
        | Q(status=ImportStatus.RUNNING, started_at__lt=cutoff)
    )
    failed = 0
    for job in stale.select_related("uploaded_by"):
        with translation.override(job.language or settings.LANGUAGE_CODE):
            message = _("The import was interrupted (the job stopped); nothing was imported. "
                        "Please upload the file again.")
        # conditional: a job that finished meanwhile keeps its result
        failed += ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=ImportStatus.FAILED, message=message, finished_at=now, written_rows=0
        )
    return failed


def _fail(job: ImportJob, message: str) -> ImportJob:
    _set(job, status=ImportStatus.FAILED, message=message, finished_at=timezone.now(), written_rows=0)
    return job


def import_run(*, job_id: int) -> ImportJob | None:
    """The job's body: check again, then write everything in one transaction. Idempotent:
    the run claims the job (progress 0 → 1) with a conditional UPDATE; a second run does nothing."""
    return _claimed(job_id, ImportStatus.RUNNING, _run)


def _run(job: ImportJob, actor: Any, importer: Importer) -> ImportJob:
    try:
        with audit_actor(actor):
            validation = _validate(job, importer, actor)
            _store_report(job, validation)  # what the run really does (the data may have changed)
            job.save()
            if validation.errors:
                return _fail(job, _("The data changed since the check and %(count)d rows now have errors; "
                                    "nothing was imported.") % {"count": validation.error_rows})
            _set(job, progress=PROGRESS_WRITING)
            with transaction.atomic():
                written = importer.apply(actor=actor, validation=validation, progress=lambda done, total: None)
    except ValidationError as exc:
        return _fail(job, " ".join(exc.messages) + " " + _("Nothing was imported."))
    except Exception as exc:
        logger.exception("import %s failed", job.pk)
        if is_busy_error(exc):
            return _fail(job, _("The database was busy; nothing was imported. Please try again."))
        return _fail(job, _("The import failed unexpectedly; nothing was imported."))
    _set(job, status=ImportStatus.DONE, progress=100, written_rows=written, finished_at=timezone.now(), message="")
    return job


def mapping_choices(job: ImportJob) -> list[dict[str, Any]]:
    """Per file column: its title, an example value and the field it is mapped to (for the mapping form)."""
    return [
        {"index": str(index), "title": title, "key": job.mapping.get(str(index), ""), "norm": header_key(title)}
        for index, title in enumerate(job.headers)
    ]
