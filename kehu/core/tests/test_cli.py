"""The `kehu` command: init, seed-demo, serve and manage, driven as a user would."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password

from kehu.accounts.defaults import DEFAULT_ROLES
from kehu.accounts.models import Department, User
from kehu.cli import build_parser
from kehu.core import demo
from kehu.core.notifications.models import Notification

PBKDF2 = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def kehu_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh install: production settings, SQLite in `home`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KEHU_", "DJANGO_")) and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(KEHU_HOME=str(home), DJANGO_SETTINGS_MODULE="kehu.settings", KEHU_DEMO_CUSTOMERS="56")
    env.update(extra)
    return env


def kehu(home: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kehu", *args],
        env=kehu_env(home, **extra), capture_output=True, text=True, timeout=180,
    )


def query(home: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(home / "kehu.sqlite3") as connection:
        return connection.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A database file with every migration applied and nothing else: copied into a new
    KEHU_HOME by the tests that start from an empty install, so each one does not spend
    its time migrating (the `initialised` fixture migrates from nothing)."""
    home = tmp_path_factory.mktemp("kehu-migrated")
    result = kehu(home, "manage", "migrate", "-v0")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(home / "kehu.sqlite3") as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return home / "kehu.sqlite3"


def empty_install(migrated: Path, home: Path) -> Path:
    """`home` as after migrating an empty database: no secret key, no users, no static files."""
    shutil.copyfile(migrated, home / "kehu.sqlite3")
    return home


@pytest.fixture(scope="module")
def initialised(tmp_path_factory):
    """One `kehu init` in a fresh KEHU_HOME, shared by the tests that only read it."""
    home = tmp_path_factory.mktemp("kehu-home")
    result = kehu(home, "init")
    assert result.returncode == 0, result.stderr
    return home, result


def test_init_creates_secret_key_database_static_files_and_admin(initialised, settings):
    home, result = initialised

    key_file = home / "secret_key"
    assert len(key_file.read_text().strip()) >= 50
    assert key_file.stat().st_mode & 0o077 == 0
    assert (home / "static" / "kehu" / "kehu.css").exists()
    rows = query(
        home,
        "SELECT u.is_superuser, u.is_staff, u.is_active, r.code, u.password FROM accounts_user u "
        "JOIN accounts_user_roles ur ON ur.user_id = u.id JOIN accounts_role r ON r.id = ur.role_id "
        "WHERE u.username = 'admin'",
    )
    assert [row[:4] for row in rows] == [(1, 1, 1, "sysadmin")]
    printed = [line for line in result.stdout.splitlines() if "password:" in line]
    assert len(printed) == 1
    password = printed[0].split("password:")[1].split()[0]
    settings.PASSWORD_HASHERS = PBKDF2
    assert check_password(password, rows[0][4])
    assert query(home, "SELECT COUNT(*) FROM accounts_role") == [(len(DEFAULT_ROLES),)]


def test_init_again_changes_nothing(initialised):
    home, _first = initialised
    key_before = (home / "secret_key").read_text()
    users_before = query(home, "SELECT id, username, password FROM accounts_user ORDER BY id")

    result = kehu(home, "init")

    assert result.returncode == 0, result.stderr
    assert "already exists" in result.stdout
    assert "password:" not in result.stdout
    assert (home / "secret_key").read_text() == key_before
    assert query(home, "SELECT id, username, password FROM accounts_user ORDER BY id") == users_before


def test_init_takes_admin_name_and_password_from_environment(tmp_path, migrated, settings):
    empty_install(migrated, tmp_path)
    password = "Quiet-river-2026-kehu"

    result = kehu(tmp_path, "init", KEHU_ADMIN_USERNAME="boss", KEHU_ADMIN_PASSWORD=password)

    assert result.returncode == 0, result.stderr
    assert password not in result.stdout
    [(encoded, is_superuser)] = query(
        tmp_path, "SELECT password, is_superuser FROM accounts_user WHERE username = 'boss'"
    )
    settings.PASSWORD_HASHERS = PBKDF2
    assert check_password(password, encoded)
    assert is_superuser == 1
    assert query(tmp_path, "SELECT COUNT(*) FROM accounts_user WHERE username = 'admin'") == [(0,)]


