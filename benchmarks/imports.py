"""The customer import (P9) at scale: `kehu bench --suite import --rows 100000`.

An archive of `--rows` / 10 generated customers (benchmarks/customers.py) is built first, so
查重 has something to find. Then, `--repeat` times, a new CSV of `--rows` customers with a
primary contact each is imported through the import service exactly as the page and
`kehu import` do it, as the administrator:

- preview: upload → parse → every field checked → 查重 against the archive and within the
  file → the report stored on the job (nothing written);
- run: confirm → the job checks everything again (the archive may have changed) → writes
  customers, contacts and their change-log entries in one transaction.

About 1 % of each file's rows carry the credit code of a customer in the archive (they
become updates) and about 0.5 % repeat an earlier row of the file (duplicates, skipped).

The raw floor of the run is every statement the run sent, captured and replayed through
`cursor.execute()` in a transaction that is rolled back: what the database alone costs for
the same work. Rows per second are file rows divided by seconds.
"""

from __future__ import annotations

import csv
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.customers import (
    AREA_CODES,
    BRAND_CHARS,
    GIVEN,
    INDUSTRIES,
    POSITIONS,
    PROVINCE_CITIES,
    SUFFIXES,
    SURNAMES,
    build_organisation,
    capture,
    fill_customers,
)

CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
HEADERS = ["客户名称", "统一社会信用代码", "省份", "城市", "行业", "电话", "地址", "状态", "联系人", "职务", "手机", "邮箱"]


def _credit_code(serial: int) -> str:
    from kehu.customers.normalize import credit_code_check_char

    first17 = f"92{440000 + serial % 90000:06d}{serial:09d}"[:17]
    return first17 + credit_code_check_char(first17)


def write_file(path: Path, rows: int, rng: random.Random, *, serial_from: int, existing_codes: list[str]) -> dict:
    """A CSV as people export it from another system (UTF-8 with BOM, Chinese headers)."""
    cities = [(province, city) for province, names in PROVINCE_CITIES.items() for city in names]
    statuses = ["意向", "在谈", "成交", "合作", "长期培育"]
    written: list[list[str]] = []
    counts = {"updates": 0, "repeats": 0}
    for i in range(rows):
        roll = rng.random()
        if written and roll < 0.005:
            written.append(list(rng.choice(written)))  # the same customer twice in one file
            counts["repeats"] += 1
            continue
        province, city = rng.choice(cities)
        industry, industry_label = rng.choice(INDUSTRIES)
        brand = "".join(rng.choices(BRAND_CHARS, k=4))
        if existing_codes and roll < 0.015:
            code = rng.choice(existing_codes)
            counts["updates"] += 1
        else:
            code = _credit_code(serial_from + i)
        area = AREA_CODES.get(city, "0" + str(rng.randint(310, 999)))
        mobile = f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"
        written.append([
            f"{city}{brand}{industry}{rng.choice(SUFFIXES)}", code, province, city, industry_label,
            f"{area}-{rng.randint(20000000, 89999999)}", f"{city}市{brand}路{rng.randint(1, 999)}号",
            rng.choice(statuses), rng.choice(SURNAMES) + rng.choice(GIVEN), rng.choice(POSITIONS),
            mobile, f"u{serial_from + i}@example.com",
        ])
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(written)
    return counts


def import_once(admin, path: Path) -> dict[str, Any]:
    from django.core.files import File

    from kehu.core.audit.context import audit_actor
    from kehu.core.transfer import services
    from kehu.customers.apps import CUSTOMER

    with audit_actor(admin):
        started = time.perf_counter()
        with path.open("rb") as handle:
            job = services.import_upload(actor=admin, record_type=CUSTOMER, uploaded_file=File(handle, name=path.name),
                                         background=False)  # the check in this process, timed
        previewed = time.perf_counter()
        if job.error_rows:
            raise RuntimeError(f"the generated file has errors: {job.errors[:3]}")
        services.import_confirm(actor=admin, job=job, background=False)

        def run():
            return services.import_run(job_id=job.pk)

        statements, job = capture(run)
        finished = time.perf_counter()
    if job is None or job.status != "done":
        raise RuntimeError(f"the import did not finish: {job and job.message}")
    return {
        "rows": job.total_rows, "new": job.new_rows, "updates": job.update_rows,
        "duplicates": job.duplicate_rows, "written": job.written_rows,
        "preview_s": previewed - started, "run_s": finished - previewed, "statements": statements,
        "started_at": job.started_at,
    }


