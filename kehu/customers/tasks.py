"""Jobs of the customer archive (djhuey imports this module); thin, idempotent, calling services."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kehu.core.audit.context import audit_actor
from kehu.core.jobs import run_once
from kehu.customers.services import pool as pool_services
from kehu.customers.services.classification import classification_run


@db_periodic_task(crontab(minute="10", hour="1"))
def pool_daily() -> dict[str, int]:
    """公海: return customers whose due date passed, then warn owners once per due date.

    Safe to run twice or on several consumers: a return is a conditional UPDATE and each
    warning has a unique marker (customer + due date).
    """
    with audit_actor(None):
        return pool_services.pool_sweep()


@db_periodic_task(crontab(minute="40", hour="2"))
def classify_customers() -> int | None:
    """Every night: pyramid levels by the rules, the ABC snapshot of the last 12 months with
    the A/B limits last chosen by an administrator (`abc_limits`: those of the latest snapshot).

    Once per day (run_once); returns how many levels changed, None when it already ran."""
    today = timezone.localdate()
    with transaction.atomic():
        if not run_once(f"customers.classify:{today.isoformat()}"):
            return None
        _snapshot, changed = classification_run(actor=None)
        return changed
