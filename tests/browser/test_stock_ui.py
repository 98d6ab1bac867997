"""Stock movements in real Chromium: a storekeeper moves, adjusts and issues Available stock
from the inventory page, and the table, the balances and the stock ledger agree to the
thousandth. Refusals (too much, a 409 from a stale row, a 422 on a field) change nothing and
are shown in the dialog."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.browser.test_dashboard_ui import _watch_console
from tests.browser.test_requisitions_ui import _field
from tests.browser.test_shell import _login
from tests.integration.goods import (
    INVENTORY,
    LOCATIONS,
    free_po,
    ledger_matches_balances,
    location,
    make_item,
    received,
    requisitioned_po,
    stock,
)

pytestmark = pytest.mark.browser

TABLE = "[data-test=inventory-table] .el-table__body-wrapper .el-table__row"
# A 4xx answer is logged by Chromium itself ("Failed to load resource: … status of 409").
REFUSED = re.compile(r"Failed to load resource: the server responded with a status of (409|422)")


def _stock_row(page, name: str, code: str):
    return page.locator(TABLE).filter(has_text=name).filter(has_text=code)


def _quantity(page, name: str, code: str) -> str:
    """The Quantity cell (4th column) of the row of ``name`` at location ``code``."""
    return _stock_row(page, name, code).locator("td").nth(3).inner_text().strip()


def _wait_quantity(page, name: str, code: str, expected: str) -> None:
    """Waits until the table shows ``expected`` for that row (it reloads after each action)."""
    page.wait_for_function(
        """([rows, name, code, expected]) => [...document.querySelectorAll(rows)].some(
            (tr) => tr.innerText.includes(name) && tr.innerText.includes(code)
              && tr.querySelectorAll('td')[3]?.innerText.trim() === expected)""",
        arg=[TABLE, name, code, expected],
        timeout=10_000,
    )


def _table(page) -> list[tuple[str, str, str]]:
    """(item, location code, quantity cell) of every row, as shown."""
    out = []
    for i in range(page.locator(TABLE).count()):
        cells = page.locator(TABLE).nth(i).locator("td")
        item = cells.nth(0).inner_text().splitlines()[0].strip()
        code = cells.nth(1).inner_text().split()[0]
        out.append((item, code, cells.nth(3).inner_text().strip()))
    return sorted(out)


def _open(page, action: str, name: str, code: str):
    _stock_row(page, name, code).locator(f"[data-test=stock-{action}]").click()
    dialog = page.locator(f"[data-test={action}-dialog]")
    dialog.wait_for()
    return dialog


def _confirm_and_close(page, dialog, message: str) -> None:
    dialog.locator("[data-test=dialog-confirm]").click()
    page.wait_for_selector(f".el-message--success:has-text('{message}')")
    dialog.wait_for(state="hidden")


def _pick_in_dialog(page, picker: str, text: str) -> None:
    """Like ``_pick``, among the visible options only (the page's location filter has its
    own, hidden, drop-down of the same locations)."""
    page.click(f"[data-test={picker}]")
    page.keyboard.type(text)
    page.click(f".el-select-dropdown__item:visible:has-text('{text}')")
    page.wait_for_selector(f"[data-test={picker}] :text('{text}')")


def _record_writes(page) -> list[tuple[str, str, str | None]]:
    """Every stock write the page sends, as (method, path, Idempotency-Key)."""
    writes: list[tuple[str, str, str | None]] = []

    def seen(request) -> None:
        path = request.url.split("/api/v1", 1)[-1]
        if request.method != "GET" and path.startswith("/inventory"):
            writes.append((request.method, path, request.headers.get("idempotency-key")))

    page.on("request", seen)
    return writes


def _sign_in_to_inventory(browser, live_server):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    errors = _watch_console(page)
    _login(page, live_server, "storekeeper")
    page.wait_for_selector("[data-test=kpis], [data-test=welcome]")
    page.click("[data-test=nav-inventory]")
    page.wait_for_selector(TABLE)
    return context, page, errors


def test_storekeeper_moves_adjusts_and_issues_stock_to_the_thousandth(
    app, client, auth, browser, live_server, shoot
):
    main = location(client, auth, "A-01-01", "Main store")
    location(client, auth, "B-02-01", "Overflow rack")
    location(client, auth, "C-03-01", "Returns cage")
    bearing = make_item(client, auth, "BRG-6204", "Bearing 6204")
    # 20 bearings ordered without a requisition are Available at once; gaskets an engineer
    # asked for wait for them to accept them.
    received(
        client,
        auth,
        free_po(app, client, auth, ("Bearing 6204", "20", "3.50", bearing["id"])),
        (0, "20", main),
    )
    received(
        client,
        auth,
        requisitioned_po(app, client, auth, ("Gasket set", "3", "8.00")),
        (0, "3", main),
    )

    (first,) = [r for r in stock(client, auth) if r["item_id"] == bearing["id"]]

    context, page, errors = _sign_in_to_inventory(browser, live_server)
    writes = _record_writes(page)
    try:
        assert _table(page) == [
            ("Bearing 6204", "A-01-01", "20 EA"),
            ("Gasket set", "A-01-01", "3 EA"),
        ]
        pending = _stock_row(page, "Gasket set", "A-01-01")
        for action in ("move", "adjust", "issue"):
            assert pending.locator(f"[data-test=stock-{action}]").is_disabled(), action
            assert (
                _stock_row(page, "Bearing 6204", "A-01-01")
                .locator(f"[data-test=stock-{action}]")
                .is_enabled()
            )
        shoot(page, "inventory-with-actions")

        # -- Move: more than is there is refused on the field and nothing is sent...
        move = _open(page, "move", "Bearing 6204", "A-01-01")
        assert move.locator("[data-test=stock-on-hand]").inner_text() == "20"
        _pick_in_dialog(page, "move-location", "B-02-01")
        _field(page, "move-quantity").fill("20.001")
        move.locator("[data-test=dialog-confirm]").click()
        move.locator(".el-form-item__error:has-text('At most the 20 available here')").wait_for()
        shoot(page, "move-too-much")
        assert _quantity(page, "Bearing 6204", "A-01-01") == "20 EA"
        assert writes == []  # refused in the browser: nothing was sent
        # ...then 7.5 of them go to the overflow rack.
        _field(page, "move-quantity").fill("7.5")
        _field(page, "move-note").fill("Make room for the March delivery")
        shoot(page, "move-dialog")
        _confirm_and_close(page, move, "Stock moved")
        _wait_quantity(page, "Bearing 6204", "B-02-01", "7.5 EA")
        assert _quantity(page, "Bearing 6204", "A-01-01") == "12.5 EA"

        # -- Adjust: the count in the main store found 12, so the change is -0.500.
        adjust = _open(page, "adjust", "Bearing 6204", "A-01-01")
        _field(page, "adjust-counted").fill("12")
        assert _field(page, "adjust-quantity").input_value() == "-0.500"
        adjust.locator("[data-test=adjust-preview]:has-text('12')").wait_for()
        adjust.locator("[data-test=dialog-confirm]").click()
        adjust.locator(".el-form-item__error:has-text('Say why the stock changes')").wait_for()
        _field(page, "adjust-reason").fill("Cycle count: half a box short")
        shoot(page, "adjust-dialog")
        _confirm_and_close(page, adjust, "Stock adjusted")
        _wait_quantity(page, "Bearing 6204", "A-01-01", "12 EA")

        # -- Issue 2.25 from the overflow rack to a work order; 7.5 more would be too many.
        issue = _open(page, "issue", "Bearing 6204", "B-02-01")
        _field(page, "issue-quantity").fill("7.501")
        issue.locator("[data-test=dialog-confirm]").click()
        issue.locator(".el-form-item__error:has-text('At most the 7.5 available here')").wait_for()
        _field(page, "issue-quantity").fill("2.25")
        _field(page, "issue-note").fill("WO-7 spindle rebuild")
        issue.locator("[data-test=issue-left]:has-text('5.25 EA stay here')").wait_for()
        shoot(page, "issue-dialog")
        _confirm_and_close(page, issue, "Stock issued")
        _wait_quantity(page, "Bearing 6204", "B-02-01", "5.25 EA")

        # -- Adjust stock where none is listed yet: 4 bearings turn up in the returns cage.
        page.click("[data-test=stock-adjust-new]")
        free = page.locator("[data-test=adjust-dialog]")
        free.wait_for()
        _pick_in_dialog(page, "adjust-item", "BRG-6204")
        _pick_in_dialog(page, "adjust-location", "C-03-01")
        free.locator("[data-test=adjust-on-hand]:has-text('On hand now: 0 EA')").wait_for()
        _field(page, "adjust-quantity").fill("-1")
        _field(page, "adjust-reason").fill("Found in the returns cage")
        free.locator("[data-test=dialog-confirm]").click()
        free.locator(
            ".el-form-item__error:has-text('Cannot remove more than the 0 on hand')"
        ).wait_for()
        shoot(page, "adjust-below-zero")
        _field(page, "adjust-quantity").fill("4")
        shoot(page, "adjust-new-location")
        _confirm_and_close(page, free, "Stock adjusted")
        _wait_quantity(page, "Bearing 6204", "C-03-01", "4 EA")

        assert _table(page) == [
            ("Bearing 6204", "A-01-01", "12 EA"),
            ("Bearing 6204", "B-02-01", "5.25 EA"),
            ("Bearing 6204", "C-03-01", "4 EA"),
            ("Gasket set", "A-01-01", "3 EA"),
        ]
        shoot(page, "inventory-after")
        assert errors == [], errors
        # One request per confirmed dialog, each with its own Idempotency-Key.
        assert [(method, path) for method, path, _ in writes] == [
            ("PUT", f"/inventory/{first['id']}/location"),
            ("POST", "/inventory/adjustments"),
            ("POST", "/inventory/issue"),
            ("POST", "/inventory/adjustments"),
        ]
        keys = {key for *_, key in writes}
        assert None not in keys and len(keys) == 4
    finally:
        context.close()

    # The API and the ledger agree with the screen: 20 − 0.5 − 2.25 + 4 = 21.25 Available.
    rows = {
        (r["name"], r["location"]["code"], r["status"]): r["quantity"] for r in stock(client, auth)
    }
    assert rows == {
        ("Bearing 6204", "A-01-01", "Available"): "12.000",
        ("Bearing 6204", "B-02-01", "Available"): "5.250",
        ("Bearing 6204", "C-03-01", "Available"): "4.000",
        ("Gasket set", "A-01-01", "Pending Acceptance"): "3.000",
    }
    ledger_matches_balances(app)
    with app.app_context():
        from reqflow.extensions import db
        from reqflow.inventory.ledger import StockLedgerEntry

        entries = db.session.execute(
            select(StockLedgerEntry.entry_type, StockLedgerEntry.quantity, StockLedgerEntry.note)
            .where(StockLedgerEntry.stock_key == f"item:{bearing['id']}")
            .order_by(StockLedgerEntry.id)
        ).all()
        db.session.remove()
    assert [(kind, str(qty), note) for kind, qty, note in entries] == [
        ("receipt", "20.000", None),
        ("transfer", "-7.500", "Make room for the March delivery"),
        ("transfer", "7.500", "Make room for the March delivery"),
        ("adjustment", "-0.500", "Cycle count: half a box short"),
        ("issue", "-2.250", "WO-7 spindle rebuild"),
        ("adjustment", "4.000", "Found in the returns cage"),
    ]


def test_a_stale_row_gets_the_409_and_a_closed_location_the_422_on_its_field(
    app, client, auth, browser, live_server, shoot
):
    main = location(client, auth, "A-01-01", "Main store")
    rack = location(client, auth, "B-02-01", "Overflow rack")
    bearing = make_item(client, auth, "BRG-6204", "Bearing 6204")
    received(
        client,
        auth,
        free_po(app, client, auth, ("Bearing 6204", "5", "3.50", bearing["id"])),
        (0, "5", main),
    )
    (row,) = stock(client, auth)

    context, page, errors = _sign_in_to_inventory(browser, live_server)
    writes = _record_writes(page)
    try:
        # -- Someone issues 3 through the API while the storekeeper's dialog still says 5.
        issue = _open(page, "issue", "Bearing 6204", "A-01-01")
        elsewhere = client.post(
            f"{INVENTORY}/issue",
            json={"inventory_id": row["id"], "quantity": "3"},
            headers=auth("storekeeper"),
        )
        assert elsewhere.status_code == 201, elsewhere.json
        _field(page, "issue-quantity").fill("4")
        issue.locator("[data-test=dialog-confirm]").click()
        issue.locator(
            "[data-test=dialog-error]:has-text('Not enough Available stock of Bearing 6204')"
        ).wait_for()
        # The dialog now knows the real balance, and the table behind it was reloaded.
        assert issue.locator("[data-test=stock-on-hand]").inner_text() == "2"
        _wait_quantity(page, "Bearing 6204", "A-01-01", "2 EA")
        shoot(page, "issue-409")
        assert stock(client, auth)[0]["quantity"] == "2.000"  # the refused issue took nothing
        _field(page, "issue-quantity").fill("1")
        _confirm_and_close(page, issue, "Stock issued")
        _wait_quantity(page, "Bearing 6204", "A-01-01", "1 EA")

        # -- The overflow rack is closed while the move dialog has it chosen: 422 on the field.
        move = _open(page, "move", "Bearing 6204", "A-01-01")
        _pick_in_dialog(page, "move-location", "B-02-01")
        _field(page, "move-quantity").fill("1")
        current = client.get(f"{LOCATIONS}/{rack}", headers=auth("storekeeper")).json["data"]
        closed = client.put(
            f"{LOCATIONS}/{rack}",
            json={"is_active": False, "version": current["location"]["version"]},
            headers=auth("storekeeper"),
        )
        assert closed.status_code == 200, closed.json
        move.locator("[data-test=dialog-confirm]").click()
        move.locator(".el-form-item__error:has-text('No such active storage location.')").wait_for()
        assert move.is_visible()
        shoot(page, "move-422")
        assert _quantity(page, "Bearing 6204", "A-01-01") == "1 EA"
        move.locator("[data-test=dialog-cancel]").click()
        # The dialog holds typed content: Cancel asks before dropping it.
        page.locator(".unsaved-guard").get_by_role("button", name="Discard changes").click()
        move.wait_for(state="hidden")
        # The retry after the 409 kept its dialog's key (a refused key is free again); the
        # move dialog had a key of its own.
        (refused, issued, moved) = [key for *_, key in writes]
        assert refused == issued and moved not in (None, issued)
    finally:
        context.close()

    assert [(r["location"]["code"], r["quantity"]) for r in stock(client, auth)] == [
        ("A-01-01", "1.000")
    ]
    ledger_matches_balances(app)
    # Only the two refusals the test provoked reached the console (Chromium logs any 4xx).
    assert len(errors) == 2 and all(REFUSED.search(e) for e in errors), errors


def test_links_open_the_inventory_on_one_item_or_on_low_stock(client, auth, page, live_server):
    """A low-stock notification links to /inventory?item_id=…, the dashboard card to
    /inventory?tab=low: each opens the page already narrowed, and the filter can be dropped."""
    bin_id = location(client, auth, "A-01-01", "Main store")
    bearing = make_item(client, auth, "BRG-6204", "Bearing 6204", reorder_level="50")
    seal = make_item(client, auth, "SEAL-9", "Seal kit")
    for item_id, qty in ((bearing["id"], "3"), (seal["id"], "8")):
        adjusted = client.post(
            f"{INVENTORY}/adjustments",
            json={"item_id": item_id, "location_id": bin_id, "quantity": qty, "reason": "Count"},
            headers=auth("storekeeper"),
        )
        assert adjusted.status_code == 201, adjusted.json
    errors = _watch_console(page)
    _login(page, live_server, "storekeeper")
    page.wait_for_selector("[data-test=kpis]")
    page.goto(f"{live_server}/inventory?item_id={bearing['id']}")
    page.wait_for_selector("[data-test=inventory-item-filter]:has-text('BRG-6204')")
    page.locator(TABLE).filter(has_text="Bearing 6204").wait_for()
    assert _table(page) == [("Bearing 6204", "A-01-01", "3 EA")]
    page.click("[data-test=inventory-item-filter] .el-tag__close")
    page.locator(TABLE).filter(has_text="Seal kit").wait_for()
    assert len(_table(page)) == 2 and page.url.endswith("/inventory")

    page.goto(f"{live_server}/")
    page.click("[data-test=kpi-low-stock-items]")  # 1: the bearing, 3 of 50
    page.wait_for_url(re.compile(r".*/inventory\?tab=low$"))
    page.wait_for_selector("[data-test=low-stock] >> text=BRG-6204")
    assert page.locator("[data-test=low-stock] >> text=SEAL-9").count() == 0
    assert errors == [], errors
