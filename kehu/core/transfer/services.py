"""The import engine: upload → (map) → preview → confirm → run, all or nothing.

Every step checks the `import` right on the job's record type. The preview validates
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

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
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
PROGRESS_CHECKED = 50
PROGRESS_WRITING = 60


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


def import_upload(*, actor: Any, record_type: str, uploaded_file: Any) -> ImportJob:
    """Store the file, recognise its columns and check every row (the preview); nothing is imported."""
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
        )
    return import_preview(actor=actor, job=job)


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


def _validate(job: ImportJob, importer: Importer, actor: Any) -> Validation:
    mapped = set(job.mapping.values())
    missing = [column for column in importer.columns if column.required and column.key not in mapped]
    rows = _rows(job)
    if missing:
        validation = Validation(total=len(rows))
        for column in missing:
            validation.error(1, column.label, _("This column is missing; add it or choose it in the column mapping."))
        return validation
    if not rows:
        validation = Validation()
        validation.error(2, "", _("The file has no data rows."))
        return validation
    validation = importer.validate_rows(actor=actor, rows=rows)
    validation.total = len(rows)
    return validation


def _store_report(job: ImportJob, validation: Validation) -> None:
    job.total_rows = validation.total
    job.error_rows = validation.error_rows
    job.new_rows = validation.count(NEW)
    job.update_rows = validation.count(UPDATE)
    job.duplicate_rows = validation.count(DUPLICATE)
    job.errors = [issue.as_dict() for issue in validation.errors[:MAX_REPORT]]
    job.verdicts = [v.as_dict() for v in validation.verdicts if v.verdict != NEW or v.detail][:MAX_REPORT]


@transaction.atomic
def import_preview(*, actor: Any, job: ImportJob, mapping: dict[Any, Any] | None = None) -> ImportJob:
    """Check every row with the job's (or the given) column mapping; remember the mapping for next time."""
    require(actor, job.record_type, "import")
    importer = _importer(job.record_type)
    if job.status not in {ImportStatus.UPLOADED, ImportStatus.PREVIEWED}:
        raise ValidationError({"status": _("This import has already been started.")})
    if mapping is not None:
        job.mapping = _clean_mapping(importer, job, mapping)
        ColumnMapping.objects.update_or_create(
            user=actor, record_type=job.record_type,
            defaults={"mapping": {**_remembered(actor, job.record_type), **remembered_form(job.headers, job.mapping)}},
        )
    _store_report(job, _validate(job, importer, actor))
    job.status = ImportStatus.PREVIEWED
    job.save()
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


def _fail(job: ImportJob, message: str) -> ImportJob:
    _set(job, status=ImportStatus.FAILED, message=message, finished_at=timezone.now(), written_rows=0)
    return job


def import_run(*, job_id: int) -> ImportJob | None:
    """The job's body: check again, then write everything in one transaction. Idempotent:
    the run claims the job (progress 0 → 1) with a conditional UPDATE; a second run does nothing."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING, progress=0).update(progress=1):
        return None
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _run(job)


def _run(job: ImportJob) -> ImportJob:
    actor = job.uploaded_by
    importer = get_importer(job.record_type)
    if actor is None or importer is None or not can(actor, job.record_type, "import"):
        return _fail(job, _("The uploader may no longer import these records; nothing was imported."))
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
