"""The benchmark runner (benchmarks/runner.py) works end to end on a small table.

Benchmarks are measurements, not timed tests: this only proves the runner builds its
throwaway database, measures every figure and writes them as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def run_bench(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEHU_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", *args],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_runner_writes_every_figure_as_json(tmp_path):
    out = tmp_path / "r.json"
    result = run_bench("--rows", "500", "--repeat", "3", "--warmup", "1", "--json", str(out))
    assert result.returncode == 0, result.stderr
    assert "visible_to(user)" in result.stdout

    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["database"] == "sqlite"
    assert report["rows"] == 500
    assert report["machine"]["cpu_count"] >= 1
    assert report["machine"]["db_version"].startswith("SQLite")
    for name in ("health", "empty_list"):
        assert report["requests"][name]["n"] == 3
        assert report["requests"][name]["median_ms"] > 0
    seen = {}
    for scope in ("own", "department", "subtree", "all"):
        figures = report["scopes"][scope]
        seen[scope] = figures["visible_rows"]
        for kind in ("count", "page"):
            for how in ("orm", "orm_cached", "raw"):
                assert figures[kind][how]["n"] == 3
                assert figures[kind][how]["median_ms"] > 0
                assert figures[kind][how]["p90_ms"] >= figures[kind][how]["median_ms"]
            assert figures[kind]["ratio"] > 0
            assert figures[kind]["sql"].upper().startswith("SELECT")
    # The scopes widen: own ⊆ department ⊆ subtree ⊆ all, and "all" sees every row.
    assert 0 < seen["own"] <= seen["department"] <= seen["subtree"] < seen["all"] == 500


def test_runner_refuses_a_sqlite_url():
    result = run_bench("--db-url", "sqlite:///x.db", "--rows", "10")
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr


def test_customer_suite_measures_every_page_beside_its_raw_floor(tmp_path):
    out = tmp_path / "c.json"
    result = run_bench("--suite", "customers", "--rows", "600", "--repeat", "2", "--warmup", "1",
                       "--json", str(out))
    assert result.returncode == 0, result.stderr
    assert "customer benchmarks" in result.stdout

    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["suite"] == "customers" and report["rows"] == 600
    users = report["customers"]
    assert 0 < users["own"]["visible_customers"] < users["subtree"]["visible_customers"] < 600
    assert users["all"]["visible_customers"] == 600
    figures = ["list", "search: 2 Chinese characters", "search: 4 phone digits", "search: pinyin initials"]
    for scope in ("own", "subtree", "all"):
        for name in figures:
            figure = users[scope][name]
            assert figure["page"]["n"] == 2 and figure["floor"]["median_ms"] > 0
            assert 0 < figure["queries"] <= 10
    assert users["all"]["list"]["rows_on_page"] == 50
    assert users["own"]["360 page"]["queries"] > 0


def test_import_suite_imports_generated_files_and_replays_the_run_as_its_floor(tmp_path):
    out = tmp_path / "i.json"
    result = run_bench("--suite", "import", "--rows", "400", "--repeat", "2", "--json", str(out))
    assert result.returncode == 0, result.stderr
    assert "import benchmark" in result.stdout

    report = json.loads(out.read_text(encoding="utf-8"))
    figures = report["import"]
    assert report["suite"] == "import" and report["archive_customers"] == 100 and len(figures["runs"]) == 2
    for run in figures["runs"]:
        assert run["rows"] == 400 and run["new"] + run["updates"] + run["duplicates"] == 400
        assert run["written"] == run["new"] + run["updates"] and run["new"] > 350
        assert run["floor_s"] > 0 and run["statement_count"] > 0
    assert figures["run_rows_per_s"] > 0 and figures["floor_rows_per_s"] > 0 and figures["ratio_run_to_floor"] > 0
