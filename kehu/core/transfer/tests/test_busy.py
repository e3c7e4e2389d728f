"""The rule of a big import on SQLite: while it writes, users saving customers get their save
or a 503 with Retry-After, never a 500; and every save they were told succeeded is stored.

Needs a database FILE (KEHU_TEST_SQLITE_NAME, as CI sets it) or PostgreSQL: the default
in-memory test database shares one cache between threads, whose locks do not wait.
The import's write transaction is held open for a few seconds (a patched importer step)
while another thread saves customers through the page and the API; the savers' busy
timeout is shortened to 1 s so that some of them outlast it.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from kehu.core.transfer import services
from kehu.core.transfer.models import ImportStatus
from kehu.core.transfer.tests.helpers import upload
from kehu.customers.models import Customer
from kehu.customers.services.transfer import CustomerImporter

HOLD_SECONDS = 3.0
FORM = {
    "kind": "company", "short_name": "", "credit_code": "", "status": "intent", "level": "", "source": "",
    "industry": "", "business_function": "", "province": "", "city": "上海", "district": "", "address": "",
    "postcode": "", "phone": "", "website": "", "economic_nature": "", "scale": "", "network_coverage": "",
    "main_business": "", "credit_rating": "", "credit_limit": "", "id_number": "", "birthday": "",
    "remarks": "", "tags": "",
}


def _short_busy_timeout(monkeypatch) -> None:
    """New connections (the savers' threads) wait 1 s for the write lock instead of 20 s."""
    if connection.vendor != "sqlite":
        return
    options = dict(connection.settings_dict["OPTIONS"])
    options["timeout"] = 1.0
    options["init_command"] = options["init_command"].replace("busy_timeout=20000", "busy_timeout=1000")
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)


def _save(client: Client, number: int) -> tuple[str, int, str | None]:
    name = f"导入期间保存{number}号有限公司"
    if number % 2:
        response = client.post("/api/v1/customers/", {"name": name, "city": "上海"}, content_type="application/json")
    else:
        response = client.post(reverse("customers:customer_create"), {**FORM, "name": name})
    return name, response.status_code, response.get("Retry-After")


@pytest.mark.django_db(transaction=True)
def test_saves_during_a_big_import_are_stored_or_answer_503_never_500(monkeypatch):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a SQLite database file (set KEHU_TEST_SQLITE_NAME) or PostgreSQL")
    from kehu.testing.personas import create_personas

    personas = create_personas()
    rows = [[f"大批导入{i}号科技有限公司", "", "上海", "", "", ""] for i in range(300)]
    job = services.import_upload(actor=personas.carol, record_type="customers.customer",
                                 uploaded_file=upload(rows), background=False)
    assert job.status == ImportStatus.PREVIEWED and job.new_rows == 300
    services.import_confirm(actor=personas.carol, job=job, background=False)

    writing = threading.Event()
    original_apply = CustomerImporter.apply

    def slow_apply(self, **kwargs):  # the write phase of a big file: the lock held for seconds
        written = original_apply(self, **kwargs)
        writing.set()
        time.sleep(HOLD_SECONDS)
        return written

    monkeypatch.setattr(CustomerImporter, "apply", slow_apply)
    _short_busy_timeout(monkeypatch)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(personas.alice)
    # Warm up (translations, templates, URL resolvers): a save then waits on the lock, not on loading.
    assert client.get(reverse("customers:customer_create")).status_code == 200
    assert client.get("/api/v1/customers/").status_code == 200
    answers: list[tuple[str, int, str | None]] = []
    failures: list[BaseException] = []

    def import_thread() -> None:
        try:
            services.import_run(job_id=job.pk)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)
            writing.set()
        finally:
            connection.close()

    def saver_thread() -> None:
        try:
            assert writing.wait(timeout=30)
            number = 0
            while importer.is_alive():
                answers.append(_save(client, number))
                number += 1
            for extra in range(2):  # once the import is over, saves go through again
                answers.append(_save(client, number + extra))
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)
        finally:
            connection.close()

    importer = threading.Thread(target=import_thread)
    saver = threading.Thread(target=saver_thread)
    importer.start()
    saver.start()
    importer.join(timeout=60)
    saver.join(timeout=60)

    assert failures == []
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.written_rows == 300, job.message
    statuses = [status for _name, status, _retry in answers]
    assert all(200 <= status < 400 or status == 503 for status in statuses), answers
    assert all(retry == "2" for _name, status, retry in answers if status == 503), answers
    accepted = [name for name, status, _retry in answers if status < 400]
    assert accepted, answers  # after the import, saves go through again
    assert set(Customer.objects.filter(name__in=accepted).values_list("name", flat=True)) == set(accepted)
    refused = [name for name, status, _retry in answers if status == 503]
    assert not Customer.objects.filter(name__in=refused).exists()  # a 503 wrote nothing
    if connection.vendor == "sqlite":
        assert refused, answers  # the lock was really held: some saves outlasted the busy timeout
