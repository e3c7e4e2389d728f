"""Browser-test fixtures (a pytest plugin loaded by the root conftest): Debian's Chromium
driven by Playwright against a live test server. Tests in any `tests/browser/` folder
get the `browser` marker and can use the `browser`, `phone` and `world` fixtures.

No browser is ever downloaded. Without /usr/bin/chromium these tests skip, unless
KEHU_REQUIRE_BROWSER=1 (CI) turns the missing browser into a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("KEHU_CHROMIUM", "/usr/bin/chromium"))
PHONE = {"width": 375, "height": 812}


def pytest_collection_modifyitems(items):
    for item in items:
        parts = Path(item.fspath).parts
        if "tests" in parts and "browser" in parts:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("KEHU_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the test's own ORM
    # calls (fixtures, assertions) are still plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser, live_server):
    """A page in a 375 px wide phone viewport, pointed at the live server."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not errors, f"the browser reported errors: {errors}"


@pytest.fixture
def world(transactional_db):
    from kehu.testing.personas import create_personas

    return create_personas()
