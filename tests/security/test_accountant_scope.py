"""Accounts payable sees POs and receipts (SPEC §1), not every requisition."""

from __future__ import annotations

from reqflow.identity.permissions import MATRIX, Role
from tests.integration.reqs import create


def test_the_accountant_row_of_the_matrix_holds_no_requisition_view():
    held = MATRIX[Role.ACCOUNTANT]
    assert not any(p.startswith("requisition:") for p in held)
    assert {"po:view", "goods:view", "invoice:create", "payment:process"} <= held


def test_an_accountant_cannot_read_requisitions_or_their_approvals(client, auth):
    req = create(client, auth("engineer"))
    listed = client.get("/api/v1/requisitions", headers=auth("accountant"))
    assert listed.status_code == 200 and listed.json["data"]["requisitions"] == []
    for path in (f"/requisitions/{req['id']}", f"/requisitions/{req['id']}/approvals"):
        response = client.get(f"/api/v1{path}", headers=auth("accountant"))
        assert response.status_code in (403, 404), path
    assert client.get("/api/v1/purchase-orders", headers=auth("accountant")).status_code == 200
    assert client.get("/api/v1/inventory/receipts", headers=auth("accountant")).status_code == 200
    board = client.get("/api/v1/dashboard", headers=auth("accountant"))
    assert board.status_code == 200
    assert "requisitions_by_status" not in board.json["data"]["dashboard"]
