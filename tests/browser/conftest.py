"""Real Chromium (Debian's, driven by Playwright) against the app served on loopback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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
