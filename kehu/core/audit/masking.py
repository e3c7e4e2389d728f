"""Masking of personal data (手机号, 身份证号, e-mail) for the change log, pages, API and exports.

Each function takes any value and returns a string that keeps just enough to
recognise the value (first and last characters) and never the whole of it.
"""

from __future__ import annotations

import re
from typing import Any

_NON_DIGITS = re.compile(r"\D")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def mask_phone(value: Any) -> str:
    """138****5678: keep the first 3 and the last 4 digits of a mobile or phone number."""
    text = _text(value)
    if not text:
        return ""
    digits = _NON_DIGITS.sub("", text)
    if len(digits) > 11:
        # A country code (+86) is dropped: the mask has the length of a mainland number.
        digits = digits[-11:]
    if len(digits) >= 8:
        return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
    return "*" * max(len(digits) - 2, 4) + digits[-2:] if len(digits) > 2 else "****"


def mask_id(value: Any) -> str:
    """110***********1234: keep the first 3 and the last 4 characters of an ID number."""
    text = _text(value).replace(" ", "")
    if not text:
        return ""
    if len(text) <= 7:
        return "*" * len(text)
    return f"{text[:3]}{'*' * (len(text) - 7)}{text[-4:]}"


def mask_email(value: Any) -> str:
    """z***@example.com: keep the first character of the local part and the domain."""
    text = _text(value)
    if not text:
        return ""
    local, separator, domain = text.partition("@")
    if not separator:
        return mask_id(text)
    return f"{local[:1]}***@{domain}"


def mask_all(value: Any) -> str:
    """****: hide the value entirely (bank accounts, free-text notes about a person)."""
    return "****" if _text(value) else ""
