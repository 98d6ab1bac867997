"""E-mail for role-wide approvals over a real SMTP server on loopback (aiosmtpd): personal
assignments at once; role-wide ones in one digest per user per interval, to the people who
can act, by each user's choice (immediate, digest or off)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from celery import Celery
from sqlalchemy import update

from reqflow import create_app
from reqflow.core.jobs import celery_routing
from reqflow.core.models import utcnow
from reqflow.core.scheduler import embedded_schedule
from reqflow.extensions import db
from reqflow.identity import service as identity
from reqflow.identity.models import User
from reqflow.notifications.digest import DigestFailed, send_digests, window_start
from tests.conftest import PASSWORD, REDIS_URL, free_port, login, make_config
from tests.integration.reqs import act, create
from tests.integration.test_email import Inbox
from tests.integration.workers import start_worker, stop

NOTES = "/api/v1/notifications"
BUYERS = ("buyer2", "quiet", "eager", "gone")  # besides ``buyer`` from the users fixture


class PickyInbox(Inbox):
    """Refuses the addresses in ``refuse`` (a mailbox that no longer exists)."""

    def __init__(self) -> None:
        super().__init__()
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = PickyInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port  # type: ignore[attr-defined]
    yield inbox
    controller.stop()


@pytest.fixture
def mail(app, users, pg_database, tmp_path, smtp):
    """An app mailing through the loopback SMTP server, with more Procurement users."""
    config = make_config(
        tmp_path,
        pg_database,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtp.port,
        APP_BASE_URL="https://erp.plant.example",
        EMAIL_DIGEST_MINUTES=15,
    )
    mail_app = create_app(config)
    with mail_app.app_context():
        for name in BUYERS:
            identity.create_user(
                actor=None,
                data={
                    "username": name,
                    "email": f"{name}@example.com",
                    "full_name": name.title(),
                    "password": PASSWORD,
                    "role": "Procurement",
                },
            )
    client = mail_app.test_client()
    tokens: dict[str, dict[str, str]] = {}

    def auth(username: str) -> dict[str, str]:
        if username not in tokens:
            tokens[username] = login(client, username)
        return tokens[username]

    client.put(f"{NOTES}/preferences", headers=auth("quiet"), json={"email_digest": "off"})
    client.put(f"{NOTES}/preferences", headers=auth("eager"), json={"email_digest": "immediate"})
    with mail_app.app_context():
        db.session.execute(update(User).where(User.username == "gone").values(is_active=False))
        db.session.commit()
    return mail_app, client, auth


def _to(inbox: Inbox, username: str) -> list:
    return [msg for to, msg in inbox.messages if to == [f"{username}@example.com"]]


def _text(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def _submitted(client, headers) -> dict:
    req = create(client, headers)
    assert act(client, headers, req["id"], "submit").status_code == 200
    return req


def _digest(mail_app, at) -> int:
    with mail_app.app_context():
        return send_digests(now=at)


def test_role_wide_assignments_come_in_one_digest_per_interval(mail, smtp):
    mail_app, client, auth = mail
    first, second = _submitted(client, auth("lead")), _submitted(client, auth("lead"))
    personal = _submitted(client, auth("engineer"))  # the lead's own step: mailed at once
    assert [m["Subject"] for m in _to(smtp, "lead")] == [
        f"[ReqFlow] Approval needed: {personal['req_number']}"
    ]
    assert len(_to(smtp, "eager")) == 2  # chose immediate e-mails
    assert not _to(smtp, "buyer") and not _to(smtp, "buyer2")

    start = window_start(utcnow(), 15)
    assert _digest(mail_app, start + timedelta(seconds=1)) == 2  # buyer and buyer2
    for name in ("buyer", "buyer2"):
        (digest,) = _to(smtp, name)
        assert digest["Subject"] == "[ReqFlow] 2 approvals for Procurement"
        body = _text(digest)
        assert first["req_number"] in body and second["req_number"] in body
        assert f"https://erp.plant.example/requisitions/{first['id']}" in body
    assert not _to(smtp, "quiet") and not _to(smtp, "gone") and len(_to(smtp, "eager")) == 2

    third, decided = _submitted(client, auth("lead")), _submitted(client, auth("lead"))
    assert act(client, auth("buyer2"), decided["id"], "approve").status_code == 200
    assert _digest(mail_app, start + timedelta(minutes=10)) == 0  # same interval: nothing
    assert len(_to(smtp, "buyer")) == 1

    assert _digest(mail_app, start + timedelta(minutes=15, seconds=1)) == 2
    latest = _text(_to(smtp, "buyer")[-1])
    assert third["req_number"] in latest
    assert decided["req_number"] not in latest  # decided meanwhile: nobody needs to act
    assert first["req_number"] not in latest  # already in the previous digest
    assert _digest(mail_app, start + timedelta(minutes=29)) == 0  # nothing new waits


def test_in_app_notifications_stay_immediate_for_everyone(mail, smtp):
    _, client, auth = mail
    req = _submitted(client, auth("lead"))
    for name in ("buyer", "quiet", "eager"):
        titles = [
            n["title"] for n in client.get(NOTES, headers=auth(name)).json["data"]["notifications"]
        ]
        assert titles == [f"Approval needed: {req['req_number']}"]


def test_the_periodic_job_sends_the_digest(mail, smtp):
    mail_app, client, auth = mail
    req = _submitted(client, auth("lead"))
    assert embedded_schedule(mail_app)["notifications.email_digest"] == 15 * 60.0
    mail_app.extensions["reqflow_jobs"].enqueue("notifications.email_digest")
    assert req["req_number"] in _text(_to(smtp, "buyer")[0])
    mail_app.extensions["reqflow_jobs"].enqueue("notifications.email_digest")
    assert len(_to(smtp, "buyer")) == 1


def test_the_digest_choice_is_a_notification_preference(mail, smtp):
    mail_app, client, auth = mail
    prefs = client.get(f"{NOTES}/preferences", headers=auth("buyer")).json["data"]
    assert prefs["email_digest"] == "digest" and prefs["digest_minutes"] == 15
    assert prefs["preferences"][0]["type"] == "approval_assigned"
    saved = client.put(
        f"{NOTES}/preferences", headers=auth("buyer"), json={"email_digest": "immediate"}
    )
    assert saved.status_code == 200 and saved.json["data"]["email_digest"] == "immediate"
    for body in ({"email_digest": "hourly"}, {}):
        bad = client.put(f"{NOTES}/preferences", headers=auth("buyer"), json=body)
        assert bad.status_code == 422
    spec = client.get("/api/v1/openapi.json").json
    update_schema = spec["components"]["schemas"]["PreferencesUpdate"]["properties"]
    assert update_schema["email_digest"]["enum"] == ["immediate", "digest", "off"]


def test_a_refused_mailbox_does_not_hold_back_the_other_digests(mail, smtp):
    mail_app, client, auth = mail
    req = _submitted(client, auth("lead"))
    smtp.refuse = {"buyer2@example.com"}
    start = window_start(utcnow(), 15)
    with pytest.raises(DigestFailed, match="1 digests sent, 1 failed"):
        _digest(mail_app, start + timedelta(seconds=1))
    assert req["req_number"] in _text(_to(smtp, "buyer")[0])
    smtp.refuse = set()  # the retry, in the same interval, sends only what failed
    assert _digest(mail_app, start + timedelta(seconds=30)) == 1
    assert len(_to(smtp, "buyer")) == 1
    assert req["req_number"] in _text(_to(smtp, "buyer2")[0])


@pytest.mark.slow
def test_an_email_worker_sends_the_digest_beat_asks_for(mail, smtp, tmp_path):
    mail_app, client, auth = mail
    req = _submitted(client, auth("lead"))
    worker = start_worker(
        mail_app,
        tmp_path,
        "email",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp.port),
        APP_BASE_URL="https://erp.plant.example",
        EMAIL_DIGEST_MINUTES="15",
    )
    try:
        beat = Celery("beat-like", broker=REDIS_URL)
        beat.conf.update(**celery_routing())
        beat.send_task("notifications.email_digest")  # what beat sends every interval
        deadline = time.monotonic() + 60
        while len(_to(smtp, "buyer")) < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        (digest,) = _to(smtp, "buyer")
        assert req["req_number"] in _text(digest)
        assert f"https://erp.plant.example/requisitions/{req['id']}" in _text(digest)
    finally:
        stop(worker)
