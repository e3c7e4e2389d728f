"""SMS through a pluggable gateway, chosen by settings.KEHU_SMS_BACKEND (a dotted path).

A gateway is a subclass of `SmsBackend` with `send(mobile, text)`; it raises
`SmsError` when the message was not accepted. Options for the gateway (keys,
signature name, template id …) come as JSON in settings.KEHU_SMS_OPTIONS and
are passed to its constructor as keyword arguments.

The default `LoggingSmsBackend` sends nothing: it logs the message and keeps it
in `kehu.core.notifications.sms.outbox`, like Django's locmem email backend.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway did not accept the message."""


@dataclass(frozen=True)
class SmsMessage:
    mobile: str
    text: str


# Messages "sent" by LoggingSmsBackend in this process (tests and development only);
# only the latest OUTBOX_LIMIT are kept, so a long-running worker does not grow.
outbox: list[SmsMessage] = []
OUTBOX_LIMIT = 500


class SmsBackend:
    """Base class of SMS gateways."""

    def __init__(self, **options: Any) -> None:
        self.options = options

    def send(self, mobile: str, text: str) -> None:
        raise NotImplementedError


class LoggingSmsBackend(SmsBackend):
    """Sends nothing: logs the message (number masked) and appends it to `outbox`."""

    def send(self, mobile: str, text: str) -> None:
        from kehu.core.audit.masking import mask_phone

        logger.info("SMS to %s: %s", mask_phone(mobile), text)
        outbox.append(SmsMessage(mobile=mobile, text=text))
        del outbox[:-OUTBOX_LIMIT]


def get_sms_backend() -> SmsBackend:
    """The configured gateway, built with the options from settings.KEHU_SMS_OPTIONS."""
    backend_class = import_string(settings.KEHU_SMS_BACKEND)
    raw = getattr(settings, "KEHU_SMS_OPTIONS", "") or ""
    options = json.loads(raw) if isinstance(raw, str) and raw.strip() else dict(raw or {})
    return backend_class(**options)
