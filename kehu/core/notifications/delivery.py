"""Sending deliveries exactly once, retrying failures, and recovering lost jobs.

Exactly once: a job first claims its delivery with one conditional UPDATE
(pending → sending); only the job whose UPDATE changed the row sends. A second
job for the same delivery (a duplicate enqueue, the sweep) finds nothing to claim.
The one window left is a worker dying after the gateway accepted the message and
before "sent" was written; a "sending" row is reset only after SENDING_TIMEOUT,
far longer than any send takes, and that rare case may send twice.

Retries: a failed attempt goes back to pending with `next_attempt_at` pushed out
by BACKOFF and a scheduled job; after MAX_ATTEMPTS it is failed for good.
The sweep re-enqueues pending deliveries whose time came LOST_AFTER ago and are
still pending (their job never ran: a restart between commit and enqueue, a lost
schedule), and resets stale "sending" rows.
"""

from __future__ import annotations

import datetime
import logging

from django.db.models import F
from django.utils import timezone

from kehu.core.notifications import channels
from kehu.core.notifications.models import Delivery, DeliveryStatus, Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
)
LOST_AFTER = datetime.timedelta(minutes=5)
SENDING_TIMEOUT = datetime.timedelta(hours=1)
SWEEP_BATCH = 500
PURGE_READ_AFTER = datetime.timedelta(days=180)


def backoff_after(attempts: int) -> datetime.timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def delivery_claim(delivery_id: int) -> bool:
    """Take the delivery for this job: True for exactly one caller while it is due and pending."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


def delivery_send(*, delivery_id: int) -> str | None:
    """Claim and send one delivery; return its new status, or None when another job has it.

    Retryable failures go back to pending with a later `next_attempt_at` and return
    "pending"; the caller (the task) schedules the retry.
    """
    if not delivery_claim(delivery_id):
        return None
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    try:
        channels.send(delivery)
    except channels.PermanentError as exc:
        return _finish(delivery, DeliveryStatus.FAILED, error=str(exc))
    except Exception as exc:  # any gateway error: retry with backoff
        logger.warning("delivery %s on %s failed: %s", delivery.pk, delivery.channel, exc)
        error = f"{type(exc).__name__}: {exc}"
        if delivery.attempts >= MAX_ATTEMPTS:
            return _finish(delivery, DeliveryStatus.FAILED, error=error)
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.PENDING, last_error=error[:2000], claimed_at=None,
            next_attempt_at=timezone.now() + backoff_after(delivery.attempts),
        )
        return DeliveryStatus.PENDING
    return _finish(delivery, DeliveryStatus.SENT)


def _finish(delivery: Delivery, status: str, *, error: str = "") -> str:
    changes: dict = {"status": status, "last_error": error[:2000]}
    if status == DeliveryStatus.SENT:
        changes["sent_at"] = timezone.now()
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(**changes)
    return status


def deliveries_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Recover stuck deliveries; return the ids of the pending ones to (re-)enqueue.

    A "sending" row older than SENDING_TIMEOUT goes back to pending (or fails, out of
    attempts). Pending rows due for LOST_AFTER and not yet taken are returned.
    """
    now = now or timezone.now()
    stale = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - SENDING_TIMEOUT)
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=DeliveryStatus.FAILED, last_error="the worker stopped while sending", claimed_at=None
    )
    stale.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now - LOST_AFTER, claimed_at=None
    )
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now - LOST_AFTER)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


def notifications_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete read notifications (and their deliveries) created more than PURGE_READ_AFTER ago."""
    now = now or timezone.now()
    old = Notification.objects.filter(read_at__isnull=False, created_at__lt=now - PURGE_READ_AFTER)
    _total, per_model = old.delete()
    return per_model.get(Notification._meta.label, 0)
