"""Headless Chromium for browser tests (Playwright driving Debian's ``chromium``).

Fixtures (general: any test of a page may use them):

- ``chromium_browser`` (session): a headless Chromium, launched from
  ``ALLIANCE_CHROMIUM`` or ``/usr/bin/chromium`` (never ``playwright install``), with a
  fresh profile. Outside CI a missing Chromium or Playwright skips the browser tests;
  with ``CI=true`` it fails them.
- ``chromium_page`` (function): a new page whose ``page.console_errors`` lists console
  errors and uncaught exceptions, ``page.dialogs`` every alert/confirm/prompt (dismissed),
  and ``page.foreign_requests`` every request to a host other than 127.0.0.1/localhost
  (``about:``, ``data:``, ``blob:`` and ``file:`` are local). Requests to other hosts are
  aborted, so a test never reaches the network.
- ``artifacts_dir``: ``test-artifacts/`` at the repository root (gitignored), where
  screenshots go.

:func:`wait_js` waits for a JavaScript condition by polling ``page.evaluate``: Playwright's
``wait_for_function`` evaluates strings with ``eval``, which a strict page policy (no
``'unsafe-eval'``) refuses.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"about", "data", "blob", "file", "chrome-error"}


def chromium_path() -> str | None:
    """Debian's Chromium, or ``ALLIANCE_CHROMIUM``; None when absent."""
    wanted = os.environ.get("ALLIANCE_CHROMIUM")
    for candidate in ([wanted] if wanted else []) + ["/usr/bin/chromium",
                                                     shutil.which("chromium") or ""]:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def is_foreign(url: str) -> bool:
    """Whether a request goes to a host other than this machine."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return False
    return (parts.hostname or "") not in LOCAL_HOSTS


def wait_js(page, expression: str, timeout: float = 30.0, interval: float = 0.05):
    """Poll ``expression`` (a JS expression) until it is truthy; its value, or fail."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {expression}")
        page.wait_for_timeout(interval * 1000)


def _missing(reason: str):
    if IN_CI:
        pytest.fail(f"browser tests need Chromium and Playwright: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_browser(playwright_driver):
    executable = chromium_path()
    if executable is None:
        _missing("no Chromium at /usr/bin/chromium (apt-get install chromium) "
                 "nor at $ALLIANCE_CHROMIUM")
    profile = tempfile.mkdtemp(prefix="alliance-chromium-")
    # A persistent context is how Playwright takes a user-data-dir: a fresh one.
    context = playwright_driver.chromium.launch_persistent_context(
        profile, executable_path=executable, headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 860}, service_workers="block",
    )
    try:
        yield context
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def chromium_page(chromium_browser):
    page = chromium_browser.new_page()
    page.console_errors = []
    page.dialogs = []
    page.foreign_requests = []

    def on_console(message):
        if message.type == "error":
            page.console_errors.append(message.text)

    def on_dialog(dialog):
        page.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_route(route):
        if is_foreign(route.request.url):
            page.foreign_requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page.console_errors.append(f"uncaught: {exc}"))
    page.on("dialog", on_dialog)
    page.route("**/*", on_route)
    # routes do not see every request (e.g. some made by the browser itself): listen too
    page.on("request", lambda request: is_foreign(request.url)
            and request.url not in page.foreign_requests
            and page.foreign_requests.append(request.url))
    yield page
    page.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
