"""The sending job: exactly once, retries with backoff, the sweep, the purge."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from kehu.core.notifications import delivery as delivery_module
from kehu.core.notifications import sms
from kehu.core.notifications.models import Delivery, DeliveryStatus, Notification
from kehu.core.notifications.services import notify
from kehu.core.notifications.tasks import purge_read_notifications, send_delivery, sweep_deliveries
from kehu.core.notifications.tests import backends


def _notify_without_running_jobs(django_capture_on_commit_callbacks, recipients, channels=("email",)):
    """A commit whose enqueue was lost (the worker restarted between commit and enqueue)."""
    with django_capture_on_commit_callbacks(execute=False):
        notify(recipients=recipients, kind="info", title="报价已批准", channels=channels)
    return Delivery.objects.get() if len(recipients) == 1 and len(channels) == 1 else None


def _age(delivery: Delivery, **delta) -> None:
    """Pretend time has passed: the delivery became due `delta` ago."""
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(**delta))


def test_email_sent_once_when_the_job_runs_twice(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[personas.alice], kind="info", title="x", channels=("email",))
    delivery = Delivery.objects.get()

    send_delivery(delivery.pk)
    send_delivery.call_local(delivery.pk)

    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)


def test_only_one_of_two_claims_wins(personas, django_capture_on_commit_callbacks):
    delivery = _notify_without_running_jobs(django_capture_on_commit_callbacks, [personas.alice])

    assert delivery_module.delivery_claim(delivery.pk) is True
    assert delivery_module.delivery_claim(delivery.pk) is False
    assert send_delivery.call_local(delivery.pk) is None
    assert mail.outbox == []


def test_sweep_reenqueues_a_delivery_whose_job_was_lost(personas, django_capture_on_commit_callbacks):
    # given a committed delivery whose job never ran
    delivery = _notify_without_running_jobs(django_capture_on_commit_callbacks, [personas.alice])

    # when the sweep runs before the grace period: nothing
    assert sweep_deliveries.call_local() == 0
    assert mail.outbox == []

    # when it runs after the grace period: sent, once, even if it runs again
    _age(delivery, minutes=6)
    assert sweep_deliveries.call_local() == 1
    assert sweep_deliveries.call_local() == 0
    send_delivery(delivery.pk)

    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_sweep_does_not_resend_a_sent_delivery(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[personas.alice], kind="info", title="x", channels=("email",))
    delivery = Delivery.objects.get()
    _age(delivery, hours=2)

    sweep_deliveries()

    assert len(mail.outbox) == 1


def test_failed_send_is_retried_with_backoff_then_sent(personas, settings, django_capture_on_commit_callbacks):
    # given an SMS gateway that fails twice
    settings.KEHU_SMS_BACKEND = "kehu.core.notifications.tests.backends.FlakySmsBackend"
    backends.failures_left["sms"] = 2
    personas.alice.mobile = "13900000000"
    personas.alice.save()

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[personas.alice], kind="info", title="x", channels=("sms",))

    # then the first attempt failed, went back to pending for later, and a retry is scheduled
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.last_error == "SmsError: gateway busy"
    assert delivery.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)
    assert [task.args for task in HUEY.scheduled()] == [(delivery.pk,)]

    # a run before the backoff elapsed does nothing
    assert send_delivery.call_local(delivery.pk) is None
    assert backends.calls["sms"] == 1

    # after the backoff: second attempt fails, third succeeds
    _age(delivery, seconds=1)
    assert send_delivery.call_local(delivery.pk) == DeliveryStatus.PENDING
    _age(delivery, seconds=1)
    assert send_delivery.call_local(delivery.pk) == DeliveryStatus.SENT

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 3, "")
    assert [m.mobile for m in sms.outbox] == ["13900000000"]


def test_delivery_fails_after_the_last_attempt(personas, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "kehu.core.notifications.tests.backends.FlakyEmailBackend"
    backends.failures_left["email"] = 99
    delivery = _notify_without_running_jobs(django_capture_on_commit_callbacks, [personas.alice])

    statuses = []
    for _attempt in range(delivery_module.MAX_ATTEMPTS + 1):
        _age(delivery, seconds=1)
        statuses.append(send_delivery.call_local(delivery.pk))

    assert statuses == ["pending", "pending", "pending", "failed", None]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == delivery_module.MAX_ATTEMPTS
    assert "SMTPServerDisconnected" in delivery.last_error
    assert backends.calls["email"] == delivery_module.MAX_ATTEMPTS


def test_missing_address_fails_without_retry(personas, django_capture_on_commit_callbacks):
    delivery = _notify_without_running_jobs(django_capture_on_commit_callbacks, [personas.alice])
    personas.alice.email = ""
    personas.alice.save()

    assert send_delivery.call_local(delivery.pk) == DeliveryStatus.FAILED

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert delivery.last_error == "the recipient has no email address"


def test_sweep_resets_a_stale_claim_only_after_the_timeout(personas, django_capture_on_commit_callbacks):
    # given a worker claimed the delivery and died
    delivery = _notify_without_running_jobs(django_capture_on_commit_callbacks, [personas.alice])
    assert delivery_module.delivery_claim(delivery.pk)

    # a claim of ten minutes is left alone
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=timezone.now() - datetime.timedelta(minutes=10))
    sweep_deliveries.call_local()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENDING

    # a claim older than the timeout is taken back and sent
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=timezone.now() - datetime.timedelta(hours=2))
    sweep_deliveries()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_stale_claim_out_of_attempts_fails(personas, django_capture_on_commit_callbacks):
    delivery = _notify_without_running_jobs(django_capture_on_commit_callbacks, [personas.alice])
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, attempts=delivery_module.MAX_ATTEMPTS,
        claimed_at=timezone.now() - datetime.timedelta(hours=2),
    )

    sweep_deliveries()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert mail.outbox == []


def _old_notification(user, *, read: bool, days: int) -> Notification:
    [notification] = notify(recipients=[user], kind="info", title=f"{days}d {'read' if read else 'unread'}")
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days), read_at=timezone.now() if read else None
    )
    return notification


def test_purge_deletes_only_old_read_notifications_once_a_day(personas):
    old_read = _old_notification(personas.alice, read=True, days=181)
    old_unread = _old_notification(personas.alice, read=False, days=181)
    recent_read = _old_notification(personas.alice, read=True, days=179)

    assert purge_read_notifications.call_local() == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {old_unread.pk, recent_read.pk}
    assert not Notification.objects.filter(pk=old_read.pk).exists()

    # a second firing on the same day does nothing
    _old_notification(personas.bob, read=True, days=200)
    assert purge_read_notifications.call_local() == 0
    assert Notification.objects.filter(recipient=personas.bob).count() == 1


@pytest.mark.parametrize(("attempts", "minutes"), [(1, 1), (2, 5), (3, 30), (9, 30)])
def test_backoff_grows(attempts, minutes):
    assert delivery_module.backoff_after(attempts) == datetime.timedelta(minutes=minutes)