def test_init_refuses_a_weak_admin_password_and_creates_no_admin(tmp_path, migrated):
    empty_install(migrated, tmp_path)
    result = kehu(tmp_path, "init", KEHU_ADMIN_PASSWORD="12345678")

    assert result.returncode != 0
    assert "KEHU_ADMIN_PASSWORD" in result.stderr
    assert query(tmp_path, "SELECT COUNT(*) FROM accounts_user") == [(0,)]


def test_manage_passes_any_management_command_through(initialised):
    home, _ = initialised

    result = kehu(home, "manage", "check")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_seed_demo_command_prints_the_logins(tmp_path, migrated):
    empty_install(migrated, tmp_path)
    result = kehu(tmp_path, "seed-demo")

    assert result.returncode == 0, result.stderr
    assert "kehu-demo-2026" in result.stdout
    assert "zhangwei" in result.stdout
    assert query(tmp_path, "SELECT COUNT(*) FROM accounts_user") == [(len(demo.USERS),)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


NOTIFY_BY_EMAIL = """
from kehu.accounts.models import User
from kehu.core.notifications.services import notify
admin = User.objects.get(username="admin")
admin.email = "admin@example.com"
admin.save()
notify(recipients=[admin], kind="info", title="服务器作业测试", channels=["email"])
"""
DELIVERY_STATUS = (
    "SELECT d.status FROM notifications_delivery d JOIN notifications_notification n "
    "ON n.id = d.notification_id WHERE n.title = '服务器作业测试'"
)


def test_serve_answers_pages_api_and_static_files_runs_jobs_then_stops_on_sigterm(initialised):
    home, _ = initialised
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kehu", "serve", "--port", str(port)],
        env=kehu_env(home), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/health", timeout=2) as response:
                    health = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        with urllib.request.urlopen(f"{base}/static/kehu/kehu.css", timeout=5) as response:
            css_status = response.status
        with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as response:
            login_status, login_csp = response.status, response.headers["Content-Security-Policy"]
        # A job enqueued by another process (here `kehu manage shell`) runs in the server.
        enqueued = kehu(home, "manage", "shell", "-c", NOTIFY_BY_EMAIL)
        assert enqueued.returncode == 0, enqueued.stderr
        deadline = time.monotonic() + 30
        while (status := query(home, DELIVERY_STATUS)) != [("sent",)] and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)

    assert '"status": "ok"' in health
    assert css_status == 200
    assert login_status == 200
    assert "script-src 'self'" in login_csp
    assert server.returncode == 0, output
    assert "jobs run in this process" in output
    assert status == [("sent",)], output
    assert "To: admin@example.com" in output  # the console email backend printed it


def test_demo_sets_up_everything_and_a_demo_user_logs_in_to_a_chinese_home_page(tmp_path, migrated):
    """The README's first command in one process: init, seed-demo, serve on 127.0.0.1."""
    import http.cookiejar
    import re
    import urllib.parse

    empty_install(migrated, tmp_path)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kehu", "demo", "--port", str(port)],
        env=kehu_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                browser.open(f"{base}/api/v1/health", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        login_page = browser.open(f"{base}/accounts/login/", timeout=5).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
        form = {"csrfmiddlewaretoken": token, "username": "zhangwei", "password": demo.DEMO_PASSWORD}
        request = urllib.request.Request(
            f"{base}/accounts/login/", data=urllib.parse.urlencode(form).encode(),
            headers={"Referer": f"{base}/accounts/login/"},
        )
        with browser.open(request, timeout=10) as response:
            home_url, home = response.url, response.read().decode()
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)

    assert home_url == f"{base}/", output
    assert '<html lang="zh-hans">' in home
    assert "张伟" in home and "退出登录" in home
    assert f"http://127.0.0.1:{port}/" in output
    assert "kehu-demo-2026" in output and "zhangwei" in output
    assert "password:" in output  # the new administrator's generated password, shown once
    assert server.returncode == 0, output


def test_serve_binds_localhost_by_default():
    args = build_parser().parse_args(["serve"])

    assert (args.host, args.port, args.no_worker) == ("127.0.0.1", 8000, False)


# In-process: the demo seeding against the test database.


