"""SPEC §7 integrity under contention: of 50 identical approvals posted at once, exactly one
succeeds."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from reqflow.audit.models import AuditLog
from reqflow.extensions import db
from tests.conftest import PASSWORD, login
from tests.integration.pos import po_in, suppliers

MANAGERS = 50


def _managers(app) -> list[str]:
    """50 more ProcurementMgr users, created the way tests.conftest creates its users."""
    from reqflow.identity import service

    names = [f"mgr{i:02d}" for i in range(MANAGERS)]
    with app.app_context():
        department = service.create_department(actor=None, name="Procurement", code="PRC")
        for name in names:
            service.create_user(
                actor=None,
                data={
                    "username": name,
                    "email": f"{name}@example.com",
                    "full_name": name.title(),
                    "password": PASSWORD,
                    "role": "ProcurementMgr",
                    "department_id": department.id,
                },
            )
    return names


def test_fifty_parallel_approvals_of_one_po_exactly_one_wins(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    po = po_in(app, client, auth, acme, "Pending Approval")
    headers = [login(client, name) for name in _managers(app)]
    barrier = threading.Barrier(MANAGERS)

    def approve(index: int) -> int:
        local = app.test_client()
        barrier.wait()
        url = f"/api/v1/purchase-orders/{po['id']}/approve"
        return local.post(url, json={}, headers=headers[index]).status_code

    with ThreadPoolExecutor(max_workers=MANAGERS) as pool:
        statuses = list(pool.map(approve, range(MANAGERS)))
    assert sorted(statuses) == [200] + [409] * (MANAGERS - 1)
    current = client.get(f"/api/v1/purchase-orders/{po['id']}", headers=auth("buyer")).json
    assert current["data"]["purchase_order"]["status"] == "Approved"
    with app.app_context():
        approvals = db.session.scalar(
            select(func.count(AuditLog.id)).where(
                AuditLog.action == "purchase_order.approve", AuditLog.resource_id == po["id"]
            )
        )
    assert approvals == 1
