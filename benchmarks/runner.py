"""The benchmark runner: `python -m benchmarks [--db-url URL] [--rows N] [--repeat N] [--json FILE]`.

What it measures, in one fresh process against a throwaway database it creates,
migrates, fills and removes again:

* request overhead: `GET /api/v1/health` and an authenticated, empty list
  (`GET /api/v1/notifications` with `Authorization: Bearer …`) through
  `django.test.Client`, in-process (full middleware stack, no network);
* the data-scope policy: for each scope (own, department, subtree, all) a user
  holding only that scope on `scoped.scopedrecord`; `ScopedRecord.objects
  .visible_to(user)` evaluated as `count()` and as the first page of 50 ordered
  by id, against the very SQL (and parameters) the ORM sent, run through
  `connection.cursor()` in the same loop, interleaved run by run.

The ORM is timed twice: "ORM" as a new request pays it (the user's grants are
read again: one query, plus one for the department subtree in the subtree
scope) and "ORM cached" with the grants already on the user object (the second
and later `.visible_to()` of a request; the subtree scope still reads its
department ids). Every figure is the median (and p90)
of --repeat runs after --warmup runs; nothing here asserts a time.

The database: a SQLite file in a temporary folder by default; with
`--db-url postgres://user@host:5432/postgres` a database `kehu_bench_<pid>` is
created on that server and dropped at the end. Settings are
`kehu.testing.settings` (it carries the test-only `ScopedRecord` model).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SCOPES = ("own", "department", "subtree", "all")
PAGE_SIZE = 50
RECORD_TYPE = "scoped.scopedrecord"
PACKAGE_DIR = Path(__file__).resolve().parent


def default_results_dir() -> Path:
    """benchmarks/results/ in a source checkout (git-ignored); ./benchmark-results otherwise."""
    if (PACKAGE_DIR.parent / "pyproject.toml").is_file():
        return PACKAGE_DIR / "results"
    return Path.cwd() / "benchmark-results"


# --- arguments and database -------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Kehu benchmarks: request overhead and the cost of .visible_to(user). "
        "Builds and removes its own database; prints a table and writes JSON.",
    )
    parser.add_argument(
        "--db-url",
        default="",
        help="PostgreSQL server URL, e.g. postgres://postgres@127.0.0.1:5432/postgres: a database "
        "kehu_bench_<pid> is created there and dropped afterwards (default: a temporary SQLite file)",
    )
    parser.add_argument(
        "--suite",
        choices=("platform", "customers", "import"),
        default="platform",
        help="platform: request overhead and .visible_to() (default); customers: the customer "
        "list, searches and 360° page over generated customers (see benchmarks/customers.py); "
        "import: CSV files of --rows customers imported into an archive of --rows/10 (benchmarks/imports.py)",
    )
    parser.add_argument(
        "--rows",
        type=int,
        default=100_000,
        help="ScopedRecord rows, or customers (3 contacts each) with --suite customers (default 100000)",
    )
    parser.add_argument("--repeat", type=int, default=25, help="timed runs per figure (default 25)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument(
        "--seed", type=int, default=2026, help="random seed for the data (default 2026)"
    )
    parser.add_argument(
        "--json",
        dest="json_path",
        default="",
        help="where to write the JSON (default benchmarks/results/<db>-<timestamp>.json)",
    )
    return parser


def _bench_db_url(server_url: str) -> tuple[str, str, str]:
    """(URL of the throwaway database, its name, URL to administer the server)."""
    parts = urlsplit(server_url)
    name = f"kehu_bench_{os.getpid()}"
    admin_db = parts.path.lstrip("/") or "postgres"
    admin_url = urlunsplit(parts._replace(path=f"/{admin_db}"))
    return urlunsplit(parts._replace(path=f"/{name}")), name, admin_url


def _pg_admin(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql)


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


# --- timing ------------------------------------------------------------------------------------


def summarise(samples: Sequence[float]) -> dict[str, float]:
    """Milliseconds: median, p90 (nearest rank), min, max, n."""
    ordered = sorted(samples)
    ms = [s * 1000 for s in ordered]
    p90 = ms[max(math.ceil(0.9 * len(ms)) - 1, 0)]
    return {
        "median_ms": round(statistics.median(ms), 4),
        "p90_ms": round(p90, 4),
        "min_ms": round(ms[0], 4),
        "max_ms": round(ms[-1], 4),
        "n": len(ms),
    }


def time_interleaved(
    fns: dict[str, Callable[[], Any]], repeat: int, warmup: int
) -> dict[str, dict]:
    """Run each function once per round, in turn, so drift on a shared machine hits all alike."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: summarise(values) for name, values in samples.items()}


