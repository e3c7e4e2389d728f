"""Group-robot webhooks: WeCom (企业微信) and DingTalk (钉钉).

Both take `{"msgtype": "text", "text": {"content": ...}}` and answer
`{"errcode": 0, "errmsg": "ok"}` on success. DingTalk robots with "加签"
(signing) need `timestamp` and `sign` in the query string, where `sign` is
base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}")), URL-encoded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 10


class WebhookError(Exception):
    """The robot did not accept the message (HTTP error, network error, or errcode ≠ 0)."""


def text_payload(content: str) -> dict[str, Any]:
    return {"msgtype": "text", "text": {"content": content}}


def post_json(url: str, payload: dict[str, Any], *, timeout: float = TIMEOUT_SECONDS) -> dict[str, Any]:
    """POST `payload` as JSON; return the decoded answer or raise WebhookError."""
    request = urllib.request.Request(
        url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"}, method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (URL from settings)
            raw = response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise WebhookError(f"webhook request failed: {exc}") from exc
    try:
        answer = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError) as exc:
        raise WebhookError(f"webhook answered something that is not JSON: {raw[:200]!r}") from exc
    if answer.get("errcode", 0) != 0:
        raise WebhookError(f"webhook refused the message: {answer.get('errcode')} {answer.get('errmsg', '')}")
    return answer


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature (not yet URL-encoded) for a millisecond timestamp."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), message, digestmod=hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """The webhook URL with `&timestamp=…&sign=…` added (unchanged when there is no secret)."""
    if not secret:
        return url
    if timestamp_ms is None:
        timestamp_ms = int(time.time() * 1000)
    query = urllib.parse.urlencode({"timestamp": timestamp_ms, "sign": dingtalk_sign(secret, timestamp_ms)})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def send_wecom(url: str, content: str) -> dict[str, Any]:
    return post_json(url, text_payload(content))


def send_dingtalk(url: str, content: str, *, secret: str = "") -> dict[str, Any]:
    return post_json(dingtalk_signed_url(url, secret), text_payload(content))
