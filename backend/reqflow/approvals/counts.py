"""The inbox counts behind the menu badge and the dashboard, cached per user."""

from __future__ import annotations

from sqlalchemy import func, select

from reqflow.approvals.service import inbox_query
from reqflow.core.cache import DEFAULT_TTL, get_cache, versioned
from reqflow.core.models import utcnow
from reqflow.extensions import db
from reqflow.identity.models import User

# Resource types whose events change whose inbox holds which steps: steps activated or
# decided (on requisitions and purchase orders), delegations, users' roles.
INBOX_DEPENDS = ("approval_step", "requisition", "purchase_order", "delegation", "user")


def inbox_counts(user: User) -> dict[str, int]:
    """Pending steps the user may decide, and how many of them are overdue."""
    now = utcnow()
    cache = get_cache()
    # The date is in the key because delegations start and end by date.
    base = f"inbox:{user.id}:{user.role}:{now.date().isoformat()}"
    key = versioned(base, cache.versions(INBOX_DEPENDS))
    counts = cache.get(key)
    if counts is not None:
        return dict(counts)
    inbox = inbox_query(user).subquery()
    waiting, overdue, next_due = db.session.execute(
        select(
            func.count(),
            func.count().filter(inbox.c.due_at < now),
            func.min(inbox.c.due_at).filter(inbox.c.due_at >= now),
        )
    ).one()
    counts = {"approvals_waiting": int(waiting), "approvals_overdue": int(overdue)}
    # No event marks the moment a step becomes overdue: expire by then.
    ttl = DEFAULT_TTL
    if next_due is not None:
        ttl = min(ttl, max(1.0, (next_due - now).total_seconds()))
    cache.set(key, counts, ttl)
    return counts
