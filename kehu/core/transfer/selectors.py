"""Reads of import jobs.

A job is its uploader's: only they change it (remap, confirm); system administrators
(superusers) may act on any. Reading goes wider: whoever holds the `import` right on a
job's record type and has the uploader in their user scope (`User.objects.visible_to`,
the manager's view of their team) sees the job, read-only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from kehu.accounts.models import User
from kehu.accounts.permissions import is_unrestricted, require
from kehu.core.transfer.models import ImportJob
from kehu.core.transfer.registry import importers_for

VIEW = "view"
CHANGE = "change"


def import_jobs_for(user: Any) -> QuerySet[ImportJob]:
    """The jobs `user` may change: their own (system administrators: all)."""
    jobs = ImportJob.objects.select_related("uploaded_by")
    return jobs if is_unrestricted(user) else jobs.filter(uploaded_by=user.pk)


def import_jobs_visible_to(user: Any) -> QuerySet[ImportJob]:
    """The jobs `user` may read: their own, and those of the users in their user scope on the
    record types they may import."""
    jobs = ImportJob.objects.select_related("uploaded_by")
    if is_unrestricted(user):
        return jobs
    record_types = [importer.record_type for importer in importers_for(user)]
    team = Q(record_type__in=record_types, uploaded_by__in=User.objects.visible_to(user).values("pk"))
    return jobs.filter(Q(uploaded_by=user.pk) | team) if record_types else jobs.filter(uploaded_by=user.pk)


def import_job_get(*, actor: Any, pk: Any, action: str = CHANGE) -> ImportJob:
    """One job: 404 unless the actor may `action` it ("view": see above; "change", the default:
    only their own); 403 without the import right on its record type."""
    jobs = import_jobs_visible_to(actor) if action == VIEW else import_jobs_for(actor)
    try:
        job = jobs.get(pk=pk)
    except (ImportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    require(actor, job.record_type, "import")
    return job


def may_change_import_job(actor: Any, job: ImportJob) -> bool:
    """May `actor` remap or confirm `job` (pages hide those buttons otherwise)."""
    return is_unrestricted(actor) or job.uploaded_by_id == actor.pk


def recent_import_jobs(*, actor: Any, limit: int = 10, include_team: bool = False) -> list[ImportJob]:
    """The latest jobs: the actor's own, or with `include_team` every job they may read."""
    jobs = import_jobs_visible_to(actor) if include_team else import_jobs_for(actor).filter(uploaded_by=actor.pk)
    return list(jobs[:limit])
