"""Which links a notification may carry: only same-site paths, so "open" is never an open redirect."""

from __future__ import annotations

from urllib.parse import urlsplit


def is_local_url(url: str) -> bool:
    """True for a path on this site ("/customers/12/?tab=x"), False for anything that leaves it.

    Refused: absolute URLs, scheme-relative "//host", "/\\host" (browsers read "\\" as "/"),
    and control characters or spaces that browsers strip before resolving.
    """
    if not url or not url.startswith("/"):
        return False
    if any(ord(char) < 33 or ord(char) == 127 for char in url):
        return False
    if url.startswith(("//", "/\\")) or "\\" in url:
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc
