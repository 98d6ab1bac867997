"""Imports in real Chromium: the admin downloads the items template, uploads a 2 000-row file,
sees the preview with its errors, fixes and re-uploads, commits, watches the progress bar move
to 100 % live; a buyer then finds the items in the catalog (the Admin holds every
``import:<kind>`` permission but does not work in the catalog)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.browser.test_shell import _login

pytestmark = pytest.mark.browser
ROWS = 2_000
HEADER = ["sku", "name", "uom", "category", "reorder_level"]

# Records every width the progress bar takes, so the test can tell it moved while running.
WATCH_BAR = """() => {
  window.__bar = [];
  new MutationObserver(() => {
    const bar = document.querySelector('[role=progressbar][data-test=import-progress]');
    if (bar) window.__bar.push(Number(bar.getAttribute('aria-valuenow')));
  }).observe(document.body, {subtree: true, childList: true, attributes: true});
}"""


def _file(tmp_path, name: str, broken: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(1, ROWS + 1):
        qty = "many" if broken and n in (10, 500) else str(n % 30)
        sku = "" if broken and n == 1500 else f"UI-{n:05d}"
        writer.writerow([sku, f"Imported part {n}", "EA", "Imported", qty])
    path = tmp_path / name
    path.write_text(out.getvalue())
    return str(path)


def test_admin_imports_two_thousand_items_and_watches_the_progress(
    page, live_server, users, tmp_path, shoot
):
    _login(page, live_server, "admin")
    page.click("[data-test=nav-imports]")
    page.wait_for_selector("[data-test=imports-page]")
    page.click("[data-test=import-kind]")
    page.click(".el-select-dropdown__item >> text=Catalog items")
    with page.expect_download() as download:
        page.click("[data-test=import-template]")
    assert download.value.suggested_filename == "items-template.xlsx"
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert [c.value for c in sheet[1]][:2] == ["sku", "name"]
    page.click("[data-test=import-columns] summary")
    page.wait_for_selector("[data-test=import-columns] >> text=preferred_supplier_code")

    page.set_input_files("[data-test=import-file]", _file(tmp_path, "items.csv", broken=True))
    page.click("[data-test=import-upload]")
    page.wait_for_selector("[data-test=import-errors]")
    counts = page.inner_text("[data-test=import-counts]")
    assert "1997 new" in counts and "3 errors" in counts
    errors = page.inner_text("[data-test=import-errors]")
    assert "reorder_level" in errors and "1501" in errors
    assert page.locator("[data-test=import-commit]").count() == 0
    shoot(page, "preview-with-errors")

    page.click("[data-test=import-new]")
    page.set_input_files("[data-test=import-file]", _file(tmp_path, "fixed.csv", broken=False))
    page.click("[data-test=import-upload]")
    page.wait_for_selector("[data-test=import-counts] >> text=2000 new")
    page.evaluate(WATCH_BAR)
    page.click("[data-test=import-commit]")
    page.wait_for_selector("[data-test=import-status] >> text=committed", timeout=120_000)
    seen = page.evaluate("window.__bar")
    assert any(0 < v < 100 for v in seen), seen  # it moved while the commit ran
    assert seen[-1] == 100
    shoot(page, "committed")

    page.reload()  # the import's id is in the URL: the summary survives a reload
    page.wait_for_selector("[data-test=import-status] >> text=committed")
    page.click("[data-test=user-menu]")
    page.click("[data-test=logout]")
    page.wait_for_selector("[data-test=login-username]")
    _login(page, live_server, "buyer")
    page.click("[data-test=nav-items]")
    page.fill("[data-test=item-search] input, input[data-test=item-search]", "UI-01999")
    page.wait_for_selector("[data-test=items-table] >> text=Imported part 1999")
