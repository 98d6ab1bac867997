"""Printable documents share one layout (company header, numbered pages): a requisition
with its approval history, a goods receipt note, an invoice voucher with its match result
and payments, and the AP aging report; each is refused to whoever cannot see its detail."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.integration.exporting import API, EVIL, world
from tests.integration.pos import POS
from tests.integration.reqs import act


@pytest.fixture
def data(app, client, auth):
    return world(app, client, auth)


def _pdf(response) -> tuple[str, PdfReader]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline; filename=")
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), reader  # wrapped lines read as one


def _first_requisition(client, auth) -> dict:
    listed = client.get(f"{API}/requisitions", headers=auth("engineer")).json["data"]
    return listed["requisitions"][-1]


def test_a_requisition_prints_with_its_approval_history(client, auth, data):
    req = _first_requisition(client, auth)
    act(client, auth("lead"), req["id"], "approve", comment="Needed for the line stop")
    text, reader = _pdf(client.get(f"{API}/requisitions/{req['id']}/pdf", headers=auth("engineer")))
    assert req["req_number"] in text and "ReqFlow Manufacturing" in text
    assert "Approval history" in text and "Needed for the line stop" in text
    assert "Lead" in text  # the approver who decided
    assert "Page 1 of 1" in text
    assert reader.metadata.title == f"Requisition {req['req_number']}"


def test_a_goods_receipt_note_prints_its_lines_and_locations(client, auth, data):
    receipt = data["receipt"]
    url = f"{API}/inventory/receipts/{receipt['id']}/pdf"
    text, _ = _pdf(client.get(url, headers=auth("storekeeper")))
    for expected in (receipt["grn_number"], data["po"]["po_number"], "Bolt M8", "A-01-01"):
        assert expected in text, expected
    assert EVIL in text  # printed as text: a PDF evaluates nothing


def test_an_invoice_voucher_prints_the_match_result_and_payments(client, auth, data):
    invoice = data["invoice"]
    text, _ = _pdf(client.get(f"{API}/invoices/{invoice['id']}/pdf", headers=auth("accountant")))
    assert invoice["inv_number"] in text and "SUP-1001" in text
    assert "Matched" in text and "PAY-" in text
    # 10 × 2.50 = 25.00 + 5 % tax 1.25 = 26.25; 10.00 paid leaves 16.25
    for figure in ("25.00", "1.25", "26.25", "10.00", "16.25"):
        assert figure in text, figure


def test_the_ap_aging_report_prints_per_supplier_with_totals(client, auth, data):
    url = f"{API}/reports/ap-aging/pdf?as_of=2026-04-15"
    text, reader = _pdf(client.get(url, headers=auth("accountant")))
    # the invoice dated 2026-03-01 with 30-day terms is due 2026-03-31: 15 days past due
    assert "Accounts payable aging" in text and "As of 2026-04-15" in text
    assert "16.25" in text and "EVIL" in text
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape


def test_the_po_pdf_uses_the_same_layout(client, auth, data):
    po = data["po"]
    text, _ = _pdf(client.get(f"{POS}/{po['id']}/pdf", headers=auth("buyer")))
    assert po["po_number"] in text and "ReqFlow Manufacturing" in text and "Page 1 of 1" in text


def test_a_long_document_numbers_every_page(client, auth, app, data):
    created = client.post(
        f"{API}/requisitions",
        json={
            "purpose": "Daily Operations",
            "justification": "Shelving for the new store",
            "needed_by": "2030-01-31",
            "items": [
                {
                    "description": f"Shelf unit {i}",
                    "quantity": "1",
                    "uom": "EA",
                    "estimated_unit_price": "10.00",
                }
                for i in range(50)
            ],
        },
        headers=auth("engineer"),
    )
    assert created.status_code == 201, created.json
    req = created.json["data"]["requisition"]
    text, reader = _pdf(client.get(f"{API}/requisitions/{req['id']}/pdf", headers=auth("engineer")))
    pages = len(reader.pages)
    assert pages >= 2 and f"Page {pages} of {pages}" in text and "Shelf unit 49" in text


def test_a_document_is_refused_to_whoever_cannot_see_its_detail(client, auth, data):
    req = _first_requisition(client, auth)
    cases = [
        (f"/requisitions/{req['id']}", "engineer2", 404),
        (f"/inventory/receipts/{data['receipt']['id']}", "engineer", 404),
        (f"/invoices/{data['invoice']['id']}", "engineer", 403),
        (f"/purchase-orders/{data['po']['id']}", "engineer", 403),
    ]
    for path, user, status in cases:
        detail = client.get(f"{API}{path}", headers=auth(user))
        printed = client.get(f"{API}{path}/pdf", headers=auth(user))
        assert (detail.status_code, printed.status_code) == (status, status), path
    aging = client.get(f"{API}/reports/ap-aging/pdf", headers=auth("engineer"))
    assert aging.status_code == 403
    missing = client.get(f"{API}/invoices/999999/pdf", headers=auth("accountant"))
    assert missing.status_code == 404 and missing.json["error"]["code"] == "NOT_FOUND"
    bad = client.get(f"{API}/reports/ap-aging/pdf?as_of=yesterday", headers=auth("accountant"))
    assert bad.status_code == 422
