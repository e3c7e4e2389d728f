"""bulk_insert stores what bulk_create stores, and hands back the primary keys in order."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from kehu.core.audit.models import Action, ChangeLogEntry
from kehu.core.bulk import Blank, bulk_insert
from kehu.testing.scoped.models import ScopedRecord

pytestmark = pytest.mark.django_db


def entry(**values):
    return ChangeLogEntry(
        content_type=ContentType.objects.get_for_model(ScopedRecord), object_id="1", object_repr="记录",
        action=Action.CREATE, **values,
    )


def stored(entries):
    return list(
        ChangeLogEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("pk")
        .values("actor_id", "actor_repr", "object_id", "object_repr", "action", "changes", "note", "created_at")
    )


def test_the_same_rows_as_bulk_create_json_datetimes_foreign_keys_and_chinese_text(personas):
    when = timezone.now().replace(microsecond=123456)
    values = [
        {"actor": personas.alice, "actor_repr": "王丽", "note": "导入", "created_at": when,
         "changes": [{"field": "name", "label": "名称", "old": "", "new": "华为 “技术”"}]},
        {"actor": None, "changes": [], "created_at": when - datetime.timedelta(days=400)},
        {"actor": personas.bob, "created_at": when,
         "changes": {"amount": str(Decimal("12.50")), "ok": True, "n": None}},
    ]
    ours = [entry(**v) for v in values]
    theirs = [entry(**v) for v in values]

    bulk_insert(ChangeLogEntry, ours)
    ChangeLogEntry.objects.bulk_create(theirs)

    assert all(e.pk for e in ours) and [e.pk for e in ours] == sorted(e.pk for e in ours)
    assert stored(ours) == stored(theirs)
    assert not ours[0]._state.adding


def test_auto_now_add_is_filled_and_pks_come_back_in_order_across_batches(personas, monkeypatch):
    from kehu.core import bulk

    monkeypatch.setattr(bulk, "MAX_PARAMS", 8)  # 4 columns: two rows per statement
    before = timezone.now()
    records = [ScopedRecord(title=f"记录{i}", owner=personas.alice, department=personas.east) for i in range(5)]

    bulk_insert(ScopedRecord, records)

    by_pk = {r.pk: r for r in ScopedRecord.objects.all()}
    assert [by_pk[r.pk].title for r in records] == [f"记录{i}" for i in range(5)]
    assert all(by_pk[r.pk].created_at >= before for r in records)


def test_returning_false_inserts_without_keys(personas):
    records = [ScopedRecord(title="甲", owner=personas.alice), ScopedRecord(title="乙", owner=personas.bob)]

    bulk_insert(ScopedRecord, records, returning=False)

    assert sorted(ScopedRecord.objects.values_list("title", flat=True)) == ["乙", "甲"]


def test_blank_makes_the_same_object_as_the_constructor_with_fresh_callable_defaults(personas):
    make = Blank(ChangeLogEntry)

    first, second = make(actor=personas.alice, note="甲"), make(note="乙")
    plain = ChangeLogEntry(actor=personas.alice, note="甲")

    assert first.actor == personas.alice and first.actor_id == personas.alice.pk and first.note == "甲"
    assert first.changes == plain.changes == [] and first.changes is not second.changes
    assert first._state.adding and first._state is not second._state
    assert {k for k in first.__dict__ if k != "_state"} >= {k for k in plain.__dict__ if k != "_state"}
