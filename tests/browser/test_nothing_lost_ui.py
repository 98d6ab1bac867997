"""Nothing typed is lost, in real Chromium: the unsaved-changes guard on the requisition form
(menu, reload), the local draft restored after a reload, and an ended session answered by a
sign-in dialog over the page after which the form is submitted with its content."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.browser.test_requisitions_ui import _field
from tests.browser.test_shell import _login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

GUARD = ".unsaved-guard"
DRAFT_KEY = "reqflow:draft:requisition:"


def _new_requisition(page, base: str, justification: str) -> None:
    _login(page, base, "engineer")
    page.wait_for_selector("[data-test=welcome]")
    page.click("[data-test=nav-requisitions]")
    page.click("[data-test=req-new]")
    _field(page, "req-justification").fill(justification)
    _field(page, "item-description-0").fill("Bearing 6204-2RS")
    _field(page, "item-quantity-0").fill("3")
    _field(page, "item-price-0").fill("12.55")


def _stored_lines(app, justification: str) -> list[tuple[str, str]] | None:
    """The lines (description, quantity) of the requisition with this justification, if any."""
    from reqflow.extensions import db
    from reqflow.requisitions.models import Requisition

    with app.app_context():
        req = db.session.scalars(
            select(Requisition).where(Requisition.justification == justification)
        ).one_or_none()
        return None if req is None else [(i.description, str(i.quantity)) for i in req.items]


def test_the_form_asks_before_its_changes_are_dropped(page, live_server, users, shoot):
    _new_requisition(page, live_server, "Bearings for press 4")

    page.click("[data-test=nav-dashboard]")
    box = page.locator(GUARD)
    box.wait_for()
    assert "unsaved changes" in box.inner_text().lower()
    shoot(page, "guard")
    box.get_by_role("button", name="Keep editing").click()
    box.wait_for(state="hidden")
    assert page.url.endswith("/requisitions/new")
    assert _field(page, "req-justification").input_value() == "Bearings for press 4"

    # The browser's own prompt guards a reload or a closed tab.
    prompts: list[str] = []

    def on_dialog(dialog) -> None:
        prompts.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    page.evaluate("location.reload()")
    page.remove_listener("dialog", on_dialog)
    assert prompts == ["beforeunload"]
    assert _field(page, "req-justification").input_value() == "Bearings for press 4"

    page.click("[data-test=nav-dashboard]")
    page.locator(GUARD).get_by_role("button", name="Discard changes").click()
    page.wait_for_selector("[data-test=welcome]")
    # Discarded means discarded: the next form starts empty, no draft offered.
    page.click("[data-test=nav-requisitions]")
    page.click("[data-test=req-new]")
    _field(page, "req-justification").wait_for()
    assert _field(page, "req-justification").input_value() == ""
    assert page.locator("[data-test=req-draft-restored]").count() == 0


def test_a_reload_restores_the_draft_which_is_then_submitted(page, app, live_server, users, shoot):
    _new_requisition(page, live_server, "Grease for the conveyor")
    page.wait_for_function(
        f"Object.keys(localStorage).some(k => k.startsWith('{DRAFT_KEY}')"
        " && localStorage.getItem(k).includes('Grease for the conveyor'))"
    )
    page.once("dialog", lambda dialog: dialog.accept())  # "Leave site?" — yes
    page.reload()

    page.wait_for_selector("[data-test=req-draft-restored]")
    assert _field(page, "req-justification").input_value() == "Grease for the conveyor"
    assert _field(page, "item-description-0").input_value() == "Bearing 6204-2RS"
    assert _field(page, "item-quantity-0").input_value() == "3"
    assert _field(page, "item-price-0").input_value() == "12.55"
    shoot(page, "restored")

    page.click("[data-test=req-submit]")
    page.wait_for_url(re.compile(r".*/requisitions/\d+$"))
    page.wait_for_selector("[data-test=req-status]:has-text('Submitted')")
    assert (
        page.evaluate(f"Object.keys(localStorage).filter(k => k.startsWith('{DRAFT_KEY}')).length")
        == 0
    )
    assert _stored_lines(app, "Grease for the conveyor") == [("Bearing 6204-2RS", "3.000")]


def test_an_ended_session_asks_to_sign_in_over_the_form_then_submits_it(
    page, app, live_server, users, shoot
):
    from reqflow.extensions import db
    from reqflow.identity.auth import end_all_sessions
    from reqflow.identity.models import User

    _new_requisition(page, live_server, "Filters for the compressor")
    # The server ends every session of the user (what a password change elsewhere does).
    with app.app_context():
        end_all_sessions(db.session.get(User, users["engineer"].id))
        db.session.commit()

    page.click("[data-test=req-submit]")
    dialog = page.locator("[data-test=reauth-dialog]")
    dialog.wait_for()
    assert page.url.endswith("/requisitions/new")  # the form is still there, behind it
    assert _field(page, "req-justification").input_value() == "Filters for the compressor"
    assert _stored_lines(app, "Filters for the compressor") is None
    shoot(page, "sign-in-again")

    _field(page, "reauth-password").fill("not-the-password")
    page.click("[data-test=reauth-submit]")
    page.wait_for_selector("[data-test=reauth-error]")
    _field(page, "reauth-password").fill(PASSWORD)
    page.click("[data-test=reauth-submit]")

    page.wait_for_url(re.compile(r".*/requisitions/\d+$"))
    page.wait_for_selector("[data-test=req-status]:has-text('Submitted')")
    dialog.wait_for(state="hidden")  # closed once signed in (after its closing transition)
    assert _stored_lines(app, "Filters for the compressor") == [("Bearing 6204-2RS", "3.000")]
