"""In-app notifications, their deliveries on other channels, preferences, and job-run markers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where a notification goes besides the inbox."""

    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


INBOX = "inbox"
# Group robots post to one shared chat: one message per notify() call, not one per recipient.
GROUP_CHANNELS = frozenset({Channel.WECOM, Channel.DINGTALK})


class Notification(models.Model):
    """One message to one user; shown in the inbox, optionally delivered elsewhere too."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("from"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=50, default="info")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # NULL, not "": only notifications that carry a key take part in the unique constraint.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, editable=False)  # noqa: DJ001
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_read")]
        constraints = [
            # A reminder job that runs twice must not notify twice.
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=Q(dedupe_key__isnull=False),
                name="uniq_notification_dedupe_key",
            ),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class DeliveryStatus(models.TextChoices):
    """A delivery's life: pending → sending (claimed by one worker) → sent or failed."""

    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """Sending one notification on one channel; claimed by exactly one job before it is sent."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_status_next")]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="uniq_delivery_channel"),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.channel} #{self.notification_id}: {self.status}"


class NotificationPreference(models.Model):
    """A user's choice of channels besides the inbox; a missing row means every channel on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(_("by email"), default=True)
    sms_enabled = models.BooleanField(_("by SMS"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    def allows(self, channel: str) -> bool:
        if channel == Channel.EMAIL:
            return self.email_enabled
        if channel == Channel.SMS:
            return self.sms_enabled
        return True


class JobRun(models.Model):
    """Marks a periodic job's work for one period as done (see kehu.core.jobs.run_once).

    Kept here because kehu.core has no tables of its own; it is not notification-specific.
    """

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self) -> str:
        return self.key
