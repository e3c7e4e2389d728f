"""WeCom and DingTalk robots: payloads, DingTalk signing, error answers; never the network."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.parse

import pytest

from kehu.core.notifications import webhooks
from kehu.core.notifications.models import Delivery, DeliveryStatus
from kehu.core.notifications.services import notify


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def urlopen(monkeypatch):
    """Replaces urllib's urlopen; records each request and answers with `answer`."""
    state = {"requests": [], "answer": b'{"errcode":0,"errmsg":"ok"}', "error": None}

    def fake(request, timeout=None):
        state["requests"].append({"request": request, "timeout": timeout})
        if state["error"]:
            raise state["error"]
        return FakeResponse(state["answer"])

    monkeypatch.setattr(webhooks.urllib.request, "urlopen", fake)
    return state


def test_dingtalk_signature_matches_the_documented_algorithm():
    # base64(HMAC-SHA256(secret, "timestamp\nsecret")), computed independently with openssl
    assert webhooks.dingtalk_sign("SECexample-secret", 1700000000000) == "0fkiC8KrRP8cNrqFxRls0ApmSoNm4LsTBQWMcJ9T5e0="


def test_dingtalk_signed_url_encodes_the_signature():
    url = webhooks.dingtalk_signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=T", "SECexample-secret", 1700000000000
    )

    assert url == (
        "https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1700000000000"
        "&sign=0fkiC8KrRP8cNrqFxRls0ApmSoNm4LsTBQWMcJ9T5e0%3D"
    )


def test_dingtalk_url_unchanged_without_secret():
    assert webhooks.dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=T", "") == (
        "https://oapi.dingtalk.com/robot/send?access_token=T"
    )


def test_post_json_sends_utf8_json_with_a_timeout(urlopen):
    answer = webhooks.post_json("https://example.invalid/hook", webhooks.text_payload("你好"))

    [sent] = urlopen["requests"]
    assert answer == {"errcode": 0, "errmsg": "ok"}
    assert sent["timeout"] == webhooks.TIMEOUT_SECONDS
    assert sent["request"].get_method() == "POST"
    assert sent["request"].get_header("Content-type") == "application/json; charset=utf-8"
    assert json.loads(sent["request"].data.decode("utf-8")) == {"msgtype": "text", "text": {"content": "你好"}}


def test_post_json_raises_on_a_refusal(urlopen):
    urlopen["answer"] = b'{"errcode":310000,"errmsg":"sign not match"}'

    with pytest.raises(webhooks.WebhookError, match="310000 sign not match"):
        webhooks.post_json("https://example.invalid/hook", {})


def test_post_json_raises_on_a_network_error(urlopen):
    urlopen["error"] = urllib.error.URLError("timed out")

    with pytest.raises(webhooks.WebhookError, match="timed out"):
        webhooks.post_json("https://example.invalid/hook", {})


def test_dingtalk_delivery_posts_a_signed_text_message(personas, settings, urlopen, django_capture_on_commit_callbacks):
    settings.KEHU_DINGTALK_WEBHOOK_URL = "https://oapi.dingtalk.com/robot/send?access_token=T"
    settings.KEHU_DINGTALK_SECRET = "SECexample-secret"
    settings.KEHU_BASE_URL = "https://crm.example.cn/"

    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notify(
            recipients=[personas.carol], kind="deal.won", title="赢单：华东项目", body="金额 ¥120,000.00",
            url="/sales/opportunities/9/", channels=("dingtalk",),
        )

    [sent] = urlopen["requests"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(sent["request"].full_url).query)
    timestamp = int(query["timestamp"][0])
    assert query["access_token"] == ["T"]
    assert query["sign"] == [webhooks.dingtalk_sign("SECexample-secret", timestamp)]
    assert json.loads(sent["request"].data) == {
        "msgtype": "text",
        "text": {"content": f"赢单：华东项目\n金额 ¥120,000.00\nhttps://crm.example.cn/inbox/{notification.pk}/"},
    }
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_refused_webhook_is_retried_later(personas, settings, urlopen, django_capture_on_commit_callbacks):
    settings.KEHU_WECOM_WEBHOOK_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K"
    urlopen["answer"] = b'{"errcode":45009,"errmsg":"api freq out of limit"}'

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[personas.alice], kind="info", title="x", channels=("wecom",))

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert "45009" in delivery.last_error
