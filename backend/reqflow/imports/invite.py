"""Invitation e-mails for users an import created: sent after the import commits, one job
per user on the ``email`` queue; a user who has set a password already is not mailed again."""

from __future__ import annotations

from flask import current_app

from reqflow.core.jobs import EMAIL, job
from reqflow.extensions import db
from reqflow.identity.invitations import invitation_link, is_invited
from reqflow.identity.models import User
from reqflow.notifications.email import build_message, send


@job("imports.invite", queue=EMAIL)
def send_invitation(user_id: int) -> None:
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or not is_invited(user):
        return
    message = build_message(
        to=user.email,
        subject="[ReqFlow] You are invited: set your password",
        kind="invitation",
        context={
            "user": user,
            "link": invitation_link(user),
            "hours": int(float(current_app.config["INVITATION_HOURS"])),
        },
    )
    send(message)
