"""E-mail over a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import email
import socket
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from reqflow import create_app
from tests.conftest import login, make_config
from tests.integration.reqs import act, create


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        self.messages.append(
            (
                list(envelope.rcpt_tos),
                email.message_from_bytes(envelope.original_content or envelope.content),
            )
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def test_decisions_are_mailed_with_text_and_html_parts(app, users, pg_database, tmp_path, smtp):
    inbox, port = smtp
    mail_app = create_app(
        make_config(
            tmp_path,
            pg_database,
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=port,
            MAIL_FROM="ReqFlow <erp@plant.example>",
            APP_BASE_URL="https://erp.plant.example",
        )
    )
    client = mail_app.test_client()
    engineer, lead = login(client, "engineer"), login(client, "lead")
    req = create(client, engineer)
    act(client, engineer, req["id"], "submit")
    act(client, lead, req["id"], "reject", reason="Order through the framework contract")

    by_recipient = {tuple(to): msg for to, msg in inbox.messages}
    assigned = by_recipient[("lead@example.com",)]
    assert assigned["Subject"] == f"[ReqFlow] Approval needed: {req['req_number']}"
    assert assigned["From"] == "ReqFlow <erp@plant.example>"
    decision = by_recipient[("engineer@example.com",)]
    assert decision["Subject"] == f"[ReqFlow] {req['req_number']} was rejected"
    parts = {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in decision.walk()
        if not p.is_multipart()
    }
    assert set(parts) == {"text/plain", "text/html"}
    assert "framework contract" in parts["text/plain"]
    link = f"https://erp.plant.example/requisitions/{req['id']}"
    assert link in parts["text/plain"] and link in parts["text/html"]
    assert len(inbox.messages) == 2


def test_sending_a_po_mails_the_supplier_the_pdf(app, users, pg_database, tmp_path, smtp):
    from tests.integration.pos import po_in, suppliers

    inbox, port = smtp
    mail_app = create_app(
        make_config(
            tmp_path,
            pg_database,
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=port,
            COMPANY_NAME="Acme Gearworks",
        )
    )
    client = mail_app.test_client()
    tokens: dict[str, dict[str, str]] = {}

    def auth(username: str) -> dict[str, str]:
        if username not in tokens:
            tokens[username] = login(client, username)
        return tokens[username]

    (supplier,) = suppliers(app, "ACME")  # contact e-mail sales@acme.test
    po = po_in(mail_app, client, auth, supplier, "Sent")
    to_supplier = [msg for to, msg in inbox.messages if to == ["sales@acme.test"]]
    assert len(to_supplier) == 1
    message = to_supplier[0]
    assert message["Subject"] == f"Purchase order {po['po_number']} from Acme Gearworks"
    attachments = [p for p in message.walk() if p.get_content_disposition() == "attachment"]
    assert [a.get_filename() for a in attachments] == [f"{po['po_number']}.pdf"]
    pdf = attachments[0].get_payload(decode=True)
    assert pdf.startswith(b"%PDF")
    kinds = {p.get_content_type() for p in message.walk() if not p.is_multipart()}
    assert {"text/plain", "text/html", "application/pdf"} <= kinds
