"""E-mail about approvals assigned to a whole role (e.g. Procurement): each recipient chooses
``immediate``, ``digest`` (default) or ``off``; a digest goes out at most once per user per
``EMAIL_DIGEST_MINUTES`` window and lists every such assignment since the previous one that
the user can still act on. Personal assignments are e-mailed at once, elsewhere."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, cast

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult

from reqflow.approvals.models import ApprovalStep, StepStatus
from reqflow.approvals.service import eligibility
from reqflow.core.jobs import EMAIL, enqueue, job
from reqflow.core.models import utcnow
from reqflow.errors import ValidationFailed
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.notifications.email import build_message, send
from reqflow.notifications.models import (
    DEFAULT_DIGEST_MODE,
    DIGEST_MODES,
    DigestEntry,
    Notification,
    NotificationSetting,
)

log = logging.getLogger(__name__)


class DigestFailed(RuntimeError):
    """Some users' digests could not be sent; they stay waiting for the next run."""


def digest_mode(user_id: int) -> str:
    """How the user hears of role-wide assignments: immediate, digest or off."""
    mode = db.session.scalar(
        select(NotificationSetting.email_digest).where(NotificationSetting.user_id == user_id)
    )
    return mode or DEFAULT_DIGEST_MODE


def set_digest_mode(*, user_id: int, mode: str) -> str:
    """Choose immediate, digest or off for e-mail about role-wide assignments."""
    if mode not in DIGEST_MODES:
        raise ValidationFailed(
            "Validation failed", details={"email_digest": [f"One of: {', '.join(DIGEST_MODES)}."]}
        )
    setting = db.session.get(NotificationSetting, user_id)
    if setting is None:
        db.session.add(NotificationSetting(user_id=user_id, email_digest=mode))
    else:
        setting.email_digest = mode
    db.session.commit()
    return mode


def can_act(user: User | None, step: ApprovalStep) -> bool:
    """The step still waits and the user may decide it (active, holding its role)."""
    if user is None or not user.is_active or step.status != StepStatus.PENDING:
        return False
    return eligibility(user, step)[0]


def route_role_assignment(rows: list[Notification], step: ApprovalStep) -> None:
    """E-mail a role-wide assignment by each recipient's choice: now, in the digest, or not."""
    recipients = select(User).where(User.id.in_([row.user_id for row in rows]))
    users = {user.id: user for user in db.session.scalars(recipients)}
    settings = db.session.execute(
        select(NotificationSetting.user_id, NotificationSetting.email_digest).where(
            NotificationSetting.user_id.in_(list(users))
        )
    ).all()
    modes: dict[int, str] = {user_id: mode for user_id, mode in settings}
    now: list[int] = []
    for row in rows:
        if not can_act(users.get(row.user_id), step):
            continue
        mode = modes.get(row.user_id, DEFAULT_DIGEST_MODE)
        if mode == "immediate":
            now.append(row.id)
        elif mode == "digest":
            db.session.add(
                DigestEntry(user_id=row.user_id, notification_id=row.id, step_id=step.id)
            )
    db.session.commit()
    for notification_id in now:
        enqueue("notifications.email", notification_id)


def window_start(at: datetime, minutes: float) -> datetime:
    """Start of the digest interval holding ``at`` (intervals aligned on the epoch)."""
    seconds = at.timestamp()
    return datetime.fromtimestamp(seconds - seconds % (minutes * 60.0), tz=UTC)


def _claim(user_id: int, now: datetime, since: datetime) -> bool:
    """Take this interval's digest for the user; False when it was already sent."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = NotificationSetting.__table__
    db.session.execute(
        dialect.insert(table)
        .values(user_id=user_id, email_digest=DEFAULT_DIGEST_MODE)
        .on_conflict_do_nothing(index_elements=["user_id"])
    )
    claimed = cast(
        CursorResult[Any],
        db.session.execute(
            update(NotificationSetting)
            .where(
                NotificationSetting.user_id == user_id,
                (NotificationSetting.last_digest_at.is_(None))
                | (NotificationSetting.last_digest_at < since),
            )
            .values(last_digest_at=now)
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    return claimed == 1


def _waiting(user_id: int) -> list[Any]:
    return list(
        db.session.execute(
            select(DigestEntry, Notification, ApprovalStep)
            .join(Notification, Notification.id == DigestEntry.notification_id)
            .join(ApprovalStep, ApprovalStep.id == DigestEntry.step_id)
            .where(DigestEntry.user_id == user_id, DigestEntry.sent_at.is_(None))
            .order_by(DigestEntry.id)
        ).all()
    )


def _mail(user: User, notes: list[Notification]) -> None:
    base = current_app.config["APP_BASE_URL"].rstrip("/")
    count = len(notes)
    items = [{"title": n.title, "body": n.body, "link": f"{base}{n.link or '/'}"} for n in notes]
    send(
        build_message(
            to=user.email,
            subject=f"[ReqFlow] {count} approval{'' if count == 1 else 's'} for {user.role}",
            kind="approval_digest",
            context={
                "user": user,
                "role": user.role,
                "items": items,
                "inbox": f"{base}/inbox",
                "minutes": f"{float(current_app.config['EMAIL_DIGEST_MINUTES']):g}",
            },
        )
    )


def _digest_for(user_id: int, now: datetime, since: datetime) -> int:
    """Send one user's digest if this interval's is still due; returns 1 when sent."""
    user = db.session.get(User, user_id)
    waiting = _waiting(user_id)
    live = [note for _, note, step in waiting if can_act(user, step)]
    due = user is not None and bool(live) and digest_mode(user_id) != "off"
    if due and user is not None:
        if not _claim(user_id, now, since):
            db.session.rollback()
            return 0
        _mail(user, live)
    mailed = {note.id for note in live} if due else set()
    for entry, note, _ in waiting:
        entry.sent_at = now  # sent, or dropped: decided meanwhile, or no longer theirs
        if note.id in mailed:
            note.emailed_at = now
    db.session.commit()
    return int(due)


def send_digests(*, now: datetime | None = None) -> int:
    """E-mail each user their waiting role-wide assignments, at most once per interval."""
    now = now or utcnow()
    since = window_start(now, float(current_app.config["EMAIL_DIGEST_MINUTES"]))
    user_ids = list(
        db.session.scalars(
            select(DigestEntry.user_id).where(DigestEntry.sent_at.is_(None)).distinct()
        )
    )
    db.session.commit()
    sent, failed = 0, []
    for user_id in sorted(user_ids):
        try:
            sent += _digest_for(user_id, now, since)
        except Exception:  # one refused mailbox must not hold back everyone else's digest
            db.session.rollback()
            log.exception("e-mail digest failed", extra={"user_id": user_id})
            failed.append(user_id)
    if failed:  # the job is retried; digests already sent are claimed and not sent again
        raise DigestFailed(f"{sent} digests sent, {len(failed)} failed: users {failed}")
    return sent


@job("notifications.email_digest", queue=EMAIL)
def email_digests() -> int:
    """Periodic: the digests due now (beat and the embedded scheduler run it)."""
    return send_digests()
