"""Reads of import jobs: a job is its uploader's (system administrators see all)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from kehu.accounts.permissions import is_unrestricted, require
from kehu.core.transfer.models import ImportJob


def import_jobs_for(user: Any) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related("uploaded_by")
    return jobs if is_unrestricted(user) else jobs.filter(uploaded_by=user.pk)


def import_job_get(*, actor: Any, pk: Any) -> ImportJob:
    """One job: 404 unless it is the actor's; 403 without the import right on its record type."""
    try:
        job = import_jobs_for(actor).get(pk=pk)
    except (ImportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    require(actor, job.record_type, "import")
    return job


def recent_import_jobs(*, actor: Any, limit: int = 10) -> list[ImportJob]:
    return list(import_jobs_for(actor).filter(uploaded_by=actor.pk)[:limit])
