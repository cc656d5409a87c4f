"""Fixtures for the browser tests: Debian's Chromium driven by Playwright's sync API.

Playwright is started per test and stopped before the test ends: while it runs,
its event loop counts as "running" in the main thread, so Django refuses
synchronous ORM calls there unless ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set. That
variable is set only for the tests in this folder and only while they run.
"""

import os
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The audience: a phone 360 CSS pixels wide, set to English as many are; Hamdeli must still open in Persian.
PHONE_VIEWPORT = {"width": 360, "height": 740}
PHONE_LOCALE = "en-US"


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Debian's Chromium; ``playwright install`` is never used."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's Chromium with `apt-get install -y chromium`."
        if os.environ.get("CI"):
            pytest.fail(f"Browser tests cannot run on CI: {message}", pytrace=False)
        pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture(autouse=True)
def _allow_async_unsafe(monkeypatch):
    """Let the ORM run in the main thread while Playwright's event loop is active there."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(chromium_executable, _allow_async_unsafe):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's loop runs, Django's connections live in a separate
            # context; close them here or PostgreSQL cannot drop the test database.
            connections.close_all()


@pytest.fixture
def page(browser, live_server, django_db_serialized_rollback):
    """A fresh phone-sized Persian browser tab pointed at the live server.

    ``live_server`` makes the test transactional: the database is flushed after
    it. The serialized rollback puts back what the data migrations created
    (provinces, cities, products) before each browser test, so later tests
    still find it.
    """
    context = browser.new_context(base_url=live_server.url, viewport=PHONE_VIEWPORT, locale=PHONE_LOCALE)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def artifacts_dir(request) -> Path:
    """``test-artifacts/`` at the project root (gitignored) for screenshots."""
    path = request.config.rootpath / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
