"""Statements per request: every list and detail endpoint answers in a fixed number of SQL
statements, whatever the number of rows it shows, so an N+1 cannot come back unnoticed.

The budgets (docs/BENCHMARKS.md, "Statements per request"): /auth/me 0 once the process holds
the signed-in user (1 on the first request and after a change of the user: the token check
loads the user with the department), a detail at most 6, a list at most 5 (user, count, page, and
at most two grouped look-ups for the page's rows; a requisitions list or detail read without
view:all also reads the user's reach: reports, delegators and the documents they approve).
The data set has several rows of every kind, made by different people, so a lazy load per
row would exceed the budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from tests.conftest import counted_statements
from tests.integration.goods import (
    free_po,
    invoice_act,
    location,
    make_item,
    pay,
    receipt_act,
    received,
    record_invoice,
    requisitioned_po,
)
from tests.integration.pos import add_user
from tests.integration.reqs import BASE, act, create, make_project, payload, submitted

ME = 0  # the process holds the unchanged user: no SQL, no connection
ME_FIRST = 1  # the first request, or the first after a change of the user
DETAIL = 6
LIST = 5
# The optimistic-lock edit of a Draft (PUT): the user; the row locked with what it names and
# its lines; one UPDATE of the row, one INSERT of the new lines, one DELETE of the old; the
# audit and outbox rows (the live push's audience, a Draft's requester and their manager, is
# known from the signed-in user). No re-read after the commit: the answer is built from the
# objects in hand (a Draft has no approval history to read).
PUT = 8
# Creating a Draft with an Idempotency-Key: the user; the key claimed (one INSERT that does
# nothing on a taken key); the number (its counter's own short transaction, one round trip);
# the row, its lines, the audit and outbox rows; the key's answer stored. No re-read after the
# commit, and the live push's audience is known from the signed-in user.
CREATE = 8
# Submitting a Draft: the user; the row locked with its lines; its UPDATE; whether the line
# manager is active; the policies; the steps (one INSERT); the audit and outbox rows (one
# INSERT each for the two events); the history for the answer; the live push's audience. A
# Draft has no steps to cancel and starts round 1.
SUBMIT = 11
# The inbox: the user, their reach (reports and delegators, one statement), then per source
# of decisions one statement for the page with its total and one for the page's line
# previews (two sources here).
INBOX = 6
KEY = {"Idempotency-Key": "budget-create-1"}


@pytest.fixture
def world(app, client, auth) -> dict[str, Any]:
    """Three POs through receipt, invoice and payment; requisitions of three people in
    several states; items, a project, a location."""
    add_user(app, "accountant2", "Accountant")
    bin_id = location(client, auth, "A-01-01")
    location(client, auth, "A-01-02")
    widget = make_item(client, auth, "WID-1", "Widget")["id"]
    make_item(client, auth, "GEAR-1", "Gear")
    make_project(app, "PRJ-1")
    make_project(app, "PRJ-2")
    pos = [
        requisitioned_po(app, client, auth, ("Valve", "4", "10.00"), ("Hose", "2", "5.00")),
        requisitioned_po(app, client, auth, ("Sensor", "3", "20.00", widget), code="BETA"),
        free_po(app, client, auth, ("Gearbox oil", "5", "8.00"), ("Seal kit", "2", "3.00")),
    ]
    invoices = []
    for number, po in enumerate(pos, start=1):
        receipt = received(
            client, auth, po, *[(i, ln["quantity"], bin_id) for i, ln in enumerate(po["lines"])]
        )
        if po["lines"][0].get("requisition_item_id"):
            receipt_act(client, auth("lead"), receipt["id"], "accept")
        lines = [(i, ln["quantity"], ln["unit_price"]) for i, ln in enumerate(po["lines"])]
        response = record_invoice(client, auth, po, *lines, invoice_number=f"SUP-{number}")
        assert response.status_code == 201, response.json
        invoice = response.json["data"]["invoice"]
        approved = invoice_act(client, auth("accountant2"), invoice["id"], "approve")
        assert approved.status_code == 200, approved.json
        invoices.append(invoice)
    for invoice in invoices[:2]:
        paid = pay(
            client, auth("accountant"), invoice["id"], "10.00", reference=invoice["inv_number"]
        )
        assert paid.status_code == 201, paid.json
    for username in ("engineer", "engineer2", "engineer"):
        submitted(client, auth, username)
    draft = create(client, auth("engineer2"), payload(("3", "12.00")))
    req = submitted(client, auth, "engineer")
    act(client, auth("lead"), req["id"], "approve", comment="Fine")
    for code in ("GAMMA", "DELTA"):  # goods partly sent back to the supplier (returns)
        po = requisitioned_po(app, client, auth, ("Pump", "3", "50.00"), code=code)
        receipt = received(client, auth, po, (0, "3", bin_id))
        line = {"line_id": receipt["lines"][0]["id"], "rejected_quantity": "1", "reason": "Bent"}
        decided = receipt_act(client, auth("lead"), receipt["id"], "decide", lines=[line])
        assert decided.status_code == 200, decided.json
    return {
        "po": pos[0]["id"],
        "invoice": invoices[0]["id"],
        "req": req["id"],
        "draft": draft["id"],
        "item": widget,
        "location": bin_id,
    }


def statements_for(app, client, headers, url: str) -> list[str]:
    client.get(url, headers=headers)  # warm: compiled statement caches, lazy first imports
    with counted_statements(app) as statements:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.json)
    return statements


def shown(statements: list[str]) -> str:
    """The statements, shortened, for the failure message: the extra one is the lazy load."""
    return "\n".join(f"{s[:70]} ... {s[-120:]}".replace("\n", " ") for s in statements)


LISTS = [
    ("engineer", "/api/v1/requisitions"),
    ("buyer", "/api/v1/requisitions"),
    ("lead", "/api/v1/requisitions?status=Under Review,Approved"),
    ("buyer", "/api/v1/purchase-orders"),
    ("buyer", "/api/v1/sourcing/queue"),
    ("buyer", "/api/v1/rfqs"),
    ("storekeeper", "/api/v1/inventory"),
    ("storekeeper", "/api/v1/inventory/receipts"),
    ("storekeeper", "/api/v1/storage-locations"),
    ("accountant", "/api/v1/invoices"),
    ("accountant", "/api/v1/payments"),
    ("buyer", "/api/v1/items"),
    ("buyer", "/api/v1/suppliers"),
    ("buyer", "/api/v1/projects"),
    ("admin", "/api/v1/users"),
    ("admin", "/api/v1/departments"),
    ("admin", "/api/v1/audit-logs"),
    ("lead", "/api/v1/approvals/pending"),
    ("engineer", "/api/v1/notifications"),
    ("buyer", "/api/v1/supplier-returns"),
]

DETAILS = [
    ("engineer", "/api/v1/requisitions/{req}"),
    ("lead", "/api/v1/requisitions/{req}"),
    ("buyer", "/api/v1/purchase-orders/{po}"),
    ("accountant", "/api/v1/invoices/{invoice}"),
    ("buyer", "/api/v1/items/{item}"),
    ("storekeeper", "/api/v1/storage-locations/{location}"),
]


@contextmanager
def checkouts(app) -> Iterator[list[int]]:
    """The database connections the app checks out of its pool while the block runs."""
    from reqflow.extensions import db

    with app.app_context():
        engine = db.engine
    taken: list[int] = []

    def listener(*_args: Any) -> None:
        taken.append(1)

    event.listen(engine, "checkout", listener)
    try:
        yield taken
    finally:
        event.remove(engine, "checkout", listener)


def test_auth_me_sends_no_sql_while_the_user_is_unchanged(app, client, auth, world) -> None:
    from sqlalchemy import update

    from reqflow.extensions import db
    from reqflow.identity.models import User

    headers = auth("engineer")
    statements = statements_for(app, client, headers, "/api/v1/auth/me")
    assert len(statements) == ME, shown(statements)
    with checkouts(app) as taken:
        assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    assert taken == []  # no connection, hence no ROLLBACK at the end of the request
    with app.app_context():
        db.session.execute(update(User).where(User.username == "engineer").values(full_name="E"))
        db.session.commit()
    with counted_statements(app) as statements, checkouts(app) as taken:
        response = client.get("/api/v1/auth/me", headers=headers)
    assert response.json["data"]["user"]["full_name"] == "E"
    assert len(statements) == ME_FIRST, shown(statements)
    assert taken == [1]


def over_budget(app, client, auth, world, endpoints, budget: int) -> dict[str, str]:
    """Every endpoint of ``endpoints`` that sent more than ``budget`` statements."""
    over = {}
    for username, url in endpoints:
        statements = statements_for(app, client, auth(username), url.format(**world))
        if len(statements) > budget:
            over[f"{username} {url}: {len(statements)}"] = shown(statements)
    return over


def test_every_list_stays_within_its_statement_budget(app, client, auth, world) -> None:
    assert over_budget(app, client, auth, world, LISTS, LIST) == {}


def test_every_detail_stays_within_its_statement_budget(app, client, auth, world) -> None:
    assert over_budget(app, client, auth, world, DETAILS, DETAIL) == {}


INBOXES = [
    ("lead", "/api/v1/inbox"),
    ("procmgr", "/api/v1/inbox"),
    ("accountant", "/api/v1/inbox"),
]


def test_the_inbox_stays_within_its_statement_budget(app, client, auth, world) -> None:
    assert over_budget(app, client, auth, world, INBOXES, INBOX) == {}


def test_a_requisition_edit_stays_within_its_statement_budget(app, client, auth) -> None:
    headers = auth("engineer")
    req = create(client, headers, payload(("2", "10.00"), ("1", "5.00"), ("1", "1.00")))
    body = payload(("3", "12.00"), ("4", "1.50"), version=req["version"])
    dispatcher = app.extensions["reqflow_dispatcher"]
    held: list[str] = []
    # Handlers run after the answer in production (Celery): count the request's own work.
    original, dispatcher.submit = dispatcher.submit, held.extend
    try:
        with counted_statements(app) as statements:
            response = client.put(f"{BASE}/{req['id']}", json=body, headers=headers)
    finally:
        dispatcher.submit = original
    assert response.status_code == 200, response.json
    assert len(statements) <= PUT, shown(statements)
    # RequisitionUpdated has no handler besides its live push, which ran in the request:
    # nothing is queued for after the answer.
    assert held == []
    # The answer built from the objects in hand is what a fresh read of the row says.
    answered = response.json["data"]["requisition"]
    read = client.get(f"{BASE}/{req['id']}", headers=headers).json["data"]["requisition"]
    assert answered == read
    assert answered["version"] == req["version"] + 1
    assert [line["line_total"] for line in answered["items"]] == ["36.00", "6.00"]


def _held_dispatch(app) -> tuple[list[str], Any]:
    """Handlers run after the answer in production (Celery): hold them, to count the
    request's own work."""
    dispatcher = app.extensions["reqflow_dispatcher"]
    held: list[str] = []
    original, dispatcher.submit = dispatcher.submit, held.extend
    return held, lambda: setattr(dispatcher, "submit", original)