def run_suite(args, report: dict[str, Any], time_interleaved=None) -> None:
    from django.db import connection

    from kehu.accounts.models import User
    from kehu.customers.models import Customer

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    org = build_organisation()
    archive = max(args.rows // 10, 100)
    fill_customers(archive, org["reps"], rng, contacts_each=3)
    report["setup_seconds"]["archive"] = round(time.perf_counter() - t0, 2)
    report["archive_customers"] = archive
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        username="bench_admin", password="Kehu-bench-pass-2026", email="bench@example.com"
    )
    codes = list(Customer.objects.exclude(credit_code="").values_list("credit_code", flat=True)[:5000])
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        for repetition in range(max(1, args.repeat)):
            path = Path(folder) / f"customers-{repetition}.csv"
            counts = write_file(path, args.rows, rng, serial_from=(repetition + 1) * 10_000_000, existing_codes=codes)
            result = import_once(admin, path)
            statements = result.pop("statements")
            result["statement_count"] = len(statements)
            result["floor_s"] = _floor(statements, result.pop("started_at"))
            result["file"] = counts
            runs.append(result)
    connection.close()

    def median(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    rows = args.rows
    report["import"] = {
        "runs": [{k: (round(v, 3) if isinstance(v, float) else v) for k, v in run.items()} for run in runs],
        "preview_rows_per_s": round(rows / median("preview_s")),
        "run_rows_per_s": round(rows / median("run_s")),
        "end_to_end_rows_per_s": round(rows / statistics.median(r["preview_s"] + r["run_s"] for r in runs)),
        "floor_rows_per_s": round(rows / median("floor_s")) if median("floor_s") else None,
        "ratio_run_to_floor": round(median("run_s") / median("floor_s"), 2) if median("floor_s") else None,
        "statements_per_run": statistics.median(r["statement_count"] for r in runs),
    }


def _floor(statements: list[tuple[str, Any]], started_at) -> float:
    """Replay the run's statements raw against the archive as it was before the run: what the
    run wrote is deleted first (not timed), everything inside one transaction rolled back."""
    from django.db import connection, transaction

    from kehu.core.audit.models import ChangeLogEntry
    from kehu.customers.models import Contact, Customer

    class Rollback(Exception):
        pass

    customers, contacts, log = (m._meta.db_table for m in (Customer, Contact, ChangeLogEntry))
    elapsed = 0.0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {log} WHERE created_at >= %s", [started_at])
            cursor.execute(f"DELETE FROM {contacts} WHERE created_at >= %s", [started_at])
            cursor.execute(f"DELETE FROM {customers} WHERE created_at >= %s", [started_at])
            began = time.perf_counter()
            for sql, params in statements:
                if sql.lstrip().upper().startswith(CONTROL):
                    continue  # the run's own transaction and savepoints: the replay has one
                cursor.execute(sql, params)
                if cursor.description:
                    cursor.fetchall()
            elapsed = time.perf_counter() - began
            raise Rollback
    except Rollback:
        pass
    return elapsed


def format_table(report: dict[str, Any]) -> str:
    m = report["machine"]
    figures = report["import"]
    lines = [
        f"Kehu import benchmark — {m['db_version']}, files of {report['rows']:,} customers (+1 contact each) "
        f"into an archive of {report['archive_customers']:,}, median of {len(figures['runs'])} imports",
        f"{m['cpu_count']} CPUs ({m.get('cpu_model') or 'unknown'}), Python {m['python']}, load {m['load_average']}",
        "",
        f"  {'run':<5}{'new':>8}{'updates':>9}{'dupes':>7}{'preview s':>11}{'run s':>9}{'raw floor s':>13}",
    ]
    for index, run in enumerate(figures["runs"], 1):
        lines.append(
            f"  {index:<5}{run['new']:>8}{run['updates']:>9}{run['duplicates']:>7}{run['preview_s']:>11.2f}"
            f"{run['run_s']:>9.2f}{run['floor_s']:>13.2f}"
        )
    lines += [
        "",
        f"  preview (check + 查重):               {figures['preview_rows_per_s']:>8,} rows/s",
        f"  run (check again + write + change log): {figures['run_rows_per_s']:>8,} rows/s",
        f"  upload to done:                        {figures['end_to_end_rows_per_s']:>8,} rows/s",
        f"  raw floor of the run:                  {figures['floor_rows_per_s'] or 0:>8,} rows/s "
        f"(ratio {figures['ratio_run_to_floor']})",
    ]
    return "\n".join(lines)
