"""Jobs on real huey storage: the SQLite file by default, Redis when REDIS_URL is set.

The rest of the suite runs huey in immediate mode; these tests push a task through the
same kind of queue production uses (settings.HUEY without `immediate`) and run it the
way the consumer does, so a broken storage configuration fails here.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from huey import RedisHuey, SqliteHuey

from kehu.core.notifications.models import Delivery, DeliveryStatus
from kehu.core.notifications.services import notify

REDIS_URL = os.environ.get("REDIS_URL")


def _huey_settings(home) -> dict:
    """What kehu.settings builds for HUEY in a fresh process with this environment."""
    env = {**os.environ, "KEHU_HOME": str(home), "DJANGO_SETTINGS_MODULE": "kehu.settings"}
    code = "import json; from kehu import settings as s; print(json.dumps({k: v for k, v in s.HUEY.items() if k != 'consumer'}))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def test_settings_pick_sqlite_storage_in_kehu_home_without_redis(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    code = "import json; from kehu import settings as s; print(json.dumps(s.HUEY['huey_class']), s.HUEY['filename'], s.HUEY['immediate'])"
    out = subprocess.run(
        [sys.executable, "-c", code], env={**env, "KEHU_HOME": str(tmp_path)}, capture_output=True, text=True, check=True
    )
    huey_class, filename, immediate = out.stdout.split()
    assert huey_class == '"huey.SqliteHuey"'
    assert filename == str(tmp_path / "jobs.sqlite3")
    assert immediate == "False"


@pytest.mark.skipif(not REDIS_URL, reason="set REDIS_URL to test the Redis job queue")
def test_settings_pick_redis_when_redis_url_is_set(tmp_path):
    huey = _huey_settings(tmp_path)
    assert huey["huey_class"] == "huey.RedisHuey"
    assert huey["url"] == REDIS_URL


def _real_queue(tmp_path):
    if REDIS_URL:
        queue = RedisHuey(name=f"kehu-test-{os.getpid()}", url=REDIS_URL)
    else:
        queue = SqliteHuey(name="kehu-test", filename=str(tmp_path / "jobs.sqlite3"))
    queue.flush()
    return queue


@pytest.mark.django_db(transaction=True)
def test_a_notification_email_goes_through_the_real_queue_exactly_once(tmp_path, personas, mailoutbox):
    """notify() → delivery row → job enqueued after commit → consumer runs it → one email."""
    from kehu.core.notifications import tasks

    queue = _real_queue(tmp_path)
    # The app's task bound to the real queue, as the consumer process has it.
    real_task = queue.task()(tasks.send_delivery.func)
    tasks_send = tasks.send_delivery
    tasks.send_delivery = real_task
    try:
        personas.alice.email = "alice@example.com"
        personas.alice.save(update_fields=["email"])
        from django.db import transaction

        with transaction.atomic():
            notify(recipients=[personas.alice], kind="system", title="合同已审批", channels=["inbox", "email"])
            assert len(queue) == 0, "a job must not be queued before the commit"
        assert len(queue) == 1
        # Run what is queued, twice over: a duplicate job must not send twice.
        message = queue.dequeue()
        queue.execute(message)
        queue.execute(message)
        assert len(mailoutbox) == 1
        assert Delivery.objects.get().status == DeliveryStatus.SENT
    finally:
        tasks.send_delivery = tasks_send
        queue.flush()


def test_periodic_tasks_fire_on_their_schedule():
    import datetime as dt

    from huey.contrib.djhuey import HUEY

    def due(hour, minute):
        return {task.name.rsplit(".", 1)[-1] for task in HUEY.read_periodic(dt.datetime(2026, 3, 2, hour, minute))}

    assert "sweep_deliveries" in due(3, 15)
    assert "purge_read_notifications" not in due(3, 15)
    assert "purge_read_notifications" in due(3, 17)
    assert "sweep_deliveries" not in due(3, 17)
