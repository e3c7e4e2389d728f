"""Which file column is which field: by title (Chinese or English), alias, or the user's last choice."""

from __future__ import annotations

import re
import unicodedata

from django.utils import translation

from kehu.core.transfer.registry import Importer

_NOISE = re.compile(r"[\s*＊:：_\-()（）\[\]【】]|必填|required")


def header_key(title: str) -> str:
    """The comparable form of a column title: 客户名称* / 客户名称（必填） / Name → 客户名称 / name."""
    text = unicodedata.normalize("NFKC", title or "").lower()
    return _NOISE.sub("", text)


def _known_titles(importer: Importer) -> dict[str, str]:
    """Every title a column answers to (key, Chinese and English label, aliases) → column key."""
    titles: dict[str, str] = {}
    for column in importer.columns:
        names = [column.key, *column.aliases]
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.append(str(column.label))
        for name in names:
            titles.setdefault(header_key(name), column.key)
    return titles


def auto_mapping(importer: Importer, headers: list[str], remembered: dict[str, str] | None = None) -> dict[str, str]:
    """{column index as text: column key} for the headers it recognises; each key used once."""
    known = _known_titles(importer)
    valid = {column.key for column in importer.columns}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for index, title in enumerate(headers):
        key = header_key(title)
        if not key:
            continue
        target = (remembered or {}).get(key)
        if target not in valid:
            target = known.get(key)
        if target and target not in used:
            mapping[str(index)] = target
            used.add(target)
    return mapping


def remembered_form(headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """The mapping as it is remembered for the user: by normalised title, not by position."""
    result = {}
    for index, key in mapping.items():
        position = int(index)
        if 0 <= position < len(headers) and header_key(headers[position]):
            result[header_key(headers[position])] = key
    return result
