"""/metrics: request and business figures, valid for promtool, cheap to scrape."""

from __future__ import annotations

import re
import shutil
import subprocess

from reqflow.reporting import metrics as business
from tests.integration.reqs import submitted


def _sample(text: str, name: str, labels: str = "") -> float:
    match = re.search(rf"^{re.escape(name + labels)} ([0-9.e+-]+)$", text, re.M)
    assert match, f"{name}{labels} missing"
    return float(match.group(1))


def test_business_gauges_follow_the_data(client, auth, monkeypatch):
    monkeypatch.setattr(business, "CACHE_SECONDS", 0.0)
    submitted(client, auth)
    submitted(client, auth)
    text = client.get("/metrics").data.decode()
    assert _sample(text, "erp_requisitions_by_status", '{status="Submitted"}') == 2
    assert _sample(text, "erp_requisitions_by_status", '{status="Draft"}') == 0
    assert _sample(text, "erp_pending_approvals") == 2
    assert _sample(text, "erp_overdue_approvals") == 0
    for name in ("erp_socketio_connections", "erp_db_pool_size"):
        _sample(text, name)
    for queue in ("events", "email", "bulk"):
        _sample(text, "erp_celery_queue_length", f'{{queue="{queue}"}}')


def test_metrics_are_cached_between_scrapes(client, auth, monkeypatch):
    def submitted_count() -> float:
        text = client.get("/metrics").data.decode()
        return _sample(text, "erp_requisitions_by_status", '{status="Submitted"}')

    monkeypatch.setattr(business, "CACHE_SECONDS", 0.0)
    before = submitted_count()
    monkeypatch.setattr(business, "CACHE_SECONDS", 3600.0)
    submitted_count()  # refreshed now, then cached
    submitted(client, auth)
    assert submitted_count() == before  # within the period: no new scan
    monkeypatch.setattr(business, "CACHE_SECONDS", 0.0)
    assert submitted_count() == before + 1


def test_promtool_accepts_the_exposition(client, auth):
    submitted(client, auth)
    client.get("/api/v1/requisitions", headers=auth("buyer"))
    text = client.get("/metrics").data
    promtool = shutil.which("promtool")
    assert promtool, "promtool is required (Debian package prometheus)"
    checked = subprocess.run(
        [promtool, "check", "metrics"], input=text, capture_output=True, timeout=30
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_dashboard_kpis_depend_on_the_role(client, auth):
    from tests.integration.reqs import act

    first = submitted(client, auth)
    submitted(client, auth)
    act(client, auth("lead"), first["id"], "approve")
    act(client, auth("buyer"), first["id"], "approve")
    mine = client.get("/api/v1/dashboard", headers=auth("engineer")).json["data"]["dashboard"]
    assert mine["my_requisitions_by_status"]["Approved"] == 1
    assert mine["my_requisitions_by_status"]["Submitted"] == 1
    assert "requisitions_by_status" not in mine
    lead = client.get("/api/v1/dashboard", headers=auth("lead")).json["data"]["dashboard"]
    assert lead["approvals_waiting"] == 1 and lead["approvals_overdue"] == 0
    buyer = client.get("/api/v1/dashboard", headers=auth("buyer")).json["data"]["dashboard"]
    assert buyer["requisitions_by_status"]["Approved"] == 1
    spend = buyer["approved_spend_by_month"]
    assert len(spend) == 1 and spend[0]["amount"] == first["total_amount"]
    admin = client.get("/api/v1/dashboard", headers=auth("admin")).json["data"]["dashboard"]
    assert "my_requisitions_by_status" not in admin and admin["approvals_waiting"] == 0


def _dashboard(client, auth, username: str) -> dict:
    response = client.get("/api/v1/dashboard", headers=auth(username))
    assert response.status_code == 200, response.json
    return response.json["data"]["dashboard"]


def test_purchasing_and_stores_kpis(app, client, auth):
    from tests.integration.goods import make_item
    from tests.integration.pos import approved_requisition, line, po_in, suppliers

    (acme,) = suppliers(app, "ACME")
    # One line names a supplier (a Draft PO is drafted), two wait in the sourcing queue.
    approved_requisition(
        client,
        auth,
        line("Gear pump", "1", "310.00", acme),
        line("Coupling", "2", "45.00"),
        line("Gauge", "1", "20.00"),
    )
    po_in(app, client, auth, acme, "Pending Approval")
    po_in(app, client, auth, acme, "Approved")
    po_in(app, client, auth, acme, "Sent")
    make_item(client, auth, "BRG-1", "Bearing", reorder_level="5")  # none in stock: low
    make_item(client, auth, "BRG-2", "Bearing large")  # no reorder level: never low

    buyer = _dashboard(client, auth, "buyer")
    assert (buyer["sourcing_queue"], buyer["pos_draft"], buyer["pos_to_send"]) == (2, 1, 1)
    assert "pos_pending_approval" not in buyer  # only those who approve POs see it
    assert _dashboard(client, auth, "procmgr")["pos_pending_approval"] == 1
    stores = _dashboard(client, auth, "storekeeper")
    assert (stores["low_stock_items"], stores["pos_awaiting_receipt"]) == (1, 1)
    for username in ("engineer", "accountant", "admin"):
        seen = _dashboard(client, auth, username)
        assert not {"sourcing_queue", "pos_draft", "low_stock_items"} & set(seen), username
