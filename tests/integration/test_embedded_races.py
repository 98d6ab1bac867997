"""The embedded default (SQLite, ``python -m reqflow.serve`` as ``make run`` starts it) is as
exact under concurrent requests as PostgreSQL: real threads, real HTTP, end state read back
through the API."""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.test_embedded_default import REPO, _env, serve_embedded

API = "/api/v1"
WRITERS = 20


class Api:
    """The served app, signed in as the demo users."""

    def __init__(self, base: str):
        self.base = base
        self.tokens: dict[str, str] = {}

    def login(self, username: str) -> None:
        from reqflow.identity.cli import DEMO_PASSWORD

        body = {"username": username, "password": DEMO_PASSWORD}
        response = requests.post(f"{self.base}{API}/auth/login", json=body, timeout=30)
        assert response.status_code == 200, response.text
        self.tokens[username] = response.json()["data"]["access_token"]

    def call(
        self, method: str, user: str, path: str, headers_extra: dict | None = None, **kwargs: Any
    ) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.tokens[user]}", **(headers_extra or {})}
        return requests.request(
            method, f"{self.base}{API}{path}", headers=headers, timeout=60, **kwargs
        )

    def ok(self, method: str, user: str, path: str, key: str, **kwargs: Any) -> dict:
        response = self.call(method, user, path, **kwargs)
        assert response.status_code in (200, 201), response.text
        return response.json()["data"][key]


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """A fresh instance directory, migrated and seeded, served by ``reqflow.serve``."""
    home = tmp_path_factory.mktemp("embedded")
    env = _env(home / "instance")
    env["PYTHONPATH"] = str(REPO / "backend")  # this checkout's code, not an installed one
    env["MFA_REQUIRED_ROLES"] = ""  # races are signed in with passwords; MFA: test_mfa.py
    server, base = serve_embedded(home, env)
    try:
        api = Api(base)
        for username in ("buyer", "procmgr", "storekeeper", "accountant", "controller", "engineer"):
            api.login(username)
        yield api
    finally:
        server.terminate()
        server.wait(timeout=20)


def at_once(count: int, request: Any) -> list[requests.Response]:
    """``count`` threads send ``request(i)`` together."""
    barrier = threading.Barrier(count)

    def send(index: int) -> requests.Response:
        barrier.wait()
        return request(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(send, range(count)))


def _sent_po(api: Api, code: str, quantity: str, price: str) -> dict:
    supplier = api.ok("POST", "buyer", "/suppliers", "supplier", json={"code": code, "name": code})
    line = {"description": "Gearbox oil 5 L", "quantity": quantity, "unit_price": price}
    body = {"supplier_id": supplier["id"], "tax_rate": "0", "lines": [line]}
    po = api.ok("POST", "buyer", "/purchase-orders", "purchase_order", json=body)
    po = api.ok("POST", "buyer", f"/purchase-orders/{po['id']}/submit", "purchase_order", json={})
    if po["status"] == "Pending Approval":
        api.ok("POST", "procmgr", f"/purchase-orders/{po['id']}/approve", "purchase_order", json={})
    return api.ok("POST", "buyer", f"/purchase-orders/{po['id']}/send", "purchase_order", json={})


def _location(api: Api, code: str) -> int:
    body = {"code": code, "name": f"Bin {code}"}
    return api.ok("POST", "storekeeper", "/storage-locations", "location", json=body)["id"]


