"""Issue 11 on PostgreSQL: no lost update through lines, no amount beyond its column, no id
beyond its column type answering 500."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.goods import (
    INVOICES,
    PAYMENTS,
    free_po,
    invoice_act,
    location,
    pay,
    record_invoice,
)
from tests.integration.goods import received as receive_goods
from tests.integration.pos import POS, add_user, create_po, free, suppliers
from tests.integration.reqs import BASE, create, payload

BIG = "99999999.99"  # fits NUMERIC(12,2) alone; 1000 of them do not


def _lines_only(body: dict, description: str) -> dict:
    """The same body with one line renamed: header and totals unchanged."""
    changed = {**body, "items": [dict(item) for item in body["items"]]}
    changed["items"][0]["description"] = description
    return changed


def test_two_writers_changing_only_requisition_lines_the_second_gets_409(client, auth):
    body = payload(("2", "10.50"), ("1", "3.00"))
    req = create(client, auth("engineer"), body)
    url, headers = f"{BASE}/{req['id']}", auth("engineer")
    first = client.put(
        url, json=_lines_only(body, "Winner") | {"version": req["version"]}, headers=headers
    )
    assert first.status_code == 200, first.json
    winner = first.json["data"]["requisition"]
    assert winner["version"] == req["version"] + 1
    assert winner["total_amount"] == req["total_amount"]
    second = client.put(
        url, json=_lines_only(body, "Loser") | {"version": req["version"]}, headers=headers
    )
    assert second.status_code == 409
    assert second.json["error"]["code"] == "STALE_VERSION"
    assert second.json["error"]["details"]["current_version"] == winner["version"]
    final = client.get(url, headers=headers).json["data"]["requisition"]
    assert [i["description"] for i in final["items"]][0] == "Winner"
    assert final["version"] == winner["version"]


def test_two_writers_changing_only_po_lines_the_second_gets_409(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    po = create_po(client, auth, acme, [free("Oil", "2", "5.00")], tax_rate="0")
    url, headers = f"{POS}/{po['id']}", auth("buyer")
    line_id = po["lines"][0]["id"]

    def rename(to: str):
        body = {"version": po["version"], "lines": [{"id": line_id, "description": to}]}
        return client.put(url, json=body, headers=headers)

    first = rename("Winner")
    assert first.status_code == 200, first.json
    assert first.json["data"]["purchase_order"]["version"] == po["version"] + 1
    second = rename("Loser")
    assert second.status_code == 409 and second.json["error"]["code"] == "STALE_VERSION"
    assert second.json["error"]["details"]["current_version"] == po["version"] + 1
    final = client.get(url, headers=headers).json["data"]["purchase_order"]
    assert final["lines"][0]["description"] == "Winner"


def test_a_child_row_changed_outside_any_endpoint_still_bumps_the_version(app, client, auth):
    from reqflow.extensions import db
    from reqflow.requisitions.models import RequisitionItem

    req = create(client, auth("engineer"))
    with app.app_context():
        item = db.session.get(RequisitionItem, req["items"][0]["id"])
        item.uom = "BOX"
        db.session.commit()
    current = client.get(f"{BASE}/{req['id']}", headers=auth("engineer")).json
    assert current["data"]["requisition"]["version"] == req["version"] + 1


def test_a_line_total_beyond_numeric_12_2_is_422_naming_the_field(client, auth):
    response = client.post(BASE, json=payload(("1000", BIG)), headers=auth("engineer"))
    assert response.status_code == 422, response.json
    assert "line_total" in response.json["error"]["details"]
    # Each value alone fits; a quantity beyond NUMERIC(12,3) does not.
    huge_qty = client.post(BASE, json=payload(("1000000000", "1")), headers=auth("engineer"))
    assert huge_qty.status_code == 422
    assert "quantity" in huge_qty.json["error"]["details"]["items"]["0"]


def test_a_requisition_total_beyond_the_column_is_422(client, auth):
    lines = [("1", "9999999999.99")] * 2
    response = client.post(BASE, json=payload(*lines), headers=auth("engineer"))
    assert response.status_code == 422, response.json
    assert "total_amount" in response.json["error"]["details"]


def test_free_po_lines_and_tax_beyond_the_column_are_422(app, client, auth):
    (acme,) = suppliers(app, "ACME")
    body = {"supplier_id": acme, "lines": [free("Oil", "1000", BIG)]}
    response = client.post(POS, json=body, headers=auth("buyer"))
    assert response.status_code == 422, response.json
    assert "line_total" in response.json["error"]["details"]
    # The subtotal fits; subtotal + 5 % tax does not.
    body = {"supplier_id": acme, "lines": [free("Oil", "1", "9999999999.00")], "tax_rate": "0.05"}
    response = client.post(POS, json=body, headers=auth("buyer"))
    assert response.status_code == 422, response.json
    assert "total_amount" in response.json["error"]["details"]


def test_invoice_and_payment_amounts_beyond_the_column_are_422(app, client, auth):
    add_user(app, "accountant2", "Accountant")
    po = free_po(app, client, auth, ("Oil", "10", "100.00"))
    bin_id = location(client, auth)
    receive_goods(client, auth, po, (0, "10", bin_id))
    too_much = record_invoice(client, auth, po, (0, "10", "9999999999.99"))
    assert too_much.status_code == 422, too_much.json
    assert "line_total" in too_much.json["error"]["details"]
    invoice = record_invoice(client, auth, po, (0, "10", "100.00"))
    assert invoice.status_code == 201, invoice.json
    invoice_id = invoice.json["data"]["invoice"]["id"]
    assert invoice_act(client, auth("accountant2"), invoice_id, "approve").status_code == 200
    huge = pay(client, auth("accountant"), invoice_id, "99999999999.99")
    assert huge.status_code == 422 and "amount" in huge.json["error"]["details"]
    assert (
        client.get(f"{PAYMENTS}?invoice_id={invoice_id}", headers=auth("accountant")).json["data"][
            "payments"
        ]
        == []
    )
    detail = client.get(f"{INVOICES}/{invoice_id}", headers=auth("accountant")).json
    assert detail["data"]["invoice"]["amount_paid"] == "0.00"


@pytest.mark.parametrize("big", [2**31, 2**63, 2**64 + 5])
def test_ids_beyond_the_column_type_in_urls_are_404(client, auth, big):
    for url in (f"{BASE}/{big}", f"{POS}/{big}", f"{INVOICES}/{big}"):
        response = client.get(url, headers=auth("procmgr"))
        assert response.status_code == 404, (url, response.status_code)
        assert response.json["success"] is False


@pytest.mark.parametrize("big", [2**31, 2**63 + 1])
def test_ids_beyond_the_column_type_in_bodies_are_not_500(app, client, auth, big):
    body = payload()
    body["items"][0]["suggested_supplier_id"] = big
    response = client.post(BASE, json=body, headers=auth("engineer"))
    assert response.status_code == 422, response.json
    assert (
        client.post(
            POS, json={"supplier_id": big, "lines": [free()]}, headers=auth("buyer")
        ).status_code
        == 422
    )


quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("999999999.999"), places=3)
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("9999999999.99"), places=2)
_codes = itertools.count()
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("1"), places=4)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(qty=quantities, price=prices, rate=rates)
def test_quantity_times_price_times_tax_is_exact_or_422_never_500(
    app, client, auth, qty, price, rate
):
    from reqflow.core.money import money

    supplier = suppliers(app, f"S{next(_codes)}")[0]
    body = {
        "supplier_id": supplier,
        "tax_rate": str(rate),
        "lines": [free("Oil", str(qty), str(price))],
    }
    response = client.post(POS, json=body, headers=auth("buyer"))
    line_total = money(qty * price)
    tax = money(line_total * rate)
    limit = Decimal("9999999999.99")
    if line_total <= limit and line_total + tax <= limit:
        assert response.status_code == 201, response.json
        po = response.json["data"]["purchase_order"]
        assert Decimal(po["lines"][0]["line_total"]) == line_total
        assert (Decimal(po["tax_amount"]), Decimal(po["total_amount"])) == (tax, line_total + tax)
    else:
        assert response.status_code == 422, response.json


def test_concurrent_unlocked_updates_one_wins_the_rest_409_with_the_current_version(
    app, client, auth
):
    """Projects are updated without a row lock: the losers' UPDATE … WHERE version = seen
    matches nothing (StaleDataError), which answers 409 in the envelope, never 500."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    body = {"code": "PRJ-RACE", "name": "Race", "budget_amount": "100.00"}
    made = client.post("/api/v1/projects", json=body, headers=auth("procmgr")).json
    project = made["data"]["project"]
    path, writers = f"/api/v1/projects/{project['id']}", 8
    barrier = threading.Barrier(writers)

    def update(index: int):
        local = app.test_client()
        barrier.wait()
        change = {"name": f"Writer {index}", "version": project["version"]}
        return local.put(path, json=change, headers=auth("procmgr"))

    auth("procmgr")
    with ThreadPoolExecutor(max_workers=writers) as pool:
        responses = list(pool.map(update, range(writers)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * (writers - 1), statuses
    winner = next(r for r in responses if r.status_code == 200).json["data"]["project"]
    for refused in (r for r in responses if r.status_code == 409):
        assert refused.json["error"]["code"] == "STALE_VERSION"
        assert refused.json["error"]["details"]["current_version"] == winner["version"]
    final = client.get(path, headers=auth("procmgr")).json["data"]["project"]
    assert (final["name"], final["version"]) == (winner["name"], winner["version"])


def test_an_approval_decision_moves_the_requisition_version(client, auth):
    from tests.integration.reqs import act, submitted

    req = submitted(client, auth)  # engineer → lead (line manager) → further steps by policy
    approved = act(client, auth("lead"), req["id"], "approve")
    assert approved.status_code == 200, approved.json
    after = approved.json["data"]["requisition"]
    assert req["status"] == "Submitted" and after["status"] == "Under Review"
    assert after["version"] > req["version"]
    stale = act(client, auth("buyer"), req["id"], "approve", version=req["version"])
    assert stale.status_code == 409 and stale.json["error"]["code"] == "STALE_VERSION"
    assert stale.json["error"]["details"]["current_version"] == after["version"]


@pytest.mark.parametrize("first", ["header", "lines"])
def test_header_and_lines_writers_with_one_version_exactly_one_wins(app, client, auth, first):
    (acme,) = suppliers(app, "ACME")
    req = create(client, auth("engineer"))
    po = create_po(client, auth, acme, [free("Oil", "2", "5.00")], tax_rate="0")
    header = {
        "requisition": {**payload(), "justification": "Header writer", "version": req["version"]},
        "purchase_order": {"version": po["version"], "delivery_address": "Header writer"},
    }
    lines = {
        "requisition": {**_lines_only(payload(), "Lines writer"), "version": req["version"]},
        "purchase_order": {
            "version": po["version"],
            "lines": [{"id": po["lines"][0]["id"], "description": "Lines writer"}],
        },
    }
    order = [header, lines] if first == "header" else [lines, header]
    for key, url, username in (
        ("requisition", f"{BASE}/{req['id']}", "engineer"),
        ("purchase_order", f"{POS}/{po['id']}", "buyer"),
    ):
        won = client.put(url, json=order[0][key], headers=auth(username))
        lost = client.put(url, json=order[1][key], headers=auth(username))
        assert (won.status_code, lost.status_code) == (200, 409), (key, lost.json)
        final = client.get(url, headers=auth(username)).json["data"][key]
        assert final["version"] == won.json["data"][key]["version"]
        assert _writer(final) == ("Header writer" if first == "header" else "Lines writer")


def _writer(document: dict) -> str:
    """Whose change a requisition or PO shows: the header writer's or the lines writer's."""
    lines = document.get("items") or document.get("lines")
    if lines[0]["description"] == "Lines writer":
        return "Lines writer"
    return document.get("justification") or document.get("delivery_address")
