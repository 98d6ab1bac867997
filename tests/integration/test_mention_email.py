"""An @mention e-mails the mentioned person over a real SMTP server on loopback (aiosmtpd):
once, only if their preference for mentions is on, never to someone who cannot see the
document, and with the author's text escaped in the HTML part."""

from __future__ import annotations

from reqflow import create_app
from tests.conftest import login, make_config
from tests.integration.reqs import BASE, create
from tests.integration.test_email import smtp  # noqa: F401 - the loopback SMTP fixture

PREFS = "/api/v1/notifications/preferences"


def _parts(message) -> dict[str, str]:
    return {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in message.walk()
        if not p.is_multipart()
    }


def test_a_mention_is_mailed_once_to_those_who_want_it(app, users, pg_database, tmp_path, smtp):  # noqa: F811
    inbox, port = smtp
    mail_app = create_app(
        make_config(
            tmp_path,
            pg_database,
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=port,
            APP_BASE_URL="https://erp.plant.example",
        )
    )
    client = mail_app.test_client()
    engineer, procmgr = login(client, "engineer"), login(client, "procmgr")
    # the procurement manager sees every requisition but wants no e-mail for mentions
    off = client.put(PREFS, json={"email": {"mention": False}}, headers=procmgr)
    assert off.status_code == 200, off.json
    req = create(client, engineer)
    body = "@lead is <b>this</b> the right **price**? cc @procmgr @engineer2 @lead"
    posted = client.post(f"{BASE}/{req['id']}/comments", json={"body": body}, headers=engineer)
    assert posted.status_code == 201, posted.json
    comment_id = posted.json["data"]["comment"]["id"]
    # an edit that keeps the mentions tells nobody again
    edited = client.patch(
        f"/api/v1/comments/{comment_id}", json={"body": body + " thanks"}, headers=engineer
    )
    assert edited.status_code == 200, edited.json

    assert [to for to, _ in inbox.messages] == [["lead@example.com"]]
    message = inbox.messages[0][1]
    assert message["Subject"] == "[ReqFlow] Engineer mentioned you"
    parts = _parts(message)
    link = f"https://erp.plant.example/requisitions/{req['id']}"
    assert link in parts["text/plain"] and link in parts["text/html"]
    assert "right **price**" in parts["text/plain"]
    html = parts["text/html"]
    assert "&lt;b&gt;this&lt;/b&gt;" in html and "<b>this</b>" not in html

    # the manager still got the in-app notification, only not the e-mail
    notes = client.get("/api/v1/notifications", headers=procmgr).json["data"]["notifications"]
    assert [n["type"] for n in notes if n["type"] == "mention"] == ["mention"]


def test_a_new_mention_in_an_edit_is_mailed_to_the_newly_named_only(
    app,
    users,
    pg_database,
    tmp_path,
    smtp,  # noqa: F811
):
    inbox, port = smtp
    mail_app = create_app(make_config(tmp_path, pg_database, SMTP_HOST="127.0.0.1", SMTP_PORT=port))
    client = mail_app.test_client()
    engineer = login(client, "engineer")
    req = create(client, engineer)
    posted = client.post(
        f"{BASE}/{req['id']}/comments", json={"body": "@lead please look"}, headers=engineer
    )
    assert posted.status_code == 201, posted.json
    edited = client.patch(
        f"/api/v1/comments/{posted.json['data']['comment']['id']}",
        json={"body": "@lead please look, and @buyer too"},
        headers=engineer,
    )
    assert edited.status_code == 200, edited.json
    assert sorted(to for to, _ in inbox.messages) == [["buyer@example.com"], ["lead@example.com"]]