def test_twenty_receipts_of_one_on_a_line_of_ten_exactly_ten_are_accepted(embedded):
    api = embedded
    po = _sent_po(api, "RCV", "10", "5.00")
    bin_id = _location(api, "R-01-01")
    body = {
        "po_id": po["id"],
        "lines": [{"po_line_id": po["lines"][0]["id"], "quantity": "1", "location_id": bin_id}],
    }
    responses = at_once(
        WRITERS, lambda _: api.call("POST", "storekeeper", "/inventory/receive", json=body)
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses[201] == 10, statuses
    assert statuses[409] + statuses[422] == 10, statuses
    assert all(r.headers["Content-Type"].startswith("application/json") for r in responses)
    after = api.ok("GET", "buyer", f"/purchase-orders/{po['id']}", "purchase_order")
    assert after["status"] == "Received"
    assert after["lines"][0]["quantity_received"] == "10.000"
    receipts = api.call("GET", "storekeeper", "/inventory/receipts", params={"per_page": 100})
    mine = [r for r in receipts.json()["data"]["receipts"] if r["po_id"] == po["id"]]
    assert len(mine) == 10


def test_twenty_payments_at_once_never_exceed_the_invoice(embedded):
    api = embedded
    po = _sent_po(api, "PAY", "10", "100.00")
    bin_id = _location(api, "P-01-01")
    receipt = {
        "po_id": po["id"],
        "lines": [{"po_line_id": po["lines"][0]["id"], "quantity": "10", "location_id": bin_id}],
    }
    api.ok("POST", "storekeeper", "/inventory/receive", "receipt", json=receipt)
    invoice_body = {
        "po_id": po["id"],
        "invoice_number": "SUP-9001",
        "invoice_date": "2026-03-01",
        "tax_amount": "0",
        "lines": [{"po_line_id": po["lines"][0]["id"], "quantity": "10", "unit_price": "100.00"}],
    }
    invoice = api.ok("POST", "accountant", "/invoices", "invoice", json=invoice_body)
    assert invoice["total_amount"] == "1000.00", invoice
    api.ok("POST", "controller", f"/invoices/{invoice['id']}/approve", "invoice", json={})
    payment = {
        "invoice_id": invoice["id"],
        "amount": "60.00",
        "paid_on": "2026-03-15",
        "method": "Bank Transfer",
    }
    responses = at_once(
        WRITERS, lambda _: api.call("POST", "accountant", "/payments", json=payment)
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses[201] == 16, statuses  # 16 × 60 = 960; 40.00 remains
    assert statuses[409] + statuses[422] == 4, statuses
    assert all(r.headers["Content-Type"].startswith("application/json") for r in responses)
    after = api.ok("GET", "accountant", f"/invoices/{invoice['id']}", "invoice")
    assert (after["amount_paid"], after["status"]) == ("960.00", "Partially Paid")


def test_twenty_edits_with_the_same_version_exactly_one_wins(embedded):
    api = embedded
    item = {"description": "Bearing", "quantity": "1", "uom": "EA", "estimated_unit_price": "2"}
    body = {
        "purpose": "Daily Operations",
        "justification": "Spare parts",
        "needed_by": "2030-12-31",
        "items": [item],
    }
    req = api.ok("POST", "engineer", "/requisitions", "requisition", json=body)

    def edit(index: int) -> requests.Response:
        lines = [{**item, "description": f"Bearing from writer {index}"}]
        changed = {**body, "items": lines, "version": req["version"]}
        return api.call("PUT", "engineer", f"/requisitions/{req['id']}", json=changed)

    responses = at_once(WRITERS, edit)
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: WRITERS - 1}, statuses
    winner = next(r for r in responses if r.status_code == 200).json()["data"]["requisition"]
    refused = next(r for r in responses if r.status_code == 409).json()["error"]
    assert refused["code"] == "STALE_VERSION"
    after = api.ok("GET", "engineer", f"/requisitions/{req['id']}", "requisition")
    assert after["items"][0]["description"] == winner["items"][0]["description"]
    assert after["version"] == winner["version"]


@pytest.mark.parametrize("big", [2**31, 2**63, 2**64])
def test_ids_beyond_the_integer_range_are_404_on_sqlite(embedded, big):
    for path in (f"/requisitions/{big}", f"/purchase-orders/{big}", f"/invoices/{big}"):
        response = embedded.call("GET", "controller", path)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["success"] is False


def test_amounts_beyond_the_column_are_422_on_sqlite(embedded):
    item = {"description": "Big", "quantity": "1000", "estimated_unit_price": "99999999.99"}
    body = {"purpose": "Daily Operations", "justification": "x", "items": [item]}
    response = embedded.call("POST", "engineer", "/requisitions", json=body)
    assert response.status_code == 422, response.text
    assert "line_total" in response.json()["error"]["details"]


def test_the_instance_database_is_in_wal_mode(embedded, tmp_path_factory):
    wal = list(Path(tmp_path_factory.getbasetemp()).glob("embedded*/instance/reqflow.db-wal"))
    assert wal, "SQLite is not in WAL mode"


def test_twenty_approvals_of_one_po_exactly_one_wins(embedded):
    api = embedded
    supplier = api.ok("POST", "buyer", "/suppliers", "supplier", json={"code": "APR", "name": "A"})
    line = {"description": "Press", "quantity": "1", "unit_price": "50000.00"}
    body = {"supplier_id": supplier["id"], "lines": [line]}
    po = api.ok("POST", "buyer", "/purchase-orders", "purchase_order", json=body)
    po = api.ok("POST", "buyer", f"/purchase-orders/{po['id']}/submit", "purchase_order", json={})
    assert po["status"] == "Pending Approval"
    path = f"/purchase-orders/{po['id']}/approve"
    responses = at_once(WRITERS, lambda _: api.call("POST", "procmgr", path, json={}))
    assert Counter(r.status_code for r in responses) == {200: 1, 409: WRITERS - 1}
    after = api.ok("GET", "buyer", f"/purchase-orders/{po['id']}", "purchase_order")
    assert after["status"] == "Approved"


def test_identical_idempotent_creates_make_one_record_and_numbers_stay_unique(embedded):
    api = embedded
    item = {"description": "Glove", "quantity": "2", "uom": "EA", "estimated_unit_price": "3"}
    body = {"purpose": "Daily Operations", "justification": "PPE", "items": [item]}

    def create(index: int) -> requests.Response:
        key = {"Idempotency-Key": "embedded-race-1"} if index % 2 == 0 else {}
        return api.call("POST", "engineer", "/requisitions", json=body, headers_extra=key)

    responses = at_once(WRITERS, create)
    keyed = [r for i, r in enumerate(responses) if i % 2 == 0]
    plain = [r for i, r in enumerate(responses) if i % 2 == 1]
    assert all(r.status_code == 201 for r in plain), [r.text for r in plain]
    assert {r.status_code for r in keyed} <= {201, 409} and 201 in {r.status_code for r in keyed}
    created = {r.json()["data"]["requisition"]["id"] for r in keyed if r.status_code == 201}
    assert len(created) == 1
    numbers = [r.json()["data"]["requisition"]["req_number"] for r in plain]
    listed = api.call("GET", "engineer", "/requisitions", params={"per_page": 100, "q": "PPE"})
    assert listed.json()["data"]["pagination"]["total"] == len(plain) + 1
    assert len(set(numbers)) == len(numbers)


def test_concurrent_issues_never_take_stock_below_zero(embedded):
    api = embedded
    bin_id = _location(api, "S-01-01")
    item = api.ok("POST", "buyer", "/items", "item", json={"sku": "BRG-RACE", "name": "Bearing"})
    stock = {"item_id": item["id"], "location_id": bin_id, "quantity": "5", "reason": "Count"}
    api.ok("POST", "storekeeper", "/inventory/adjustments", "inventory", json=stock)
    issue = {**stock, "quantity": "-1", "reason": "Issued"}
    responses = at_once(
        WRITERS, lambda _: api.call("POST", "storekeeper", "/inventory/adjustments", json=issue)
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 5, 409: WRITERS - 5}, statuses
    # Exactly nothing is left: one more unit in makes the balance exactly one.
    one = {**stock, "quantity": "1"}
    row = api.ok("POST", "storekeeper", "/inventory/adjustments", "inventory", json=one)
    assert row["quantity"] == "1.000"


_codes = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    qty=st.decimals(min_value=Decimal("0.001"), max_value=Decimal("999999999.999"), places=3),
    price=st.decimals(min_value=Decimal("0"), max_value=Decimal("9999999999.99"), places=2),
    rate=st.decimals(min_value=Decimal("0"), max_value=Decimal("1"), places=4),
)
def test_quantity_times_price_times_tax_is_exact_or_422_on_sqlite(embedded, qty, price, rate):
    from reqflow.core.money import money

    code = f"H{next(_codes)}"
    supplier = embedded.ok(
        "POST", "buyer", "/suppliers", "supplier", json={"code": code, "name": code}
    )
    line = {"description": "Oil", "quantity": str(qty), "unit_price": str(price)}
    body = {"supplier_id": supplier["id"], "tax_rate": str(rate), "lines": [line]}
    response = embedded.call("POST", "buyer", "/purchase-orders", json=body)
    line_total = money(qty * price)
    tax = money(line_total * rate)
    if line_total + tax <= Decimal("9999999999.99"):
        assert response.status_code == 201, response.text
        po = response.json()["data"]["purchase_order"]
        assert Decimal(po["lines"][0]["line_total"]) == line_total
        assert (Decimal(po["tax_amount"]), Decimal(po["total_amount"])) == (tax, line_total + tax)
    else:
        assert response.status_code == 422, response.text
