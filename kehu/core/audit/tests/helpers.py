"""Test helpers: the scoped test model joins the change log, and records owned by a persona."""

from __future__ import annotations

from kehu.core.audit.registry import register_audited
from kehu.testing.scoped.models import ScopedRecord

# The registry accepts models at any time; tests follow the test-only model too.
register_audited(ScopedRecord)


def make_record(owner, title: str = "华东客户档案") -> ScopedRecord:
    return ScopedRecord.objects.create(title=title, owner=owner, department=owner.department)
