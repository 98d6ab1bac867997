"""The per-request path made cheaper for issue 17 still does what the slower one did:
the signed-in user read with one Core statement behaves as a queried ``User``, a verified
token is trusted only until it expires, revocation is checked on every request, pooled
connections idle for a while are pinged and replaced when dead."""

from __future__ import annotations

import time
from datetime import timedelta

import psycopg2
import pytest
from flask_jwt_extended import create_access_token
from sqlalchemy import text

from reqflow.core import pool
from reqflow.core.verified_tokens import VerifiedTokens
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.identity.principal import load_profile
from tests.conftest import PG_ADMIN_DSN, counted_statements

ME = "/api/v1/auth/me"


def test_profile_is_one_statement_and_an_ordinary_persistent_user(app, users):
    with app.app_context():
        with counted_statements(app) as statements:
            user = load_profile(db.session(), users["engineer"].id)
            assert user is not None
            names = (user.department.name, user.manager.full_name, user.permissions)
        assert len(statements) == 1
        assert names[0] == "Engineering" and names[1] == "Lead" and "requisition:create" in names[2]
        assert user in db.session and not db.session.dirty
        assert load_profile(db.session(), user.id) is user  # the session's own copy
        assert user.manager.email == "lead@example.com"  # the rest of the manager loads on access
        version = user.version
        user.full_name = "Renamed Engineer"
        db.session.commit()  # flushes as a queried user would, under its version counter
        assert user.version == version + 1
        db.session.remove()
        assert db.session.get(User, users["engineer"].id).full_name == "Renamed Engineer"
        assert load_profile(db.session(), 2**31 - 1) is None
        db.session.remove()


def test_a_revoked_token_is_refused_although_its_signature_was_cached(client, users, auth):
    headers = auth("buyer")
    assert client.get(ME, headers=headers).status_code == 200  # verified and cached
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 200
    refused = client.get(ME, headers=headers)
    assert refused.status_code == 401 and refused.json["error"]["code"] == "UNAUTHORIZED"


def test_the_cache_never_outlives_a_token(app, users):
    cache = VerifiedTokens(size=2, ttl=300)
    cache.put("expired", {"exp": time.time() - 1}, {})
    assert cache.get("expired") is None
    for name in ("a", "b", "c"):
        cache.put(name, {"exp": time.time() + 60, "sub": name}, {"alg": "HS256"})
    assert cache.get("a") is None and cache.get("c")[0]["sub"] == "c"  # least recent dropped
    with app.test_request_context():
        expired = create_access_token(identity=str(users["buyer"].id), expires_delta=timedelta(0))
    response = app.test_client().get(ME, headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401


def test_a_tampered_token_is_refused_after_the_genuine_one_was_cached(client, auth):
    headers = auth("buyer")
    assert client.get(ME, headers=headers).status_code == 200
    token = headers["Authorization"].removeprefix("Bearer ")
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(ME, headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_an_idle_pooled_connection_that_died_is_replaced_before_use(app, monkeypatch):
    monkeypatch.setattr(pool, "IDLE_PING_SECONDS", 0.0)
    with app.app_context():
        db.engine.dispose()  # one connection in the pool: the one that dies
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        db.session.remove()  # back to the pool
        admin = psycopg2.connect(PG_ADMIN_DSN)
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
            for _ in range(100):  # until the server has ended it
                cur.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,))
                if cur.fetchone()[0] == 0:
                    break
                time.sleep(0.05)
        admin.close()
        # Without the ping this statement would fail on the dead connection.
        assert db.session.execute(text("SELECT 1")).scalar_one() == 1
        assert db.session.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
        db.session.remove()


def test_list_rows_from_core_match_the_schema_dump(app, client, auth, users):
    from sqlalchemy import select, update

    from reqflow.core.models import utcnow
    from reqflow.core.schemas import shared
    from reqflow.requisitions import list_rows, queries
    from reqflow.requisitions.models import Requisition
    from reqflow.requisitions.schemas import RequisitionRead
    from tests.integration.reqs import create, make_project, payload, submitted

    project = make_project(app)
    made = [
        create(
            client,
            auth("engineer"),
            payload(("1", "3.333"), purpose="Project-Specific", project_id=project),
        ),
        submitted(client, auth, "engineer2"),
        create(client, auth("lead"), {**payload(("2", "5"), ("3", "7.25")), "needed_by": None}),
    ]
    with app.app_context():
        db.session.execute(
            update(Requisition)
            .where(Requisition.id == made[1]["id"])
            .values(approved_by_id=users["buyer"].id, approved_at=utcnow(), status="Approved")
        )
        db.session.commit()
        ids = [r["id"] for r in reversed(made)]
        fast = list_rows.page_dicts(ids)
        db.session.remove()
        rows = db.session.scalars(
            select(Requisition).where(Requisition.id.in_(ids)).options(*queries.ROW_PLAN)
        ).unique()
        by_id = {r.id: r for r in rows}
        slow = [shared(RequisitionRead).dump(by_id[i]) for i in ids]
        db.session.remove()
    assert [list(row) for row in fast] == [list(row) for row in slow]  # same keys, same order
    assert fast == slow
    assert fast[1]["approved_by"]["username"] == "buyer" and fast[2]["project"]["id"] == project
    page = client.get("/api/v1/requisitions?per_page=2", headers=auth("buyer")).json["data"]
    assert page["requisitions"] == fast[:2] and page["pagination"]["total"] == 3


