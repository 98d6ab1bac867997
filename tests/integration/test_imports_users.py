"""A users import invites each new user by e-mail (real SMTP, aiosmtpd); the link sets a
password once and then works no more."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from reqflow import create_app
from reqflow.audit.models import AuditLog
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.imports.models import ImportRowKey
from tests.conftest import login, make_config
from tests.integration.imports_util import commit, csv_bytes, uploaded
from tests.integration.test_email import smtp  # noqa: F401 - the SMTP fixture

STRONG = "Quiet-harbour-lantern-42"
HEADER = ["username", "email", "full_name", "role", "department_code", "manager_username"]


def test_imported_users_get_an_invitation_whose_link_works_once(
    app,
    users,
    pg_database,
    tmp_path,
    smtp,  # noqa: F811
):
    inbox, port = smtp
    mail_app = create_app(make_config(tmp_path, pg_database, SMTP_HOST="127.0.0.1", SMTP_PORT=port))
    client = mail_app.test_client()
    admin = login(client, "admin")
    rows = [
        HEADER,
        ["m.boss", "m.boss@example.com", "Mia Boss", "ProcurementMgr", "OPS", ""],
        ["t.new", "T.New@example.com", "Tom New", "Engineer", "ENG", "m.boss"],
        ["x.bad", "buyer@example.com", "Taken Mail", "Engineer", "ENG", ""],
        ["y.bad", "y@example.com", "Bad Role", "Wizard", "NOPE", "nobody"],
    ]
    preview = uploaded(client, admin, "users", csv_bytes(rows))
    assert sorted((e["row"], e["column"]) for e in preview["errors"]) == [
        (4, "email"),
        (5, "department_code"),
        (5, "manager_username"),
        (5, "role"),
    ]
    preview = uploaded(client, admin, "users", csv_bytes(rows[:3]))
    assert preview["counts"] == {"create": 2, "update": 0, "skip": 0}
    commit(client, admin, preview["id"])
    with mail_app.app_context():
        tom = db.session.scalars(select(User).where(User.username == "t.new")).one()
        assert tom.manager.username == "m.boss" and tom.email == "t.new@example.com"

    assert sorted(to[0] for to, _ in inbox.messages) == [
        "m.boss@example.com",
        "t.new@example.com",
    ]
    message = next(msg for to, msg in inbox.messages if to == ["t.new@example.com"])
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    body = text.get_payload(decode=True).decode()
    assert "user name: t.new" in body and "expires in 72 hours" in body
    token = re.search(r"set-password\?token=(\S+)", body).group(1)

    refused = client.post("/api/v1/auth/login", json={"username": "t.new", "password": ""})
    assert refused.status_code in (401, 422)
    done = client.post("/api/v1/auth/set-password", json={"token": token, "password": STRONG})
    assert done.status_code == 200, done.json
    assert login(client, "t.new", STRONG)
    again = client.post("/api/v1/auth/set-password", json={"token": token, "password": STRONG})
    assert again.status_code == 409
    forged = client.post(
        "/api/v1/auth/set-password", json={"token": token + "x", "password": STRONG}
    )
    assert forged.status_code == 422

    boss = next(msg for to, msg in inbox.messages if to == ["m.boss@example.com"])
    boss_text = next(p for p in boss.walk() if p.get_content_type() == "text/plain")
    boss_body = boss_text.get_payload(decode=True).decode()
    boss_token = re.search(r"set-password\?token=(\S+)", boss_body).group(1)
    mail_app.config["INVITATION_HOURS"] = -1  # every link is now past its time
    expired = client.post(
        "/api/v1/auth/set-password", json={"token": boss_token, "password": STRONG}
    )
    assert expired.status_code == 422
    assert expired.json["error"]["message"] == "The link has expired"
    mail_app.config["INVITATION_HOURS"] = 72

    same = uploaded(client, admin, "users", csv_bytes(rows[:3]))
    assert same["counts"] == {"create": 0, "update": 0, "skip": 2}


def test_a_users_import_deactivates_through_the_user_update_path(app, client, users, auth):
    admin = auth("admin")
    engineer = login(client, "engineer2")
    assert client.get("/api/v1/auth/me", headers=engineer).status_code == 200
    rows = [
        [*HEADER, "is_active"],
        ["engineer2", "engineer2@example.com", "Eve Engineer", "Engineer", "", "", "false"],
        ["n.new", "n.new@example.com", "Nia New", "Engineer", "", "", ""],
        ["admin", "admin@example.com", "Ada Admin", "Admin", "", "", "false"],
    ]
    with app.app_context():
        for row in rows[1:]:
            user = db.session.scalars(select(User).where(User.username == row[0])).first()
            if user is not None:  # the file says what they are, so only is_active differs
                row[1], row[2], row[3] = user.email, user.full_name, user.role
    preview = uploaded(client, admin, "users", csv_bytes(rows))
    assert [(e["row"], e["column"]) for e in preview["errors"]] == [(4, "is_active")]
    preview = uploaded(client, admin, "users", csv_bytes(rows[:3]))
    assert preview["counts"] == {"create": 1, "update": 1, "skip": 0}
    assert commit(client, admin, preview["id"])["status"] == "committed"

    assert client.get("/api/v1/auth/me", headers=engineer).status_code == 401  # sessions ended
    with app.app_context():
        eve = db.session.scalars(select(User).where(User.username == "engineer2")).one()
        nia = db.session.scalars(select(User).where(User.username == "n.new")).one()
        assert not eve.is_active and nia.is_active
        actions = db.session.scalars(
            select(AuditLog.action).where(
                AuditLog.resource_type == "user", AuditLog.resource_id == eve.id
            )
        ).all()
        assert "user.deactivate" in actions
    again = uploaded(client, admin, "users", csv_bytes(rows[:3]))
    assert again["counts"] == {"create": 0, "update": 0, "skip": 2}  # blank keeps, false stays


def test_users_seen_in_earlier_chunks_are_tracked_in_the_database(app, client, users, auth):
    """E-mails taken and managers named across chunks (two rows each): nothing is kept in
    memory from one chunk to the next, yet the preview and the commit see the whole file."""
    app.config["IMPORT_CHUNK_ROWS"] = 2
    admin = auth("admin")
    row = {
        "a": ["cx.a", "cx.a@example.com", "Ann A", "Engineer", "", ""],
        "b": ["cx.b", "cx.b@example.com", "Ben B", "Engineer", "", "cx.a"],  # same chunk
        "c": ["cx.c", "CX.A@example.com", "Cal C", "Engineer", "", ""],  # a's e-mail, chunk 2
        "d": ["cx.d", "cx.d@example.com", "Dee D", "Engineer", "", "cx.b"],  # earlier chunk
        "e": ["cx.a", "cx.a@example.com", "Ann A", "Engineer", "", ""],  # a again, chunk 3
        "f": ["cx.f", "cx.f@example.com", "Fay F", "Engineer", "", "cx.zed"],
        "g": ["cx.g", "cx.g@example.com", "Gus G", "Engineer", "", "cx.d"],  # chunk 3
    }
    try:
        preview = uploaded(client, admin, "users", csv_bytes([HEADER, *row.values()]))
        assert {(e["row"], e["column"], e["message"]) for e in preview["errors"]} == {
            (4, "email", "Already the e-mail of row 2."),
            (6, "username", "Duplicate of row 2."),
            (7, "manager_username", "No user 'cx.zed'."),
        }
        clean = [HEADER, row["a"], row["b"], row["d"], row["g"]]
        preview = uploaded(client, admin, "users", csv_bytes(clean))
        assert preview["errors"] == [] and preview["counts"]["create"] == 4
        assert commit(client, admin, preview["id"])["status"] == "committed"
    finally:
        app.config["IMPORT_CHUNK_ROWS"] = 500
    with app.app_context():
        found = db.session.scalars(select(User).where(User.username.like("cx.%"))).all()
        managers = {u.username: u.manager.username if u.manager else None for u in found}
        assert managers == {"cx.a": None, "cx.b": "cx.a", "cx.d": "cx.b", "cx.g": "cx.d"}
        assert db.session.scalar(select(func.count()).select_from(ImportRowKey)) == 0
