"""Which files may be uploaded: by extension AND by their first bytes.

An extension must be on the allow list, and the content must look like that
kind of file (a PDF starts with %PDF-, an .xlsx is a zip …). Executables are
refused whatever they are called.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# extension -> (content type, kinds of content accepted)
ALLOWED: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", ("pdf",)),
    "doc": ("application/msword", ("ole",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("zip",)),
    "xls": ("application/vnd.ms-excel", ("ole",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("zip",)),
    "ppt": ("application/vnd.ms-powerpoint", ("ole",)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ("zip",)),
    "odt": ("application/vnd.oasis.opendocument.text", ("zip",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ("zip",)),
    "odp": ("application/vnd.oasis.opendocument.presentation", ("zip",)),
    # WPS Office, common in Chinese offices: old binary or new zip-based files.
    "wps": ("application/vnd.ms-works", ("ole", "zip")),
    "et": ("application/vnd.ms-excel", ("ole", "zip")),
    "dps": ("application/vnd.ms-powerpoint", ("ole", "zip")),
    "rtf": ("application/rtf", ("rtf",)),
    "txt": ("text/plain", ("text",)),
    "csv": ("text/csv", ("text",)),
    "png": ("image/png", ("png",)),
    "jpg": ("image/jpeg", ("jpeg",)),
    "jpeg": ("image/jpeg", ("jpeg",)),
    "gif": ("image/gif", ("gif",)),
    "webp": ("image/webp", ("webp",)),
    "bmp": ("image/bmp", ("bmp",)),
    "tif": ("image/tiff", ("tiff",)),
    "tiff": ("image/tiff", ("tiff",)),
    # Uploadable, but only ever served as a download (they can carry script).
    "svg": ("image/svg+xml", ("text",)),
    "html": ("text/html", ("text",)),
    "htm": ("text/html", ("text",)),
    "xml": ("application/xml", ("text",)),
    "zip": ("application/zip", ("zip",)),
    "rar": ("application/vnd.rar", ("rar",)),
    "7z": ("application/x-7z-compressed", ("7z",)),
}

BLOCKED = frozenset({
    "exe", "bat", "cmd", "com", "sh", "bash", "js", "mjs", "vbs", "vbe", "jse", "wsf", "wsh", "ps1",
    "psm1", "msi", "msp", "dll", "so", "dylib", "scr", "cpl", "jar", "apk", "app", "dmg", "pif", "hta",
    "lnk", "reg", "py", "pl", "php", "rb", "elf", "bin", "run",
})

# Shown inline in the browser; everything else is a download.
INLINE_SAFE = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "application/pdf"})

MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "bmp": (b"BM",),
    "tiff": (b"II*\x00", b"MM\x00*"),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
    "ole": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "rtf": (b"{\\rtf",),
    "rar": (b"Rar!\x1a\x07",),
    "7z": (b"7z\xbc\xaf\x27\x1c",),
}

EXECUTABLE_MAGIC = (
    b"MZ", b"\x7fELF", b"#!", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe",
)

_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def is_inline_safe(mime_type: str) -> bool:
    return mime_type in INLINE_SAFE


def clean_filename(name: str) -> str:
    """The name to show and offer on download: no folders, no control or reserved characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_CHARS.sub("_", name).strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[: 199 - len(extension)]}.{extension}" if dot and len(extension) <= 10 else name[:200]
    return name or "attachment"


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            head[: len(head) - len(head) % 2].decode("utf-16")
        except UnicodeDecodeError:
            return False
        return True
    if b"\x00" in head:
        return False
    # The head may end inside a multi-byte character: decode incrementally.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _matches(kind: str, head: bytes) -> bool:
    if kind == "text":
        return _looks_like_text(head)
    if kind == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    return head.startswith(MAGIC[kind])


def check_file_type(name: str, head: bytes) -> str:
    """The content type to store for an upload named `name` starting with `head`.

    Raises ValidationError on the "file" field when the type is not allowed or
    the content does not match the extension.
    """
    extension = extension_of(name)
    if extension in BLOCKED or head.startswith(EXECUTABLE_MAGIC):
        raise ValidationError({"file": _("Programs and scripts cannot be attached.")})
    if extension not in ALLOWED:
        raise ValidationError(
            {"file": _("Files of type “.%(extension)s” cannot be attached.") % {"extension": extension or "?"}}
        )
    mime_type, kinds = ALLOWED[extension]
    if not any(_matches(kind, head) for kind in kinds):
        raise ValidationError(
            {"file": _("The content of this file does not match its “.%(extension)s” name.") % {"extension": extension}}
        )
    return mime_type
