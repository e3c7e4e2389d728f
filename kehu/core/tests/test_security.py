"""Security baseline: `check --deploy` clean in production, security headers, localhost by default."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from kehu import cli


def production_env(home: Path, **extra: str) -> dict[str, str]:
    """A fresh process's environment as a production deployment sets it (behind TLS)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KEHU_", "DJANGO_")) and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        {
            "KEHU_HOME": str(home), "DJANGO_SETTINGS_MODULE": "kehu.settings", "KEHU_DEBUG": "0",
            "KEHU_HTTPS": "1", "KEHU_ALLOWED_HOSTS": "crm.example.com", **extra,
        }
    )
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kehu", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = check_deploy(production_env(tmp_path / "home", KEHU_SECRET_KEY=secrets.token_urlsafe(60)))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_is_clean_with_the_secret_key_kept_in_kehu_home(tmp_path):
    result = check_deploy(production_env(tmp_path / "home"))

    assert result.returncode == 0, result.stdout + result.stderr
    assert len((tmp_path / "home" / "secret_key").read_text().strip()) >= 50


def test_check_deploy_fails_when_debug_is_on_in_production(tmp_path):
    """The check above can fail: DEBUG on is a deployment warning."""
    result = check_deploy(
        production_env(tmp_path / "home", KEHU_SECRET_KEY=secrets.token_urlsafe(60), KEHU_DEBUG="1")
    )

    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


EXPECTED_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_security_headers(response) -> None:
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline scripts, no CDN
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in csp
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name] == value, name
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.django_db
def test_login_page_has_csp_and_security_headers(client):
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert_security_headers(response)


def test_home_page_for_a_user_has_csp_and_security_headers(client, personas):
    client.force_login(personas.alice)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert_security_headers(response)
    page = response.content.decode()
    assert "<script>" not in page and " style=" not in page  # what the CSP would block


def test_api_response_has_security_headers(client, db):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    assert_security_headers(response)


# Binding: only 127.0.0.1 unless the administrator says otherwise.


@pytest.fixture
def no_server(monkeypatch):
    """Run `kehu serve` / `kehu demo` in-process without serving: record what would be bound."""
    import waitress

    bound = []
    monkeypatch.setattr(waitress, "serve", lambda app, **options: bound.append(options))
    monkeypatch.setattr(cli, "start_embedded_consumer", lambda: None)
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    return bound


@pytest.mark.django_db
def test_serve_binds_only_localhost_by_default(no_server):
    assert cli.main(["serve", "--no-worker"]) == 0

    assert [(o["host"], o["port"]) for o in no_server] == [("127.0.0.1", 8000)]


@pytest.mark.django_db
def test_serve_binds_another_address_only_when_asked(no_server):
    cli.main(["serve", "--host", "0.0.0.0", "--port", "9000", "--no-worker"])

    assert [(o["host"], o["port"]) for o in no_server] == [("0.0.0.0", 9000)]


@pytest.mark.django_db
def test_demo_binds_only_localhost(no_server, monkeypatch):
    monkeypatch.setattr(cli, "init", lambda **kwargs: None)
    monkeypatch.setattr(cli, "seed_demo", lambda **kwargs: [])

    cli.main(["demo", "--port", "8123"])

    assert [(o["host"], o["port"]) for o in no_server] == [("127.0.0.1", 8123)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _listening_addresses(port: int) -> set[str]:
    """Local addresses in LISTEN state on `port`, read from the kernel's socket tables."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")
def test_a_running_server_listens_on_loopback_only(tmp_path):
    home = tmp_path / "home"
    port = _free_port()
    env = production_env(home, KEHU_HTTPS="0", KEHU_ALLOWED_HOSTS="127.0.0.1")
    server = subprocess.Popen(
        [sys.executable, "-m", "kehu", "serve", "--port", str(port), "--no-worker"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        listening = _listening_addresses(port)
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)

    assert listening == {"0100007F"}  # 127.0.0.1, nothing on 0.0.0.0 or ::
