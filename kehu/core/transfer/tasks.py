"""Jobs of the import engine (djhuey imports this module); thin and idempotent."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kehu.core.transfer import services


@db_task()
def run_import(job_id: int) -> str | None:
    """Run a confirmed import; a second run of the same job does nothing."""
    job = services.import_run(job_id=job_id)
    return job.status if job else None


@db_task()
def check_import(job_id: int) -> str | None:
    """Check an uploaded file (the preview); a second run of the same job does nothing."""
    job = services.import_check(job_id=job_id)
    return job.status if job else None


@db_periodic_task(crontab(minute="*/15"))
def fail_stale_imports() -> int:
    """Every quarter of an hour: imports a stopped worker left checking or running are failed."""
    return services.imports_fail_stale()
