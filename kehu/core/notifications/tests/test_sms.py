"""The pluggable SMS gateway."""

from __future__ import annotations

import pytest

from kehu.core.notifications import sms


class RecordingBackend(sms.SmsBackend):
    def send(self, mobile: str, text: str) -> None:
        sms.outbox.append(sms.SmsMessage(mobile, f"{self.options['signature']}{text}"))


def test_default_backend_logs_and_keeps_an_outbox(caplog):
    backend = sms.get_sms_backend()
    with caplog.at_level("INFO", logger="kehu.core.notifications.sms"):
        backend.send("13800138000", "验证码 1234")

    assert isinstance(backend, sms.LoggingSmsBackend)
    assert sms.outbox == [sms.SmsMessage("13800138000", "验证码 1234")]
    assert "138****8000" in caplog.text
    assert "13800138000" not in caplog.text  # logs never hold the whole number


def test_logging_backend_keeps_only_the_latest_messages():
    backend = sms.LoggingSmsBackend()
    for n in range(sms.OUTBOX_LIMIT + 20):
        backend.send("13800138000", f"第 {n} 条")

    assert len(sms.outbox) == sms.OUTBOX_LIMIT
    assert sms.outbox[-1].text == f"第 {sms.OUTBOX_LIMIT + 19} 条"


def test_backend_is_chosen_by_setting_with_json_options(settings):
    settings.KEHU_SMS_BACKEND = f"{__name__}.RecordingBackend"
    settings.KEHU_SMS_OPTIONS = '{"signature": "【客户】"}'

    sms.get_sms_backend().send("13800138000", "您有新的线索")

    assert sms.outbox == [sms.SmsMessage("13800138000", "【客户】您有新的线索")]


def test_base_backend_must_be_subclassed():
    with pytest.raises(NotImplementedError):
        sms.SmsBackend().send("1", "x")
