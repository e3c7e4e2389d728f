"""Jobs of the notifications app (djhuey imports this module); thin, idempotent, call delivery.py."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kehu.core.jobs import run_once
from kehu.core.notifications import delivery
from kehu.core.notifications.models import DeliveryStatus


@db_task()
def send_delivery(delivery_id: int) -> str | None:
    """Send one delivery; a duplicate run finds it claimed and does nothing."""
    status = delivery.delivery_send(delivery_id=delivery_id)
    if status == DeliveryStatus.PENDING:
        row = delivery.Delivery.objects.filter(pk=delivery_id).values("attempts").first()
        if row is not None:
            send_delivery.schedule(args=(delivery_id,), delay=delivery.backoff_after(row["attempts"]).total_seconds())
    return status


@db_periodic_task(crontab(minute="*/5"))
def sweep_deliveries() -> int:
    """Re-enqueue deliveries whose job was lost, reset stale claims; safe to run anywhere, any time."""
    ids = delivery.deliveries_sweep()
    for delivery_id in ids:
        send_delivery(delivery_id)
    return len(ids)


@db_periodic_task(crontab(minute="17", hour="3"))
def purge_read_notifications() -> int:
    """Once a day: delete read notifications older than 180 days."""
    today = timezone.localdate()
    with transaction.atomic():
        if not run_once(f"notifications.purge:{today.isoformat()}"):
            return 0
        return delivery.notifications_purge()
