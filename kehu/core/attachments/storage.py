"""Writing uploads to disk: random names in dated folders, hashed and measured on the way."""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

SNIFF_BYTES = 8192


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    size: int
    sha256: str

    @property
    def path(self) -> Path:
        return Path(settings.KEHU_ATTACHMENT_ROOT) / self.stored_name


def read_head(uploaded_file: UploadedFile) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    uploaded_file.seek(0)
    return head


def too_large_error(limit: int) -> ValidationError:
    megabytes = f"{limit / (1024 * 1024):g}"
    return ValidationError({"file": _("The file is larger than the limit of %(size)s MB.") % {"size": megabytes}})


def store_upload(uploaded_file: UploadedFile) -> StoredFile:
    """Copy the upload under KEHU_ATTACHMENT_ROOT/YYYY/MM/DD/<uuid4>; refuse it past the size limit."""
    limit = settings.KEHU_ATTACHMENT_MAX_BYTES
    day = timezone.localdate()
    stored_name = f"{day:%Y/%m/%d}/{uuid.uuid4().hex}"
    final = Path(settings.KEHU_ATTACHMENT_ROOT) / stored_name
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_suffix(".part")
    digest = hashlib.sha256()
    size = 0
    uploaded_file.seek(0)
    try:
        # O_EXCL: never write over another file, even with a (vanishingly unlikely) uuid clash.
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640), "wb") as handle:
            for chunk in uploaded_file.chunks():
                size += len(chunk)
                if size > limit:
                    # The declared size can lie; the bytes counted here cannot.
                    raise too_large_error(limit)
                digest.update(chunk)
                handle.write(chunk)
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return StoredFile(stored_name=stored_name, size=size, sha256=digest.hexdigest())
