"""Settings come from the environment: database URL, SQLite's locking options, safe defaults.

Settings are computed at import, so each case imports them in a fresh process
with the environment it describes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path


def run_python(code: str, home: Path, **env_vars: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KEHU_", "DJANGO_")) and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(KEHU_HOME=str(home), DJANGO_SETTINGS_MODULE="kehu.settings", **env_vars)
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


SETTINGS = """
    import json
    from kehu import settings as s
    db = s.DATABASES["default"]
    print(json.dumps({
        "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST"),
        "port": db.get("PORT"), "user": db.get("USER"), "password": db.get("PASSWORD"),
        "conn_max_age": db.get("CONN_MAX_AGE"), "options": db.get("OPTIONS", {}),
        "debug": s.DEBUG, "allowed_hosts": s.ALLOWED_HOSTS, "huey": s.HUEY["huey_class"],
        "cache": s.CACHES["default"]["BACKEND"], "session": s.SESSION_ENGINE,
        "secure_cookies": s.SESSION_COOKIE_SECURE,
    }))
"""


def test_database_url_selects_postgresql(tmp_path):
    found = run_python(
        SETTINGS, tmp_path, DATABASE_URL="postgres://kehu:s3cret@db.internal:5433/kehu_prod"
    )

    assert found["engine"] == "django.db.backends.postgresql"
    assert (found["name"], found["host"], found["port"]) == ("kehu_prod", "db.internal", 5433)
    assert (found["user"], found["password"]) == ("kehu", "s3cret")
    assert found["conn_max_age"] == 60


def test_default_is_a_sqlite_file_in_kehu_home_with_immediate_transactions(tmp_path):
    found = run_python(SETTINGS, tmp_path)

    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(tmp_path / "kehu.sqlite3")
    assert found["options"]["transaction_mode"] == "IMMEDIATE"
    assert found["options"]["timeout"] == 20
    assert "journal_mode=WAL" in found["options"]["init_command"]


def test_defaults_are_safe_local_only_and_not_debug(tmp_path):
    found = run_python(SETTINGS, tmp_path)

    assert found["debug"] is False
    assert found["allowed_hosts"] == ["127.0.0.1", "localhost"]
    assert found["secure_cookies"] is False
    assert found["huey"] == "huey.SqliteHuey"
    assert found["session"] == "django.contrib.sessions.backends.db"


def test_redis_url_moves_cache_sessions_and_jobs_to_redis(tmp_path):
    found = run_python(SETTINGS, tmp_path, REDIS_URL="redis://127.0.0.1:6379/3")

    assert found["huey"] == "huey.RedisHuey"
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["session"] == "django.contrib.sessions.backends.cache"


def test_sqlite_connection_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    found = run_python(
        """
        import json, django
        django.setup()
        from django.db import connection
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
            cursor.execute("PRAGMA busy_timeout")
            timeout = cursor.fetchone()[0]
            cursor.execute("PRAGMA foreign_keys")
            foreign_keys = cursor.fetchone()[0]
        print(json.dumps({"mode": mode, "timeout": timeout, "foreign_keys": foreign_keys}))
        """,
        tmp_path,
    )

    assert found == {"mode": "wal", "timeout": 20000, "foreign_keys": 1}


def test_sqlite_transactions_take_the_write_lock_when_they_begin(tmp_path):
    # With IMMEDIATE, an open atomic() block already holds the write lock, so a
    # second writer waits (here: gives up at once) instead of failing later on upgrade.
    found = run_python(
        """
        import json, sqlite3, django
        django.setup()
        from django.db import connection, transaction
        from django.conf import settings
        with transaction.atomic():
            connection.cursor().execute("SELECT 1")
            other = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=0.05)
            try:
                other.execute("BEGIN IMMEDIATE")
                outcome = "second writer got the lock"
            except sqlite3.OperationalError as exc:
                outcome = str(exc)
        print(json.dumps({"outcome": outcome}))
        """,
        tmp_path,
    )

    assert found == {"outcome": "database is locked"}
