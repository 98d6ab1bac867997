"""E-mail: Jinja HTML + text templates; SMTP when configured, an .eml outbox folder in the
embedded default."""

from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from jinja2 import TemplateNotFound
from sqlalchemy import select

from reqflow.core.jobs import EMAIL, job
from reqflow.core.models import utcnow
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.notifications.models import Notification


def _render(kind: str, context: dict[str, Any]) -> tuple[str, str]:
    parts = []
    for ext in ("txt", "html"):
        try:
            parts.append(render_template(f"email/{kind}.{ext}", **context))
        except TemplateNotFound:
            parts.append(render_template(f"email/notification.{ext}", **context))
    return parts[0], parts[1]


def build_message(
    *,
    to: str,
    subject: str,
    kind: str,
    context: dict[str, Any],
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> EmailMessage:
    text, html = _render(kind, {"subject": subject, **context})
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4().hex}@reqflow>"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for filename, content, mimetype in attachments or []:
        maintype, subtype = mimetype.split("/", 1)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


def send(message: EmailMessage) -> None:
    """Deliver over SMTP, or write to instance/mail when no SMTP host is set."""
    config = current_app.config
    if not config.get("SMTP_HOST"):
        outbox = Path(config["INSTANCE_DIR"]) / "mail"
        outbox.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
        (outbox / name).write_bytes(bytes(message))
        return
    with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=30) as smtp:
        if config.get("SMTP_USE_TLS"):
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(message)


@job("notifications.email", queue=EMAIL)
def email_notification(notification_id: int) -> None:
    """E-mail one notification; a second run after success sends nothing."""
    found = db.session.execute(
        select(Notification, User)
        .join(User, User.id == Notification.user_id)
        .where(Notification.id == notification_id)
    ).first()
    if found is None:
        return
    row, user = found
    if row.emailed_at is not None or not user.is_active:
        return
    base = current_app.config["APP_BASE_URL"].rstrip("/")
    message = build_message(
        to=user.email,
        subject=f"[ReqFlow] {row.title}",
        kind=row.type,
        context={"user": user, "notification": row, "link": f"{base}{row.link or '/'}"},
    )
    send(message)
    row.emailed_at = utcnow()
    db.session.commit()
