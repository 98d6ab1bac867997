"""Storage locations in real Chromium: the storekeeper renames and resizes one, deactivates it
after a confirmation, and an edit made meanwhile by someone else is not overwritten."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_dashboard_ui import _watch_console
from tests.browser.test_purchasing_ui import _row
from tests.browser.test_requisitions_ui import _field
from tests.browser.test_shell import _login
from tests.integration.goods import location

pytestmark = pytest.mark.browser

LOCATIONS = "/api/v1/storage-locations"
EXPECTED_REFUSALS = re.compile(r"Failed to load resource: .* status of (422|409)\b")


def _location(client, auth, location_id: int) -> dict:
    response = client.get(f"{LOCATIONS}/{location_id}", headers=auth("storekeeper"))
    assert response.status_code == 200, response.json
    return response.json["data"]["location"]


def test_storekeeper_edits_and_deactivates_a_location(client, auth, page, live_server, shoot):
    main = location(client, auth, "A-01-03", "Main store")
    location(client, auth, "B-02-01", "Overflow")
    errors = _watch_console(page)
    _login(page, live_server, "storekeeper")
    page.click("[data-test=nav-storage-locations]")
    row = _row(page, "locations-table", "A-01-03")
    row.wait_for()

    row.locator("[data-test=location-edit]").click()
    assert _field(page, "location-name").input_value() == "Main store"
    _field(page, "location-name").fill("Main store, aisle 1")
    _field(page, "location-capacity").fill("250.5")
    _field(page, "location-code").fill("B-02-01")  # taken by the overflow bin
    page.click("[data-test=location-save]")
    page.wait_for_selector("[data-test=location-dialog] >> text=Already in use")
    _field(page, "location-code").fill("a-01-04")
    shoot(page, "edit-location")
    page.click("[data-test=location-save]")
    row = _row(page, "locations-table", "A-01-04")
    row.wait_for()
    assert "Main store, aisle 1" in row.inner_text() and "250.5" in row.inner_text()
    saved = _location(client, auth, main)
    assert (saved["code"], saved["name"], saved["capacity"]) == (
        "A-01-04",
        "Main store, aisle 1",
        "250.500",
    )

    row.locator("[data-test=location-toggle]").click()
    page.wait_for_selector("[data-test=confirm-dialog] >> text=Deactivate A-01-04?")
    page.click("[data-test=confirm-dialog] [data-test=dialog-confirm]")
    row.locator("text=Inactive").wait_for()
    assert _location(client, auth, main)["is_active"] is False
    shoot(page, "locations")

    # Someone else renames it while the storekeeper's dialog is open: the save is refused
    # with a message, nothing is overwritten, and the list shows the other person's change.
    row.locator("[data-test=location-edit]").click()
    current = _location(client, auth, main)
    other = client.put(
        f"{LOCATIONS}/{main}",
        json={"name": "Renamed elsewhere", "version": current["version"]},
        headers=auth("storekeeper"),
    )
    assert other.status_code == 200, other.json
    _field(page, "location-name").fill("My stale name")
    page.click("[data-test=location-save]")
    page.wait_for_selector("[data-test=location-dialog] >> text=changed this location meanwhile")
    _row(page, "locations-table", "Renamed elsewhere").wait_for()
    assert _location(client, auth, main)["name"] == "Renamed elsewhere"
    # The browser logs the two refused requests (422 and 409) it was meant to meet; nothing else.
    assert [e for e in errors if not EXPECTED_REFUSALS.search(e)] == [], errors
    assert len(errors) == 2, errors
