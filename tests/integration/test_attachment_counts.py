"""The paperclip in lists: requisitions, purchase orders, RFQs, goods receipts and invoices
carry ``attachment_count`` (live attachments only) on their list rows, computed inside the
page's own statement (the statement budgets of test_query_budget hold it to that)."""

from __future__ import annotations

from tests.integration.docs import PDF, upload
from tests.integration.goods import free_po, location, received, record_invoice
from tests.integration.pos import RFQS, approved_requisition, line, queue, suppliers
from tests.integration.reqs import BASE, create


def _attach(client, headers, path: str, times: int) -> list[int]:
    ids = []
    for n in range(times):
        response = upload(client, headers, path, PDF, name=f"scan-{n}.pdf")
        assert response.status_code == 201, response.json
        ids.append(response.json["data"]["attachment"]["id"])
    return ids


def _counts(client, headers, url: str, key: str) -> dict[int, int]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.json
    return {row["id"]: row["attachment_count"] for row in response.json["data"][key]}


def test_requisition_rows_count_their_live_attachments(client, auth):
    engineer = auth("engineer")
    with_files, without = create(client, engineer), create(client, engineer)
    first, _second, _third = _attach(
        client, engineer, f"/requisitions/{with_files['id']}/attachments", 3
    )
    assert client.delete(f"/api/v1/attachments/{first}", headers=engineer).status_code == 200

    counts = _counts(client, engineer, BASE, "requisitions")
    assert counts == {with_files["id"]: 2, without["id"]: 0}
    detail = client.get(f"{BASE}/{with_files['id']}", headers=engineer).json["data"]
    assert "attachment_count" not in detail["requisition"]


def test_po_receipt_invoice_and_rfq_rows_count_their_attachments(app, client, auth):
    po = free_po(app, client, auth, ("Gearbox oil", "5", "8.00"))
    other = free_po(app, client, auth, ("Seal kit", "2", "3.00"), code="CRANE")
    _attach(client, auth("buyer"), f"/purchase-orders/{po['id']}/attachments", 2)
    receipt = received(client, auth, po, (0, "5", location(client, auth)))
    _attach(client, auth("storekeeper"), f"/inventory/receipts/{receipt['id']}/attachments", 1)
    invoice = record_invoice(client, auth, po, (0, "5", "8.00")).json["data"]["invoice"]
    _attach(client, auth("accountant"), f"/invoices/{invoice['id']}/attachments", 3)
    (delta,) = suppliers(app, "DELTA")
    approved_requisition(client, auth, line("Servo motor 400 W", "2", "300.00"))
    items = [row["requisition_item_id"] for row in queue(client, auth)]
    rfq = client.post(
        RFQS,
        json={
            "title": "Servo",
            "due_date": "2030-01-15",
            "supplier_ids": [delta],
            "lines": [{"requisition_item_id": i} for i in items],
        },
        headers=auth("buyer"),
    ).json["data"]["rfq"]
    _attach(client, auth("buyer"), f"/rfqs/{rfq['id']}/attachments", 1)

    buyer = auth("buyer")
    pos = _counts(client, buyer, "/api/v1/purchase-orders", "purchase_orders")
    assert pos[po["id"]] == 2 and pos[other["id"]] == 0
    assert _counts(client, buyer, RFQS, "rfqs") == {rfq["id"]: 1}
    receipts = "/api/v1/inventory/receipts"
    assert _counts(client, auth("storekeeper"), receipts, "receipts") == {receipt["id"]: 1}
    invoices = "/api/v1/invoices"
    assert _counts(client, auth("accountant"), invoices, "invoices") == {invoice["id"]: 3}
    # a detail shows the files themselves, not the count
    for username, url, key in (
        ("buyer", f"/api/v1/purchase-orders/{po['id']}", "purchase_order"),
        ("accountant", f"{invoices}/{invoice['id']}", "invoice"),
        ("storekeeper", f"{receipts}/{receipt['id']}", "receipt"),
    ):
        response = client.get(url, headers=auth(username))
        assert response.status_code == 200, (url, response.json)
        body = response.json["data"][key]
        assert "attachment_count" not in body and body["id"]
