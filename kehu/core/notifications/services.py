"""Writes: notify() for every app, marking read, and a user's channel preferences.

notify() writes the inbox rows and one pending Delivery per other channel in the
caller's transaction; the sending jobs are enqueued only when it commits, so a
rolled-back business change notifies nobody. See delivery.py for how a delivery is
claimed and sent exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core.jobs import enqueue_on_commit
from kehu.core.notifications import channels as channel_senders
from kehu.core.notifications.links import is_local_url
from kehu.core.notifications.models import (
    GROUP_CHANNELS,
    INBOX,
    Channel,
    Delivery,
    Notification,
    NotificationPreference,
)


def _check_channels(requested: Sequence[str]) -> list[str]:
    known = {INBOX, *Channel.values}
    unknown = [name for name in requested if name not in known]
    if unknown:
        raise ValidationError({"channels": _("Unknown channel: %(names)s.") % {"names": ", ".join(unknown)}})
    return [name for name in dict.fromkeys(requested) if name != INBOX]


def _wants(recipient, channel: str, preferences: dict[int, NotificationPreference]) -> bool:
    preference = preferences.get(recipient.pk)
    if preference is not None and not preference.allows(channel):
        return False
    if channel == Channel.EMAIL:
        return bool(recipient.email)
    if channel == Channel.SMS:
        return bool(getattr(recipient, "mobile", ""))
    return True


def _create_notification(recipient, dedupe_key: str | None, **fields) -> Notification | None:
    """Insert one inbox row; None when `dedupe_key` was already used for this recipient."""
    if dedupe_key is not None and Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists():
        return None
    try:
        # A savepoint: a concurrent twin losing the unique race must not break the caller's transaction.
        with transaction.atomic():
            return Notification.objects.create(recipient=recipient, dedupe_key=dedupe_key, **fields)
    except IntegrityError:
        if dedupe_key is None:
            raise
        return None


@transaction.atomic
def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    channels: Sequence[str] = (INBOX,),
    actor=None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Notify each recipient in the inbox and on the other `channels`; return the new notifications.

    Every recipient always gets the inbox row. Email and SMS go only to recipients who
    have an address and have not switched the channel off; WeCom/DingTalk group robots
    get one message per call (attached to the first new notification) when configured.
    `url` must be a path on this site. With `dedupe_key`, a recipient who already had a
    notification with that key gets nothing new (a job that runs twice notifies once).
    Inactive users and duplicates in `recipients` are skipped.
    """
    if url and not is_local_url(url):
        raise ValidationError({"url": _("The link must be a path on this site, such as /customers/12/.")})
    if not title.strip():
        raise ValidationError({"title": _("A notification needs a title.")})
    extra_channels = _check_channels(channels)
    unique_recipients = list({user.pk: user for user in recipients if user is not None and user.is_active}.values())
    preferences = {
        preference.user_id: preference
        for preference in NotificationPreference.objects.filter(user__in=[u.pk for u in unique_recipients])
    }
    created: list[Notification] = []
    deliveries: list[Delivery] = []
    for recipient in unique_recipients:
        notification = _create_notification(
            recipient, dedupe_key, kind=kind, title=title[:200], body=body, url=url, actor=actor,
        )
        if notification is None:
            continue
        created.append(notification)
        for channel in extra_channels:
            if channel in GROUP_CHANNELS:
                continue
            if _wants(recipient, channel, preferences):
                deliveries.append(Delivery(notification=notification, channel=channel))
    if created:
        for channel in extra_channels:
            if channel in GROUP_CHANNELS and channel_senders.is_configured(channel):
                deliveries.append(Delivery(notification=created[0], channel=channel))
    now = timezone.now()
    for delivery in deliveries:
        delivery.next_attempt_at = now
        delivery.save()
        _enqueue_delivery(delivery.pk)
    return created


def _enqueue_delivery(delivery_id: int) -> None:
    from kehu.core.notifications.tasks import send_delivery

    enqueue_on_commit(send_delivery, delivery_id)


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark the actor's own notification read (once: the first read time is kept)."""
    if notification.recipient_id != actor.pk:
        raise ValidationError({"notification": _("This notification is not yours.")})
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notification_mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read; return how many."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def notification_preference_set(*, actor, email_enabled: bool, sms_enabled: bool) -> NotificationPreference:
    """Save the actor's channel choices; notify() respects them from the next call on."""
    preference, _created = NotificationPreference.objects.update_or_create(
        user=actor, defaults={"email_enabled": email_enabled, "sms_enabled": sms_enabled}
    )
    return preference
