"""Job helpers on top of huey (`huey.contrib.djhuey`, configured by settings.HUEY).

Tasks live in each app's `tasks.py` (djhuey imports them) and are declared with
`db_task` / `db_periodic_task` from `huey.contrib.djhuey`. Two rules:

- Enqueue after commit: a job started inside a transaction may run before the
  rows it needs are visible. `enqueue_on_commit(task, *args)` does it right.
- Be idempotent: a task may run twice (a periodic task firing on two consumers,
  a re-enqueue after a restart). Claim work with a conditional UPDATE, or mark a
  period done with `run_once(key)` inside the same transaction as the work.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Any, *args: Any, using: str | None = None, **kwargs: Any) -> None:
    """Enqueue huey `task(*args, **kwargs)` once the current transaction commits.

    Outside a transaction it is enqueued at once. If the queue cannot be reached
    the error is logged, not raised: the commit has happened, and whoever owns the
    work must have a sweep that finds it (notifications re-enqueue pending deliveries).
    """

    def _enqueue() -> None:
        task(*args, **kwargs)

    transaction.on_commit(_enqueue, using=using, robust=True)


def run_once(key: str) -> bool:
    """Claim `key` (e.g. "notifications.purge:2026-03-01"); True only for the first caller ever.

    Backed by a unique row, so it holds across processes and machines. Call it in the
    same `transaction.atomic()` block as the work: if the work fails the claim rolls
    back with it and the next run tries again. A concurrent caller waits for the first
    transaction and then gets False.
    """
    from kehu.core.notifications.models import JobRun

    try:
        with transaction.atomic():
            JobRun.objects.create(key=key)
    except IntegrityError:
        logger.info("job %s already ran", key)
        return False
    return True
