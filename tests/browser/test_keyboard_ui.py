"""Keyboard only, in real Chromium: sign in, open the inbox from the side menu and approve a
requisition without the mouse, every focused control visibly outlined."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.integration.reqs import payload, submitted

pytestmark = pytest.mark.browser

# What the focused element is, and whether it shows a visible focus indicator.
FOCUSED = """() => {
  const el = document.activeElement
  if (!el) return null
  const style = getComputedStyle(el)
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none'
  const owner = el.closest('[data-test]')
  return { test: owner ? owner.getAttribute('data-test') : null, tag: el.tagName, ring }
}"""


def _tab_to(page, data_test: str, limit: int = 80, backwards: bool = False) -> dict:
    """Presses Tab until the focus is on (or inside) ``[data-test=…]``; returns what is focused."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused["test"] == data_test:
            return focused
    raise AssertionError(f"Tab never reached [data-test={data_test}]")


def test_sign_in_open_the_inbox_and_approve_with_the_keyboard_alone(
    page, app, client, auth, live_server, users, shoot
):
    req = submitted(client, auth, body=payload(("4", "9.90")))

    page.goto(f"{live_server}/login")
    page.wait_for_selector("[data-test=login-username]")
    assert page.evaluate(FOCUSED)["test"] == "login-username"  # autofocus: type at once
    page.keyboard.type("lead")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-test=welcome]")

    focused = _tab_to(page, "nav-inbox")
    assert focused["ring"], "the focused menu entry shows no focus indicator"
    page.keyboard.press("Enter")
    page.wait_for_url("**/inbox")
    row = page.locator("[data-test=inbox-table] .el-table__row", has_text=req["req_number"])
    row.wait_for()
    shoot(page, "inbox")

    focused = _tab_to(page, "inbox-approve")
    assert focused["ring"], "the focused Approve button shows no focus indicator"
    page.keyboard.press("Enter")
    dialog = page.locator("[data-test=decision-dialog]")
    dialog.wait_for()
    _tab_to(page, "decision-text", limit=10)
    page.keyboard.type("Fine by me")
    focused = _tab_to(page, "dialog-confirm", limit=10)
    assert focused["ring"], "the focused confirm button shows no focus indicator"
    shoot(page, "decision")
    page.keyboard.press("Enter")

    dialog.wait_for(state="hidden")
    row.wait_for(state="detached")
    steps = client.get(
        f"/api/v1/requisitions/{req['id']}/approvals", headers=auth("engineer")
    ).json["data"]["approvals"]
    assert [(s["kind"], s["status"], s["comment"]) for s in steps][0] == (
        "line_manager",
        "Approved",
        "Fine by me",
    )
