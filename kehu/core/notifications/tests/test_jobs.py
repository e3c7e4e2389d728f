"""kehu.core.jobs: enqueue after commit, run once per key."""

from __future__ import annotations

import pytest
from django.db import transaction
from huey.contrib.djhuey import db_task

from kehu.core.jobs import enqueue_on_commit, run_once
from kehu.core.notifications.models import JobRun

calls: list[tuple] = []


@db_task()
def record(*args, **kwargs):
    calls.append((args, kwargs))


@pytest.fixture(autouse=True)
def _clear_calls():
    calls.clear()


@pytest.mark.django_db
def test_enqueue_on_commit_waits_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(record, 1, kind="x")
        assert calls == []

    assert calls == [((1,), {"kind": "x"})]


@pytest.mark.django_db
def test_enqueue_on_commit_drops_the_job_on_rollback(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(record, 1)
        raise RuntimeError

    assert callbacks == []
    assert calls == []


@pytest.mark.django_db
def test_run_once_is_true_only_for_the_first_caller():
    assert run_once("report.daily:2026-03-02") is True
    assert run_once("report.daily:2026-03-02") is False
    assert run_once("report.daily:2026-03-03") is True
    assert JobRun.objects.count() == 2


@pytest.mark.django_db
def test_run_once_claim_rolls_back_with_failed_work():
    with pytest.raises(RuntimeError), transaction.atomic():
        assert run_once("import:42") is True
        raise RuntimeError("the work failed")

    assert run_once("import:42") is True