# --- the organisation and the rows -------------------------------------------------------------


def build_organisation(rng: random.Random) -> dict[str, Any]:
    """A company four levels deep, ~200 salespeople, and one measured user per scope.

    总部 hq
    ├── 3 regions (大区)           ← the subtree user sits here
    │   └── 4 groups each (销售组)
    │       └── 2 teams each (小组)  ← the department and own users sit in one team
    └── 客服部 (no records)
    """
    from django.contrib.auth.hashers import make_password

    from kehu.accounts.defaults import ensure_default_roles
    from kehu.accounts.models import Department, Role, RoleGrant, User

    ensure_default_roles()
    hq = Department.objects.create(name="总部", code="hq")
    Department.objects.create(name="客服部", code="service", parent=hq)
    regions, teams = [], []
    for r, region_name in enumerate(("华东大区", "华北大区", "华南大区")):
        region = Department.objects.create(name=region_name, code=f"region-{r}", parent=hq)
        regions.append(region)
        for g in range(4):
            group = Department.objects.create(
                name=f"{region_name}{g + 1}组", code=f"group-{r}-{g}", parent=region
            )
            for t in range(2):
                teams.append(
                    Department.objects.create(
                        name=f"{group.name}{t + 1}队", code=f"team-{r}-{g}-{t}", parent=group
                    )
                )

    roles = {}
    for scope in SCOPES:
        role = Role.objects.create(code=f"bench_{scope}", name=f"bench {scope}")
        RoleGrant.objects.create(role=role, record_type=RECORD_TYPE, actions=["view"], scope=scope)
        roles[scope] = role

    password = make_password("Kehu-bench-pass-2026")
    salespeople = [
        User(
            username=f"rep{i:03d}",
            display_name=f"业务员{i:03d}",
            password=password,
            department=teams[i % len(teams)],
            email=f"rep{i:03d}@example.com",
        )
        for i in range(200)
    ]
    measured = {
        "department": User(
            username="bench_department",
            display_name="小组长",
            password=password,
            department=teams[0],
        ),
        "subtree": User(
            username="bench_subtree",
            display_name="大区经理",
            password=password,
            department=regions[0],
        ),
        "all": User(username="bench_all", display_name="总经理", password=password, department=hq),
    }
    User.objects.bulk_create([*salespeople, *measured.values()])
    # Loaded as a request loads its user (the Bearer token check selects the department too).
    users = User.objects.select_related("department")
    salespeople = list(users.filter(username__startswith="rep").order_by("username"))
    measured = {scope: users.get(username=f"bench_{scope}") for scope in measured}
    measured["own"] = salespeople[0]  # a rep in teams[0]: sees only their own rows

    through = User.roles.through
    links = [through(user_id=u.pk, role_id=roles["own"].pk) for u in salespeople]
    links += [
        through(user_id=measured[s].pk, role_id=roles[s].pk)
        for s in ("department", "subtree", "all")
    ]
    through.objects.bulk_create(links)
    return {
        "salespeople": salespeople,
        "measured": measured,
        "departments": Department.objects.count(),
    }