@pytest.mark.django_db
def test_seed_demo_builds_the_organisation_and_is_idempotent(client):
    logins = demo.seed_demo()
    counts = (User.objects.count(), Department.objects.count(), Notification.objects.count())

    again = demo.seed_demo()

    assert (User.objects.count(), Department.objects.count(), Notification.objects.count()) == counts
    assert counts == (len(demo.USERS), len(demo.DEPARTMENTS), len(demo.NOTIFICATIONS))
    assert [login.username for login in again] == [login.username for login in logins]
    shanghai = Department.objects.get(code="sales-shanghai")
    assert [d.name for d in shanghai.ancestors()] == ["营销中心", "华东大区"]
    assert shanghai.head.username == "zhangwei"
    used_roles = set(User.objects.values_list("roles__code", flat=True))
    assert used_roles == {code for code, _name, _description in DEFAULT_ROLES}
    assert client.login(username="zhangwei", password=demo.DEMO_PASSWORD)


@pytest.mark.django_db
def test_seed_demo_keeps_a_password_the_user_changed():
    demo.seed_demo()
    user = User.objects.get(username="zhangwei")
    user.set_password("my-own-secret-2026")
    user.save()

    demo.seed_demo()

    user.refresh_from_db()
    assert user.check_password("my-own-secret-2026")


@pytest.mark.django_db
def test_seed_demo_runs_registered_app_seeders_with_the_organisation():
    seen = []
    demo.register_demo_seeder(lambda org: seen.append(org.users["zhangwei"].department.code),
                              order=999, key="test.seeder")
    try:
        demo.seed_demo()
    finally:
        del demo._SEEDERS["test.seeder"]

    assert seen == ["sales-shanghai"]


@pytest.mark.django_db
def test_demo_inbox_has_unread_notifications():
    demo.seed_demo()

    zhangwei = User.objects.get(username="zhangwei")
    assert Notification.objects.filter(recipient=zhangwei, read_at__isnull=True).count() == 2
    assert Notification.objects.filter(recipient=zhangwei, read_at__isnull=False).count() == 1


def _captured_serve(monkeypatch):
    import waitress

    from kehu import cli

    calls = []
    monkeypatch.setattr(waitress, "serve", lambda app, **options: calls.append(options))
    previous = signal.getsignal(signal.SIGTERM)
    try:
        cli.serve(host="127.0.0.1", port=8765, threads=2, worker=False)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return calls[0]


@pytest.mark.django_db
def test_serve_believes_forwarded_headers_only_from_the_trusted_proxy(monkeypatch):
    monkeypatch.setenv("KEHU_TRUSTED_PROXY", "127.0.0.1")
    options = _captured_serve(monkeypatch)
    assert options["trusted_proxy"] == "127.0.0.1"
    assert set(options["trusted_proxy_headers"].split()) == {"x-forwarded-for", "x-forwarded-proto"}
    assert options["clear_untrusted_proxy_headers"] is True


@pytest.mark.django_db
def test_serve_ignores_forwarded_headers_without_a_trusted_proxy(monkeypatch):
    monkeypatch.delenv("KEHU_TRUSTED_PROXY", raising=False)
    options = _captured_serve(monkeypatch)
    assert "trusted_proxy" not in options
    assert options["host"] == "127.0.0.1"


@pytest.mark.django_db
def test_seed_demo_refuses_a_database_with_real_users_and_changes_nothing():
    real = User.objects.create_user(username="zhangwei", password="Real-user-pass-2026", email="zw@corp.cn")
    before = (User.objects.count(), Department.objects.count())

    with pytest.raises(demo.DemoRefused, match="zhangwei"):
        demo.seed_demo()

    real.refresh_from_db()
    assert real.department is None and not real.roles.exists()
    assert (User.objects.count(), Department.objects.count()) == before


def test_seed_demo_command_refuses_with_a_message_and_exit_code(tmp_path, migrated):
    env = {**os.environ, "KEHU_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kehu.settings"}
    env.pop("DATABASE_URL", None)
    empty_install(migrated, tmp_path)
    create = "from kehu.accounts.models import User; User.objects.create_user(username='lisi', email='lisi@corp.cn')"
    subprocess.run([sys.executable, "-m", "kehu", "manage", "shell", "-c", create], env=env, check=True)

    result = subprocess.run([sys.executable, "-m", "kehu", "seed-demo"], env=env, capture_output=True, text=True)

    assert result.returncode == 1
    assert "lisi" in result.stderr
