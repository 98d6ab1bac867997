"""Real Chromium (Debian's, driven by Playwright) against the app served on loopback."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
# CHROMIUM_PATH names the browser where the distribution calls it something else (CI sets it
# to the Chrome the runner ships); otherwise Debian's chromium.
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session", autouse=True)
def _spa_built(app) -> None:
    dist = Path(app.config["FRONTEND_DIST"])
    assert (dist / "index.html").is_file(), "build the SPA first (make frontend)"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, tmp_path) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1366, "height": 850})
    tab = context.new_page()
    yield tab
    context.close()


# No Vue transition running: dialogs, drop-downs and toasts have finished opening or closing.
SETTLED = '!document.querySelector(\'[class*="-enter-active"], [class*="-leave-active"]\')'


@pytest.fixture
def shoot(request):
    """``shoot(page, "name")`` saves a full-page screenshot as a test artifact, numbered in the
    order taken, under ``test-artifacts/screenshots/<test name>/``."""
    folder = ARTIFACTS / request.node.name.replace("[", "-").rstrip("]")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    taken: list[Path] = []

    def take(page, name: str) -> Path:
        path = folder / f"{len(taken) + 1:02d}-{name}.png"
        page.wait_for_function(SETTLED, timeout=5_000)
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    return take


class People:
    """One browser context per person, each signed in and watching its console."""

    def __init__(self, browser, base: str) -> None:
        self.browser, self.base = browser, base
        self.contexts: list = []
        self.errors: dict[str, list[str]] = {}

    def sign_in(self, username: str):
        from tests.browser.test_dashboard_ui import _watch_console
        from tests.browser.test_shell import _login

        context = self.browser.new_context(viewport={"width": 1440, "height": 900})
        self.contexts.append(context)
        page = context.new_page()
        self.errors[username] = _watch_console(page)
        _login(page, self.base, username)
        page.wait_for_selector("[data-test=kpis], [data-test=welcome]")
        return page

    def console_errors(self) -> dict[str, list[str]]:
        """Who logged which console errors (empty when nobody did)."""
        return {user: errors for user, errors in self.errors.items() if errors}


@pytest.fixture
def people(browser, live_server) -> Iterator[People]:
    """``people.sign_in("buyer")`` → a page of its own; every context closes after the test."""
    crowd = People(browser, live_server)
    yield crowd
    for context in crowd.contexts:
        context.close()
