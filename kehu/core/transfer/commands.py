"""`kehu import TYPE FILE` and `kehu export TYPE`: the command-line doors of the engine.

Thin like the pages: the services check the rights of the user named by --as
(default: the administrator, KEHU_ADMIN_USERNAME or "admin").
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.utils import translation


def _user(username: str | None):
    from kehu.accounts.models import User

    username = username or os.environ.get("KEHU_ADMIN_USERNAME") or "admin"
    user = User.objects.filter(username__iexact=username, is_active=True).first()
    if user is None:
        raise SystemExit(f"No active user '{username}'.")
    return user


def run_import(kind: str, path: str, *, as_user: str | None, dry_run: bool) -> int:
    """Check FILE and print every bad row; import it unless --dry-run. Non-zero on a bad file."""
    from kehu.core.audit.context import audit_actor
    from kehu.core.transfer import services
    from kehu.core.transfer.models import ImportStatus
    from kehu.core.transfer.registry import IMPORTERS, VERDICT_LABELS, by_name

    importer = by_name(IMPORTERS, kind)
    if importer is None:
        print(f"kehu import: nothing called '{kind}' can be imported ({', '.join(i.name for i in IMPORTERS.values())}).",
              file=sys.stderr)
        return 2
    actor = _user(as_user)
    file_path = Path(path)
    if not file_path.is_file():
        print(f"kehu import: no file {path}", file=sys.stderr)
        return 2
    translation.activate(os.environ.get("KEHU_LANGUAGE", "zh-hans"))
    try:
        with file_path.open("rb") as handle, audit_actor(actor):
            job = services.import_upload(  # the check runs here, not as a job: the command waits anyway
                actor=actor, record_type=importer.record_type, uploaded_file=File(handle, name=file_path.name),
                background=False,
            )
            if job.status != ImportStatus.PREVIEWED:
                print("kehu import: " + job.message, file=sys.stderr)
                return 1
            for error in job.errors:
                print(f"第 {error['row']} 行 {error['column']}：{error['message']}", file=sys.stderr)
            for verdict in job.verdicts:
                print(f"第 {verdict['row']} 行 {VERDICT_LABELS[verdict['verdict']]}：{verdict['detail']}")
            print(f"{job.total_rows} rows: {job.new_rows} new, {job.update_rows} updates, "
                  f"{job.duplicate_rows} duplicates skipped, {job.error_rows} with errors.")
            if job.error_rows:
                print("Nothing was imported.", file=sys.stderr)
                return 1
            if dry_run:
                print("Dry run: nothing was imported.")
                return 0
            services.import_confirm(actor=actor, job=job, background=False)
            job = services.import_run(job_id=job.pk)
    except PermissionDenied:
        print(f"kehu import: {actor.username} may not import {importer.name}.", file=sys.stderr)
        return 1
    except ValidationError as exc:
        print("kehu import: " + " ".join(exc.messages), file=sys.stderr)
        return 1
    if job is None or job.status != ImportStatus.DONE:
        print("kehu import: " + (job.message if job else "the import did not run."), file=sys.stderr)
        return 1
    print(f"Imported {job.written_rows} rows.")
    return 0


def run_export(kind: str, *, fmt: str, output: str | None, as_user: str | None) -> int:
    """Write the records the user may see (masked as on the pages) to --output or standard output."""
    from kehu.core.transfer.export import csv_chunks, xlsx_file
    from kehu.core.transfer.registry import EXPORTERS, by_name, labels

    exporter = by_name(EXPORTERS, kind)
    if exporter is None:
        print(f"kehu export: nothing called '{kind}' can be exported.", file=sys.stderr)
        return 2
    actor = _user(as_user)
    translation.activate(os.environ.get("KEHU_LANGUAGE", "zh-hans"))
    try:
        rows = exporter.rows(actor=actor)
    except PermissionDenied:
        print(f"kehu export: {actor.username} may not export {exporter.name}.", file=sys.stderr)
        return 1
    headers = labels(exporter.columns)
    if fmt == "xlsx":
        if not output:
            print("kehu export: --format xlsx needs --output FILE.", file=sys.stderr)
            return 2
        with xlsx_file(headers, rows) as handle:
            Path(output).write_bytes(handle.read())
        return 0
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(csv_chunks(headers, rows))
    else:
        sys.stdout.writelines(csv_chunks(headers, rows, bom=False))
    return 0
