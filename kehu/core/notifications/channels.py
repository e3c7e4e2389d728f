"""How one delivery is sent on its channel. Raises on failure; PermanentError is not retried."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kehu.core.notifications import sms, webhooks
from kehu.core.notifications.models import Channel, Delivery, Notification


class PermanentError(Exception):
    """Sending can never succeed as things stand (no address, channel not configured)."""


def link_for(notification: Notification) -> str:
    """The absolute link that opens the notification (and marks it read) in Kehu."""
    if not notification.url:
        return ""
    base = settings.KEHU_BASE_URL.rstrip("/")
    return base + reverse("notifications:open", args=[notification.pk])


def message_text(notification: Notification) -> str:
    parts = [notification.title, notification.body, link_for(notification)]
    return "\n".join(part for part in parts if part)


def _language(notification: Notification) -> str:
    return getattr(notification.recipient, "language", "") or settings.LANGUAGE_CODE


def send_email(notification: Notification) -> None:
    address = notification.recipient.email
    if not address:
        raise PermanentError("the recipient has no email address")
    with translation.override(_language(notification)):
        app_name = _("Kehu CRM")
    subject = f"[{app_name}] {notification.title}"
    EmailMessage(subject=subject, body=message_text(notification), to=[address]).send(fail_silently=False)


def send_sms(notification: Notification) -> None:
    mobile = getattr(notification.recipient, "mobile", "")
    if not mobile:
        raise PermanentError("the recipient has no mobile number")
    sms.get_sms_backend().send(mobile, message_text(notification))


def send_wecom(notification: Notification) -> None:
    url = settings.KEHU_WECOM_WEBHOOK_URL
    if not url:
        raise PermanentError("KEHU_WECOM_WEBHOOK_URL is not set")
    webhooks.send_wecom(url, message_text(notification))


def send_dingtalk(notification: Notification) -> None:
    url = settings.KEHU_DINGTALK_WEBHOOK_URL
    if not url:
        raise PermanentError("KEHU_DINGTALK_WEBHOOK_URL is not set")
    webhooks.send_dingtalk(url, message_text(notification), secret=settings.KEHU_DINGTALK_SECRET or "")


SENDERS = {
    Channel.EMAIL: send_email,
    Channel.SMS: send_sms,
    Channel.WECOM: send_wecom,
    Channel.DINGTALK: send_dingtalk,
}


def is_configured(channel: str) -> bool:
    """Whether Kehu can use this channel at all (group robots need their webhook URL)."""
    if channel == Channel.WECOM:
        return bool(settings.KEHU_WECOM_WEBHOOK_URL)
    if channel == Channel.DINGTALK:
        return bool(settings.KEHU_DINGTALK_WEBHOOK_URL)
    return channel in SENDERS


def send(delivery: Delivery) -> None:
    SENDERS[Channel(delivery.channel)](delivery.notification)
