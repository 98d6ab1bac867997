"""Attachments and Discussion in real Chromium: the engineer attaches a quote to a requisition
and uploads a new version; the lead, with the same page open, sees both appear without a
reload; a preview offers the file for download (the bytes of the version shown); an
``@mention`` reaches the lead's open page and bell live, and the lead's answer the
engineer's."""

from __future__ import annotations

import hashlib
import io

import pytest

from tests.integration.reqs import create

pytestmark = pytest.mark.browser

# Element Plus puts the attribute on the textarea itself
COMMENT_INPUT = "textarea[data-test=comment-input]"


def _quote_pdf(revision: int, pages: int) -> bytes:
    """A real PDF (the preview renders it): ``pages`` pages of a supplier's quote."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for page in range(1, pages + 1):
        pdf.drawString(72, 770, f"ACME quote Q-2026-118, revision {revision}, page {page}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


QUOTE, QUOTE_V2 = _quote_pdf(1, 1), _quote_pdf(2, 40)


def _size(data: bytes) -> str:
    """The SPA's formatBytes: "12 B", "66 kB", "1.4 MB"."""
    n = len(data)
    return f"{n} B" if n < 1000 else f"{int(n / 1000 + 0.5)} kB"


def _file(name: str, data: bytes) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": data}


def _attachment(page, text: str):
    row = page.locator("[data-test=attachment]", has_text="quote")
    row.filter(has_text=text).wait_for(timeout=15_000)
    return row


def _comment(page, text: str):
    comment = page.locator("[data-test=comment]", has_text=text)
    comment.wait_for(timeout=15_000)
    return comment


def test_files_and_a_mention_reach_the_other_open_page_live(
    live_server, client, auth, people, shoot
):
    req = create(client, auth("engineer"))
    url = f"{live_server}/requisitions/{req['id']}"
    engineer, lead = people.sign_in("engineer"), people.sign_in("lead")
    for page in (engineer, lead):
        page.goto(url)
        page.wait_for_selector("[data-test=attachments-panel] >> text=Attachments (0)")
        page.wait_for_selector("[data-test=discussion-panel] >> text=Discussion (0)")

    # Upload through the file input: listed with its size, on both pages.
    engineer.set_input_files("[data-test=attachments-input]", files=[_file("quote.pdf", QUOTE)])
    for page in (engineer, lead):
        row = _attachment(page, f"v1 · {_size(QUOTE)} · Engineer")
        assert row.count() == 1
    lead.wait_for_selector("[data-test=attachments-panel] >> text=Attachments (1)")

    # A new version of the same attachment: both versions listed, on both pages.
    with engineer.expect_file_chooser() as chooser:
        _attachment(engineer, "v1").get_by_role("button", name="New version").click()
    chooser.value.set_files([_file("quote-rev2.pdf", QUOTE_V2)])
    for page in (engineer, lead):
        row = _attachment(page, f"v2 · {_size(QUOTE_V2)}")
        row.locator("summary", has_text="Versions").click()
        versions = row.locator(".version")
        versions.nth(1).wait_for()
        assert versions.count() == 2
        assert "v1 quote.pdf" in versions.nth(0).inner_text()
        assert "v2 quote-rev2.pdf" in versions.nth(1).inner_text()
        assert _size(QUOTE) in versions.nth(0).inner_text()
    shoot(lead, "two-versions-live")

    # Preview the latest version; its download link hands over exactly those bytes.
    _attachment(lead, "v2").locator("[data-test=attachment-preview]").click()
    pane = lead.locator("[data-test=attachment-preview-pane]")
    pane.wait_for()
    assert pane.locator("iframe[title='quote-rev2.pdf']").count() == 1
    shoot(lead, "preview")
    with lead.expect_download() as download:
        pane.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == "quote-rev2.pdf"
    saved = download.value.path()
    with open(saved, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == hashlib.sha256(QUOTE_V2).hexdigest()

    # A comment mentioning the lead: their open page shows it and their bell rings, live.
    engineer.fill(COMMENT_INPUT, "@lead is the **revised** quote fine?")
    engineer.click("[data-test=comment-send]")
    said = _comment(lead, "is the revised quote fine?")
    assert said.locator(".mention", has_text="@lead").count() == 1
    assert said.locator("strong", has_text="revised").count() == 1
    lead.wait_for_selector("[data-test=bell][aria-label='Notifications, 1 unread']")
    lead.click("[data-test=bell]")
    lead.wait_for_selector("[data-test=notification-item] >> text=Engineer mentioned you")
    shoot(lead, "mentioned")

    # The lead answers in the thread; the engineer's open page shows the answer.
    lead.keyboard.press("Escape")
    lead.fill(COMMENT_INPUT, "Yes, go ahead")
    lead.click("[data-test=comment-send]")
    _comment(engineer, "Yes, go ahead")
    engineer.wait_for_selector("[data-test=discussion-panel] >> text=Discussion (2)")
    shoot(engineer, "thread")

    # The requisitions list shows the paperclip with the count of files.
    engineer.goto(f"{live_server}/requisitions")
    engineer.wait_for_selector(
        "[data-test=req-table] [data-test=paperclip][aria-label='1 attachment']"
    )

    stored = client.get(f"/api/v1/requisitions/{req['id']}/attachments", headers=auth("lead"))
    (attachment,) = stored.json["data"]["attachments"]
    assert attachment["current_version"] == 2
    assert people.console_errors() == {}