def test_creating_a_requisition_stays_within_its_statement_budget(app, client, auth) -> None:
    headers = auth("engineer")
    create(client, headers)  # warm-up
    held, restore = _held_dispatch(app)
    try:
        with counted_statements(app) as statements:
            response = client.post(
                BASE, json=payload(("2", "10.00"), ("1", "5.00")), headers=headers | KEY
            )
    finally:
        restore()
    assert response.status_code == 201, response.json
    assert len(statements) <= CREATE, shown(statements)
    assert held == []  # RequisitionCreated: only its live push, which ran in the request
    # The answer built from the objects in hand is what a fresh read of the row says.
    answered = response.json["data"]["requisition"]
    read = client.get(f"{BASE}/{answered['id']}", headers=headers).json["data"]["requisition"]
    assert answered == read
    # The key replays the same answer and creates nothing new.
    again = client.post(BASE, json=payload(("2", "10.00"), ("1", "5.00")), headers=headers | KEY)
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json["data"]["requisition"]["id"] == answered["id"]


def test_submitting_a_requisition_stays_within_its_statement_budget(app, client, auth) -> None:
    headers = auth("engineer")
    act(client, headers, create(client, headers)["id"], "submit")  # warm-up
    req = create(client, headers, payload(("2", "10.00"), ("1", "5.00")))
    held, restore = _held_dispatch(app)
    try:
        with counted_statements(app) as statements:
            response = act(client, headers, req["id"], "submit", version=req["version"])
    finally:
        restore()
    assert response.status_code == 200, response.json
    assert len(statements) <= SUBMIT, shown(statements)
    assert len(held) == 1  # ApprovalStepAssigned: its approver is told after the answer
    answered = response.json["data"]["requisition"]
    read = client.get(f"{BASE}/{req['id']}", headers=headers).json["data"]["requisition"]
    assert answered == read
    assert answered["status"] == "Submitted" and answered["version"] == req["version"] + 1
    assert [step["status"] for step in answered["approvals"]] == ["Pending", "Waiting"]
