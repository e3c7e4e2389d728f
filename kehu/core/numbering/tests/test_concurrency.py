"""Numbers stay unique and gap-free when many creators run at once, some of them rolling back.

Each thread takes numbers in its own transactions on its own database
connection; every fifth transaction fails after taking its number. The numbers
that committed must be exactly 1..N: no duplicate (the counter row lock), no
hole (a rolled-back transaction gives its number back).
"""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import connection, transaction

from kehu.core.numbering.models import IssuedNumber, NumberCounter
from kehu.core.numbering.services import next_number
from kehu.core.numbering.tests.factories import NumberPatternFactory

THREADS = 8
PER_THREAD = 25
DAY = datetime.date(2026, 11, 22)
FORM_TYPE = "tests.concurrent"


class Rollback(Exception):
    pass


def _sqlite_file_database() -> bool:
    return connection.vendor == "sqlite" and not connection.is_in_memory_db()


def _take_numbers_concurrently(threads: int = THREADS, per_thread: int = PER_THREAD) -> tuple[list, list]:
    """Run the threads; return (committed numbers, errors raised in the threads)."""
    committed: list[str] = []
    rolled_back: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def worker(index: int) -> None:
        try:
            start.wait(timeout=30)
            for attempt in range(per_thread):
                taken = None
                try:
                    with transaction.atomic():
                        taken = next_number(FORM_TYPE, on=DAY)
                        # Hold the lock a moment so the other threads queue behind it.
                        time.sleep(0.001)
                        if (index + attempt) % 5 == 4:
                            raise Rollback
                except Rollback:
                    with lock:
                        rolled_back.append(taken)
                    continue
                with lock:
                    committed.append(taken)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in pool), "a thread hung"
    assert rolled_back, "no transaction rolled back: the test would prove nothing about gaps"
    return committed, errors


def _assert_gap_free(committed: list[str]) -> None:
    expected_total = len(committed)
    sequences = sorted(int(number.removeprefix("CC20261122")) for number in committed)
    assert len(set(committed)) == expected_total, "a number was issued twice"
    assert sequences == list(range(1, expected_total + 1)), "the committed numbers have a gap"
    stored = sorted(IssuedNumber.objects.filter(form_type=FORM_TYPE).values_list("number", flat=True))
    assert stored == sorted(committed)
    assert NumberCounter.objects.get(pattern__form_type=FORM_TYPE, period="20261122").last_value == (
        expected_total
    )


def _pattern() -> None:
    NumberPatternFactory(form_type=FORM_TYPE, prefix="CC", date_format="YYYYMMDD", infix="", width=4,
                         reset_period="daily")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creators_get_unique_gap_free_numbers_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    _pattern()

    committed, errors = _take_numbers_concurrently()

    assert errors == []
    assert len(committed) == THREADS * PER_THREAD * 4 // 5
    _assert_gap_free(committed)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_use_creates_one_counter_on_postgresql():
    """Many creators racing for a period's first number: one counter row, numbers 1..N."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    _pattern()

    committed, errors = _take_numbers_concurrently(threads=THREADS, per_thread=5)

    assert errors == []
    assert NumberCounter.objects.filter(pattern__form_type=FORM_TYPE).count() == 1
    _assert_gap_free(committed)


@pytest.mark.django_db(transaction=True)
def test_concurrent_creators_get_unique_gap_free_numbers_on_sqlite():
    """SQLite serialises writers (IMMEDIATE transactions, busy timeout) instead of locking rows.

    Needs a database file (KEHU_TEST_SQLITE_NAME): the default in-memory test
    database shares one cache between threads, whose table locks do not wait.
    """
    if not _sqlite_file_database():
        pytest.skip("needs a SQLite database file (set KEHU_TEST_SQLITE_NAME)")
    _pattern()

    committed, errors = _take_numbers_concurrently(threads=4, per_thread=10)

    assert errors == []
    assert len(committed) == 4 * 10 * 4 // 5
    _assert_gap_free(committed)
