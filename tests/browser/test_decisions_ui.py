"""Question, resubmit and reject in real Chromium: the requester's open page follows every
decision live, a questioned requisition is edited and resubmitted, and a rejection needs a
reason before it is sent."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_purchasing_ui import _row
from tests.browser.test_requisitions_ui import _field
from tests.integration.reqs import payload, submitted

pytestmark = pytest.mark.browser


def _status(page, status: str) -> None:
    page.wait_for_selector(f"[data-test=req-status]:has-text('{status}')", timeout=15_000)


def _decide_from_inbox(page, number: str, decision: str, text: str | None) -> None:
    page.click("[data-test=nav-inbox]")
    row = _row(page, "inbox-table", number)
    row.wait_for()
    row.locator(f"[data-test=inbox-{decision}]").click()
    dialog = page.locator("[data-test=decision-dialog]")
    dialog.wait_for()
    if text is not None:
        _field(page, "decision-text").fill(text)
    dialog.locator("[data-test=dialog-confirm]").click()


def test_question_resubmit_and_reject_reach_the_requesters_open_page(
    live_server, client, auth, users, people, shoot
):
    req = submitted(client, auth, body=payload(("2", "10.50")))
    engineer = people.sign_in("engineer")
    engineer.goto(f"{live_server}/requisitions/{req['id']}")
    _status(engineer, "Submitted")

    # The lead asks a question; the engineer's page shows it without a reload.
    lead = people.sign_in("lead")
    _decide_from_inbox(lead, req["req_number"], "question", "Which press are these for?")
    _status(engineer, "Questioned")
    engineer.wait_for_selector("[data-test=req-timeline] >> text=Which press are these for?")
    shoot(engineer, "questioned")

    # The engineer answers by editing and resubmitting; the chain starts again.
    engineer.click("[data-test=req-edit]")
    engineer.wait_for_url(re.compile(r".*/requisitions/\d+/edit$"))
    justification = _field(engineer, "req-justification")
    engineer.wait_for_function(
        "el => el.value === 'Spare parts for line 3 maintenance'",
        arg=justification.element_handle(),
    )
    justification.fill("Seals for press 4 (the 250 t press)")
    _field(engineer, "item-quantity-0").fill("3")
    engineer.wait_for_function(
        "document.querySelector('[data-test=req-total]').innerText.includes('31.50')"
    )
    engineer.click("[data-test=req-submit]")
    engineer.wait_for_url(re.compile(rf".*/requisitions/{req['id']}$"))
    _status(engineer, "Submitted")
    engineer.wait_for_selector("[data-test=req-detail-total]:has-text('31.50')")
    saved = client.get(f"/api/v1/requisitions/{req['id']}", headers=auth("engineer"))
    assert saved.json["data"]["requisition"]["justification"] == (
        "Seals for press 4 (the 250 t press)"
    )

    # A rejection without a reason is not sent; with one, it reaches the engineer live.
    _decide_from_inbox(lead, req["req_number"], "reject", None)
    lead.wait_for_selector("[data-test=decision-dialog] >> text=Give the reason")
    assert (
        client.get(f"/api/v1/requisitions/{req['id']}", headers=auth("engineer")).json["data"][
            "requisition"
        ]["status"]
        == "Submitted"
    )
    _field(lead, "decision-text").fill("Press 4 is being replaced next month")
    lead.click("[data-test=decision-dialog] [data-test=dialog-confirm]")
    _row(lead, "inbox-table", req["req_number"]).wait_for(state="detached")
    _status(engineer, "Rejected")
    engineer.wait_for_selector(
        "[data-test=req-timeline] >> text=Press 4 is being replaced next month"
    )
    # Rejected is final: nothing left to do on the page.
    assert engineer.locator("[data-test=req-edit], [data-test=req-submit-action]").count() == 0
    shoot(engineer, "rejected")
    assert people.console_errors() == {}