def test_history_rows_from_core_match_the_schema_dump(app, client, auth):
    from reqflow.approvals import history_rows
    from reqflow.approvals import service as approvals
    from reqflow.approvals.schemas import ApprovalStepRead
    from reqflow.core.schemas import shared
    from tests.integration.reqs import act, submitted

    req = submitted(client, auth)
    approved = act(client, auth("lead"), req["id"], "approve", comment="fine by me")
    assert approved.status_code == 200, approved.json
    with app.app_context():
        fast = [
            history_rows.step_dict(r) for r in history_rows.history_rows("requisition", req["id"])
        ]
        slow = shared(ApprovalStepRead).dump(approvals.history("requisition", req["id"]), many=True)
        db.session.remove()
    assert len(fast) >= 2 and [list(s) for s in fast] == [list(s) for s in slow]
    assert fast == slow and fast[0]["decided_by_name"] == "Lead"
    detail = client.get(f"/api/v1/requisitions/{req['id']}", headers=auth("buyer")).json["data"]
    assert detail["requisition"]["approvals"] == fast
    assert detail["requisition"]["allowed_actions"] == ["approve", "reject", "question"]


def _assert_same_details(app) -> list[tuple[str, dict, dict]]:
    from tests.integration import detail_world

    answers = detail_world.both_answers(app, detail_world.build(app))
    for label, fast, slow in answers:
        assert fast == slow, label
        assert fast is None or [list(fast), [list(i) for i in fast["items"]]] == [
            list(slow),
            [list(i) for i in slow["items"]],
        ], label  # same keys, same order
    return [(label, fast, slow) for label, fast, slow in answers if fast is not None]


def test_detail_from_core_rows_matches_the_schema_dump(app):
    seen = {label: fast for label, fast, _ in _assert_same_details(app)}
    # Every state shown, with what each one names, and hidden or absent ones refused alike.
    assert {label.split()[1] for label in seen} == {"draft", "submitted", "approved", "questioned"}
    assert not [label for label in seen if label.startswith("outsider") or "absent" in label]
    assert seen["lead draft"]["allowed_actions"] == []  # a report's Draft: nothing to do yet
    draft, full = seen["engineer draft"], seen["buyer submitted"]
    assert draft["needed_by"] is None and draft["project"] is None and draft["approvals"] == []
    assert draft["items"][0]["suggested_supplier"] is None and draft["total_amount"] == "0.00"
    assert full["project"]["code"] == "PRJ-D" and full["item_count"] == 3
    assert full["items"][0]["quantity"] == "3.333" and full["items"][0]["line_total"] == "41.13"
    assert full["items"][0]["catalog_item"]["sku"] == "BRG-6204"
    assert full["items"][1]["suggested_supplier"]["code"] == "ACME"
    assert full["items"][1]["catalog_item"] is None and full["needed_by"] == "2027-03-31"
    assert seen["lead submitted"]["allowed_actions"] == ["approve", "reject", "question"]
    approved = seen["engineer approved"]
    assert approved["approved_by"]["username"] == "buyer" and len(approved["approvals"]) == 2
    assert seen["engineer questioned"]["allowed_actions"] == ["edit", "submit", "cancel"]


@pytest.fixture(scope="module")
def lite(tmp_path_factory: pytest.TempPathFactory):
    from flask_migrate import upgrade

    from reqflow import create_app
    from tests.conftest import make_config

    home = tmp_path_factory.mktemp("detail-sqlite")
    application = create_app(make_config(home, f"sqlite:///{home / 'reqflow.db'}"))
    with application.app_context():
        upgrade(directory=application.config["MIGRATIONS_DIR"])
    yield application
    with application.app_context():
        db.engine.dispose()


def test_detail_from_core_rows_matches_the_schema_dump_on_sqlite(lite):
    with lite.app_context():
        assert db.engine.dialect.name == "sqlite"
    seen = {label: fast for label, fast, _ in _assert_same_details(lite)}
    assert len({label.split()[1] for label in seen}) == 4
    assert seen["buyer submitted"]["items"][0]["quantity"] == "3.333"