def fill_records(rows: int, salespeople: list, rng: random.Random) -> None:
    """`rows` ScopedRecords; owners weighted unevenly (a few reps own much more), in their department."""
    from django.db import connection

    from kehu.testing.scoped.models import ScopedRecord

    weights = [rng.lognormvariate(0, 0.6) for _ in salespeople]
    owners = rng.choices(salespeople, weights=weights, k=rows)
    batch = 5000
    for start in range(0, rows, batch):
        ScopedRecord.objects.bulk_create(
            [
                ScopedRecord(
                    title=f"记录 {start + i + 1}", owner_id=o.pk, department_id=o.department_id
                )
                for i, o in enumerate(owners[start : start + batch])
            ],
            batch_size=batch,
        )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {ScopedRecord._meta.db_table}")


# --- measurements ------------------------------------------------------------------------------


def capture_sql(run: Callable[[], Any]) -> tuple[list[tuple[str, Any]], Any]:
    """Every (sql, params) the ORM sends while `run()` runs, exactly as it hands them to the driver."""
    from django.db import connection

    seen: list[tuple[str, Any]] = []

    def wrapper(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        result = run()
    return seen, result


def measure_requests(user, repeat: int, warmup: int) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from kehu.accounts.services import api_token_create

    key = api_token_create(actor=user, name="bench").key
    client = Client()
    health_url = reverse("api:health")
    list_url = reverse("api:notifications_list")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    health = client.get(health_url)
    listed = client.get(list_url, **auth)
    if health.status_code != 200 or listed.status_code != 200:
        raise RuntimeError(
            f"unexpected answers: health {health.status_code}, list {listed.status_code}"
        )
    if listed.json().get("items"):
        raise RuntimeError("the benchmark user's notification list is not empty")

    timings = time_interleaved(
        {
            "health": lambda: client.get(health_url),
            "empty_list": lambda: client.get(list_url, **auth),
        },
        repeat,
        warmup,
    )
    return {
        "health": {"request": f"GET {health_url}", "auth": "none", **timings["health"]},
        "empty_list": {
            "request": f"GET {list_url}",
            "auth": "Bearer token",
            **timings["empty_list"],
        },
    }


def measure_scope(user, scope: str, repeat: int, warmup: int) -> dict[str, Any]:
    from django.db import connection

    from kehu.accounts.permissions import forget_grants, scope_of
    from kehu.testing.scoped.models import ScopedRecord

    forget_grants(user)
    if scope_of(user, RECORD_TYPE) != scope:
        raise RuntimeError(
            f"{user.username} should have scope {scope!r}, has {scope_of(user, RECORD_TYPE)!r}"
        )

    def orm_count():
        return ScopedRecord.objects.visible_to(user).count()

    def orm_page():
        return list(ScopedRecord.objects.visible_to(user).order_by("id")[:PAGE_SIZE])

    def per_request(fn):
        def run():
            forget_grants(user)
            return fn()

        return run

    result: dict[str, Any] = {"scope": scope, "user": user.username}
    for kind, fn in (("count", orm_count), ("page", orm_page)):
        forget_grants(user)
        statements, orm_value = capture_sql(fn)
        sql, params = statements[-1]  # the data query; any before it read grants/departments

        def raw(sql=sql, params=params, kind=kind):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone() if kind == "count" else cursor.fetchall()

        raw_value = raw()
        if kind == "count":
            if raw_value[0] != orm_value:
                raise RuntimeError(f"{scope}: raw count {raw_value[0]} != ORM count {orm_value}")
            result["visible_rows"] = orm_value
        elif [row[0] for row in raw_value] != [obj.pk for obj in orm_value]:
            raise RuntimeError(f"{scope}: raw page differs from the ORM page")

        timings = time_interleaved(
            {"orm": per_request(fn), "orm_cached": fn, "raw": raw}, repeat, warmup
        )
        raw_median = timings["raw"]["median_ms"]
        result[kind] = {
            **timings,
            "ratio": round(timings["orm"]["median_ms"] / raw_median, 3) if raw_median else None,
            "overhead_ms": round(timings["orm"]["median_ms"] - raw_median, 4),
            "ratio_cached": round(timings["orm_cached"]["median_ms"] / raw_median, 3)
            if raw_median
            else None,
            "orm_queries": len(statements),
            "sql": sql,
            "params": [str(p) for p in (params or ())],
            "plan": query_plan(sql, params),
        }
    return result


def query_plan(sql: str, params: Any) -> list[str]:
    """The database's plan for the measured query (EXPLAIN QUERY PLAN / EXPLAIN), for the JSON."""
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return [" ".join(str(part) for part in row) for row in cursor.fetchall()]


# --- machine and output ------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    import django
    from django.db import connection

    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "cpu_usable": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu_model": "",
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "db_vendor": connection.vendor,
        "load_average": [round(x, 2) for x in os.getloadavg()]
        if hasattr(os, "getloadavg")
        else None,
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_kb"] = int(line.split()[1])
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            info["db_version"] = f"SQLite {cursor.fetchone()[0]}"
        elif connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            info["db_version"] = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            info["db_version"] = connection.vendor
    return info


def format_table(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"Kehu benchmarks — {m['db_version']}, {report['rows']:,} rows, median/p90 of "
        f"{report['repeat']} runs after {report['warmup']} warm-up",
        f"{m['cpu_count']} CPUs ({m.get('cpu_model') or 'unknown'}), Python {m['python']}, "
        f"Django {m['django']}, load {m['load_average']}",
        "",
        "Request overhead (django.test.Client, in-process)   median ms     p90 ms",
    ]
    for figure in report["requests"].values():
        label = f"{figure['request']} ({figure['auth']})"
        lines.append(f"  {label:<50}{figure['median_ms']:>10.3f}{figure['p90_ms']:>11.3f}")
    lines += [
        "",
        "visible_to(user) vs raw SQL of the same query (ms: median / p90)",
        f"  {'scope':<11}{'rows seen':>10}  {'query':<6}{'ORM':>17}{'ORM cached':>17}"
        f"{'raw SQL':>17}{'ORM/raw':>9}{'cached/raw':>11}{'ORM-raw':>9}{'queries':>8}",
    ]
    for scope in SCOPES:
        s = report["scopes"][scope]
        for kind in ("count", "page"):
            f = s[kind]
            pair = lambda t: f"{t['median_ms']:.3f} / {t['p90_ms']:.3f}"  # noqa: E731
            lines.append(
                f"  {scope if kind == 'count' else '':<11}"
                f"{s['visible_rows'] if kind == 'count' else '':>10}  "
                f"{kind if kind == 'count' else 'page50':<6}{pair(f['orm']):>17}{pair(f['orm_cached']):>17}"
                f"{pair(f['raw']):>17}{f['ratio']:>9.2f}{f['ratio_cached']:>11.2f}"
                f"{f['overhead_ms']:>9.3f}{f['orm_queries']:>8}"
            )
    lines += [
        "",
        "ORM: as a new request pays it (grants read again); ORM cached: grants already loaded;",
        "ORM-raw: median ms the ORM and the policy add; queries: statements per ORM evaluation",
        "(grants, department subtree, the data query).",
    ]
    return "\n".join(lines)


# --- main --------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.rows < 1 or args.repeat < 1 or args.warmup < 0:
        print("--rows and --repeat must be positive", file=sys.stderr)
        return 2
    if "django.conf" in sys.modules:
        from django.conf import settings

        if settings.configured:
            print(
                "the benchmark runner needs a fresh process (Django is already set up)",
                file=sys.stderr,
            )
            return 2

    if args.db_url and not args.db_url.startswith(("postgres://", "postgresql://")):
        print("--db-url must be a PostgreSQL server URL (SQLite is the default)", file=sys.stderr)
        return 2

    home = Path(tempfile.mkdtemp(prefix="kehu-bench-"))
    (home / "static").mkdir()  # whitenoise warns about a missing STATIC_ROOT otherwise
    pg_admin_url = pg_name = ""
    if args.db_url:
        db_url, pg_name, pg_admin_url = _bench_db_url(args.db_url)
        try:
            _pg_admin(pg_admin_url, f'CREATE DATABASE "{pg_name}"')
        except Exception as exc:  # noqa: BLE001 - any connection problem ends the run
            print(f"cannot create {pg_name} on {_redact(pg_admin_url)}: {exc}", file=sys.stderr)
            shutil.rmtree(home, ignore_errors=True)
            return 2
    else:
        db_url = f"sqlite:///{home / 'bench.sqlite3'}"

    os.environ.update(
        {
            "KEHU_HOME": str(home),
            "DATABASE_URL": db_url,
            "KEHU_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": "kehu.testing.settings",
        }
    )
    for name in ("REDIS_URL", "KEHU_DEBUG", "KEHU_HTTPS"):
        os.environ.pop(name, None)

    try:
        return _run(args, db_label="postgresql" if pg_name else "sqlite")
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - cleanup must go on
            pass
        if pg_name:
            _pg_admin(pg_admin_url, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(home, ignore_errors=True)


def _run(args: argparse.Namespace, *, db_label: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from kehu import __version__

    rng = random.Random(args.seed)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    if args.suite in ("customers", "import"):
        return _run_customers(args, db_label=db_label, migrate_seconds=migrated - started)
    org = build_organisation(rng)
    fill_records(args.rows, org["salespeople"], rng)
    filled = time.perf_counter()

    report: dict[str, Any] = {
        "kehu_version": __version__,
        "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "database": db_label,
        "db_url": _redact(args.db_url) if args.db_url else "sqlite (temporary file)",
        "rows": args.rows,
        "repeat": args.repeat,
        "warmup": args.warmup,
        "seed": args.seed,
        "organisation": {"departments": org["departments"], "salespeople": len(org["salespeople"])},
        "setup_seconds": {
            "migrate": round(migrated - started, 2),
            "fill": round(filled - migrated, 2),
        },
        "machine": machine_info(),
    }
    measured = org["measured"]
    report["requests"] = measure_requests(measured["own"], args.repeat, args.warmup)
    report["scopes"] = {
        scope: measure_scope(measured[scope], scope, args.repeat, args.warmup) for scope in SCOPES
    }
    report["machine"]["load_average_end"] = (
        [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    )

    print(format_table(report))
    _write(report, args, db_label)
    return 0


def _write(report: dict[str, Any], args: argparse.Namespace, db_label: str) -> None:
    if args.json_path:
        out = Path(args.json_path)
    else:
        out = default_results_dir() / f"{db_label}-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nJSON: {out}")


def _run_customers(args: argparse.Namespace, *, db_label: str, migrate_seconds: float) -> int:
    from benchmarks import customers, imports
    from kehu import __version__

    suite = imports if args.suite == "import" else customers
    report: dict[str, Any] = {
        "suite": args.suite,
        "kehu_version": __version__,
        "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "database": db_label,
        "db_url": _redact(args.db_url) if args.db_url else "sqlite (temporary file)",
        "rows": args.rows,
        "repeat": args.repeat,
        "warmup": args.warmup,
        "seed": args.seed,
        "setup_seconds": {"migrate": round(migrate_seconds, 2)},
        "machine": machine_info(),
    }
    suite.run_suite(args, report, time_interleaved)
    report["machine"]["load_average_end"] = (
        [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    )
    print(suite.format_table(report))
    args.json_path = args.json_path or str(
        default_results_dir() / f"{args.suite}-{db_label}-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    )
    _write(report, args, db_label)
    return 0
