"""Gateways for tests, chosen through the real settings (KEHU_SMS_BACKEND, EMAIL_BACKEND)."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.base import BaseEmailBackend

from kehu.core.notifications.sms import SmsBackend, SmsError

calls: dict[str, int] = {"sms": 0, "email": 0}
# How many of the next sends fail before one succeeds.
failures_left: dict[str, int] = {"sms": 0, "email": 0}


def reset() -> None:
    calls.update(sms=0, email=0)
    failures_left.update(sms=0, email=0)


class FlakySmsBackend(SmsBackend):
    """Fails while failures_left["sms"] > 0, then sends into sms.outbox like the logging backend."""

    def send(self, mobile: str, text: str) -> None:
        from kehu.core.notifications.sms import LoggingSmsBackend

        calls["sms"] += 1
        if failures_left["sms"] > 0:
            failures_left["sms"] -= 1
            raise SmsError("gateway busy")
        LoggingSmsBackend().send(mobile, text)


class FlakyEmailBackend(BaseEmailBackend):
    """Refuses while failures_left["email"] > 0, then delivers to django.core.mail.outbox."""

    def send_messages(self, email_messages):
        from django.core import mail

        calls["email"] += 1
        if failures_left["email"] > 0:
            failures_left["email"] -= 1
            raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")
        mail.outbox.extend(email_messages)
        return len(email_messages)
