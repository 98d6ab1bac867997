"""The dashboard's counters follow every change in its own transaction: after any sequence of
creates, edits, submits, approvals, rejections, questions, cancellations, deletes and PO
changes they equal the figures computed from the tables, on PostgreSQL and SQLite; under
concurrent transitions no count is lost or counted twice; and the migration's backfill
computes the same figures."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from reqflow import create_app
from reqflow.extensions import db
from reqflow.reporting import counters
from reqflow.reporting.models import DashboardCounter
from tests.conftest import PASSWORD, ROLE_USERS, login, make_config
from tests.integration.pos import POS, create_po, po_act
from tests.integration.reqs import BASE, act, make_supplier

CENT = Decimal("0.01")
BEFORE_COUNTERS = "0016_po_line_previous_price"


def stored(app: Flask) -> dict[tuple[str, str], Decimal]:
    with app.app_context():
        rows = db.session.execute(select(DashboardCounter)).scalars().all()
        found = {(r.key, r.bucket): Decimal(r.value).quantize(CENT) for r in rows if r.value}
        db.session.rollback()
    return found


def computed(app: Flask) -> dict[tuple[str, str], Decimal]:
    with app.app_context():
        fresh = counters.aggregates(db.session.connection())
        db.session.rollback()
    return {k: Decimal(v).quantize(CENT) for k, v in fresh.items()}


def assert_counters_match(app: Flask) -> dict[tuple[str, str], Decimal]:
    kept = stored(app)
    assert kept == computed(app)
    return kept


class Walk:
    """Random moves through the API, each picked among those the documents allow now."""

    def __init__(self, app: Flask, client: Any, auth: Callable[[str], dict], seed: int):
        self.app, self.client, self.auth = app, client, auth
        self.rng = random.Random(seed)
        self.supplier = make_supplier(app, f"S{seed}")
        self.reqs: dict[int, str] = {}  # id → requester
        self.done: set[int] = set()  # Rejected or Cancelled: nothing more to do
        self.moves: list[str] = []

    def lines(self) -> list[dict]:
        return [
            {
                "description": f"Part {self.rng.randint(1, 999)}",
                "quantity": str(self.rng.randint(1, 9)),
                "uom": "EA",
                "estimated_unit_price": f"{self.rng.randint(100, 99_999) / 100:.2f}",
                # a suggested supplier: approval drafts a PO for the line
                "suggested_supplier_id": self.supplier if self.rng.random() < 0.4 else None,
            }
            for _ in range(self.rng.randint(1, 3))
        ]

    def body(self, **extra: Any) -> dict:
        return {
            "purpose": "Daily Operations",
            "justification": "Spares for line 3",
            "needed_by": "2030-06-30",
            "items": self.lines(),
            **extra,
        }

    def create(self) -> None:
        owner = self.rng.choice(["engineer", "engineer2", "lead"])
        response = self.client.post(BASE, json=self.body(), headers=self.auth(owner))
        assert response.status_code == 201, response.json
        self.reqs[response.json["data"]["requisition"]["id"]] = owner

    def move(self) -> str:
        if not self.reqs or self.rng.random() < 0.25:
            self.create()
            return "create"
        open_ids = sorted(set(self.reqs) - self.done)
        req_id = self.rng.choice(open_ids or sorted(self.reqs))
        owner = self.reqs[req_id]
        response = self.client.get(f"{BASE}/{req_id}", headers=self.auth(owner))
        assert response.status_code == 200, response.json
        req = response.json["data"]["requisition"]
        if req["status"] in ("Draft", "Questioned"):
            return self.own(req, owner)
        if req["status"] in ("Submitted", "Under Review"):
            return self.decide(req)
        if req["status"] == "Approved":
            return self.purchase()
        return f"nothing for {req['status']}"

    def own(self, req: dict, owner: str) -> str:
        """The requester edits, submits, cancels or deletes."""
        status, req_id = req["status"], req["id"]
        choices = ["edit", "submit", "submit", "cancel"] + (["delete"] if status == "Draft" else [])
        move = self.rng.choice(choices)
        if move == "edit":
            body = self.body(version=req["version"])
            edited = self.client.put(f"{BASE}/{req_id}", json=body, headers=self.auth(owner))
            assert edited.status_code == 200, edited.json
        elif move == "delete":
            deleted = self.client.delete(f"{BASE}/{req_id}", headers=self.auth(owner))
            assert deleted.status_code == 200, deleted.json
            del self.reqs[req_id]
        else:
            done = act(self.client, self.auth(owner), req_id, move)
            assert done.status_code == 200, done.json
            if move == "cancel":
                self.done.add(req_id)
        return f"{move} {status}"

    def decide(self, req: dict) -> str:
        """Whoever the current step waits for approves, rejects or asks a question."""
        move, body = self.rng.choice(
            [("approve", {})] * 3
            + [("reject", {"reason": "No"}), ("question", {"question": "Why?"})]
        )
        for approver in ("lead", "buyer", "procmgr"):
            done = act(self.client, self.auth(approver), req["id"], move, **body)
            if done.status_code != 403:
                assert done.status_code == 200, done.json
                if done.json["data"]["requisition"]["status"] == "Rejected":
                    self.done.add(req["id"])
                return f"{move} {req['status']}"
        raise AssertionError(f"nobody may {move} requisition {req['id']}")

    def purchase(self) -> str:
        """Cancel a draft PO (its lines back to the queue), order queued lines, or submit."""
        pos = self.client.get(POS, query_string={"per_page": 100}, headers=self.auth("buyer"))
        drafts = [p for p in pos.json["data"]["purchase_orders"] if p["status"] == "Draft"]
        queued = self.client.get(
            "/api/v1/sourcing/queue", query_string={"per_page": 100}, headers=self.auth("buyer")
        ).json["data"]["queue"]
        move = self.rng.choice(["cancel", "order", "submit"])
        if move == "order" and queued:
            picked = self.rng.sample(queued, self.rng.randint(1, min(2, len(queued))))
            lines = [{"requisition_item_id": q["requisition_item_id"]} for q in picked]
            create_po(self.client, self.auth, self.supplier, lines)
            return "order"
        if drafts and move == "cancel":
            po = self.rng.choice(drafts)
            done = po_act(self.client, self.auth("buyer"), po["id"], "cancel", reason="Not now")
            assert done.status_code == 200, done.json
            return "cancel PO"
        if drafts:
            po = self.rng.choice(drafts)
            done = po_act(self.client, self.auth("buyer"), po["id"], "submit")
            assert done.status_code == 200, done.json
            return "submit PO"
        return "no PO move"

    def run(self, moves: int, check: Callable[[], Any]) -> None:
        for _ in range(moves):
            self.moves.append(self.move())
            check()


def test_counters_equal_the_tables_after_random_moves(app, client, auth):
    seen: list[dict[tuple[str, str], Decimal]] = []
    walk = Walk(app, client, auth, seed=17)
    walk.run(70, lambda: seen.append(assert_counters_match(app)))
    kinds = {m.split()[0] for m in walk.moves}
    # the walk went through every kind of change, and the queue and spend moved
    assert {"create", "edit", "submit", "approve", "reject", "question"} <= kinds
    assert {"delete", "order", "cancel"} <= kinds
    queue = [s.get((counters.QUEUE, ""), 0) for s in seen]
    assert max(queue) > 0 and any(a > b for a, b in zip(queue, queue[1:], strict=False))
    assert any(k[0] == counters.SPEND for k in seen[-1])


def test_the_migration_backfill_equals_the_counters_kept(app, client, auth):
    Walk(app, client, auth, seed=5).run(30, lambda: None)
    kept = assert_counters_match(app)
    with app.app_context():
        db.session.remove()
        downgrade(directory=app.config["MIGRATIONS_DIR"], revision=BEFORE_COUNTERS)
        upgrade(directory=app.config["MIGRATIONS_DIR"])
    assert stored(app) == kept


def _users(application: Flask) -> None:
    from reqflow.identity import service

    with application.app_context():
        eng = service.create_department(actor=None, name="Engineering", code="ENG")
        ops = service.create_department(actor=None, name="Operations", code="OPS")
        lead_id = None
        for username, role in ROLE_USERS.items():
            user = service.create_user(
                actor=None,
                data={
                    "username": username,
                    "email": f"{username}@example.com",
                    "full_name": username.title(),
                    "password": PASSWORD,
                    "role": role,
                    "department_id": eng.id if role == "Engineer" else ops.id,
                    "manager_id": lead_id if username in ("engineer", "engineer2") else None,
                },
            )
            if username == "lead":
                lead_id = user.id


@pytest.fixture
def lite(tmp_path) -> Iterator[Flask]:
    # Jobs (emails) in a thread, as the embedded server runs them: inline, a job's own
    # transaction would wait for the request's write lock.
    database = f"sqlite:///{tmp_path / 'reqflow.db'}"
    application = create_app(make_config(tmp_path, database, JOBS_BACKEND="thread"))
    with application.app_context():
        upgrade(directory=application.config["MIGRATIONS_DIR"])
    _users(application)
    yield application
    with application.app_context():
        db.engine.dispose()


def test_counters_on_sqlite_and_its_backfill(lite):
    client = lite.test_client()
    heads: dict[str, dict[str, str]] = {}

    def auth(name: str) -> dict[str, str]:
        if name not in heads:
            heads[name] = login(client, name)
        return heads[name]

    with lite.app_context():
        assert db.engine.dialect.name == "sqlite"
    walk = Walk(lite, client, auth, seed=23)
    walk.run(40, lambda: assert_counters_match(lite))
    assert {"approve", "submit"} <= {m.split()[0] for m in walk.moves}
    kept = stored(lite)
    with lite.app_context():
        db.session.remove()
        downgrade(directory=lite.config["MIGRATIONS_DIR"], revision=BEFORE_COUNTERS)
        upgrade(directory=lite.config["MIGRATIONS_DIR"])
    assert stored(lite) == kept


@pytest.fixture
def busy(app, users, pg_database, tmp_path) -> Iterator[Flask]:
    """The test database with a pool for every thread: a request delivering its events
    in process (sync dispatch) holds two connections."""
    application = create_app(make_config(tmp_path, pg_database, DB_POOL_SIZE=40))
    yield application
    with application.app_context():
        db.engine.dispose()


def _parallel(count: int, work: Callable[[int], int]) -> list[int]:
    barrier = threading.Barrier(count)

    def run(index: int) -> int:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_concurrent_transitions_lose_no_count_and_count_none_twice(app, busy, client, auth):
    """Approvals, submissions and creations of different requisitions at once: every one goes
    through (no deadlock on the counter rows) and the counters equal the tables."""
    body = {
        "purpose": "Daily Operations",
        "justification": "Spares",
        "items": [
            {"description": "Valve", "quantity": "2", "uom": "EA", "estimated_unit_price": "5.00"}
        ],
    }
    made = [
        client.post(BASE, json=body, headers=auth("engineer")).json["data"]["requisition"]
        for _ in range(12)
    ]
    for req in made[:6]:
        assert act(client, auth("engineer"), req["id"], "submit").status_code == 200
    heads = {name: login(client, name) for name in ("engineer", "engineer2", "lead")}

    def work(index: int) -> int:
        local = busy.test_client()
        if index < 6:  # the line manager approves a submitted one
            return act(local, heads["lead"], made[index]["id"], "approve").status_code
        if index < 12:  # the requester submits a draft
            return act(local, heads["engineer"], made[index]["id"], "submit").status_code
        created = local.post(BASE, json=body, headers=heads["engineer2"])
        return created.status_code if created.status_code != 201 else 200

    assert _parallel(18, work) == [200] * 18
    assert_counters_match(app)
    kept = stored(app)
    assert kept[("requisitions", "Under Review")] == 6
    assert kept[("requisitions", "Submitted")] == 6
    assert kept[("requisitions", "Draft")] == 6


def test_parallel_identical_approvals_count_one_decision(app, busy, client, auth):
    body = {
        "purpose": "Daily Operations",
        "justification": "Spares",
        "items": [
            {"description": "Hose", "quantity": "1", "uom": "EA", "estimated_unit_price": "7.00"}
        ],
    }
    req = client.post(BASE, json=body, headers=auth("engineer")).json["data"]["requisition"]
    assert act(client, auth("engineer"), req["id"], "submit").status_code == 200
    lead = login(client, "lead")

    def work(_index: int) -> int:
        return act(busy.test_client(), lead, req["id"], "approve").status_code

    statuses = _parallel(12, work)
    # the others find the step decided (409) or the next step not theirs (403)
    assert statuses.count(200) == 1 and set(statuses) <= {200, 403, 409}
    kept = assert_counters_match(app)
    assert kept[(counters.STEPS, "Approved")] == 1
    assert kept[(counters.STEPS, "Pending")] == 1  # the next step, Procurement review
