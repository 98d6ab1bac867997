"""The inbox use cases: list every decision waiting for a user, and approve many at once.

Bulk approval calls each domain's own use case per document, each in its own transaction:
every decision is authorised, audited and notified exactly as when taken one by one, and a
refusal of one document (not allowed, already decided, stale) is reported for that document
while the others go through.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from reqflow.accounting import service as accounting
from reqflow.errors import DomainError, ValidationFailed
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.inbox.sources import SOURCES, Item
from reqflow.inventory import service as inventory
from reqflow.purchasing import transitions as purchasing
from reqflow.requisitions import service as requisitions

# The deepest an inbox is read: sources are merged in memory, page by page from the top.
MAX_DEPTH = 1000
LATEST = datetime.max.replace(tzinfo=UTC)


def _order(item: Item) -> tuple[datetime, datetime, str]:
    return (item.due_at or LATEST, item.waiting_since or LATEST, item.key)


def inbox(
    *, actor: User, types: list[str] | None, page: int, per_page: int
) -> tuple[int, list[Item], dict[str, int]]:
    """The page of decisions (oldest due first), the total, and the count per type."""
    if page * per_page > MAX_DEPTH:
        raise ValidationFailed(
            "Invalid query", details={"page": [f"The inbox is read to {MAX_DEPTH} items deep."]}
        )
    wanted = types or list(SOURCES)
    counts: dict[str, int] = {}
    merged: list[Item] = []
    for name in wanted:
        total, items = SOURCES[name](actor, page * per_page)
        counts[name] = total
        merged += items
    merged.sort(key=_order)
    start = (page - 1) * per_page
    return sum(counts.values()), merged[start : start + per_page], counts


APPROVE: dict[str, Callable[[User, int, str | None], Any]] = {
    "requisition": lambda actor, doc, comment: requisitions.approve(
        actor=actor, requisition_id=doc, comment=comment
    ),
    "purchase_order": lambda actor, doc, comment: purchasing.approve(
        actor=actor, po_id=doc, comment=comment
    ),
    "invoice": lambda actor, doc, comment: accounting.approve(
        actor=actor, invoice_id=doc, comment=comment
    ),
    "acceptance": lambda actor, doc, comment: inventory.accept(
        actor=actor, receipt_id=doc, comment=comment
    ),
}


def _failed(kind: str, document_id: int, code: str, message: str, status: int) -> dict:
    return {
        "type": kind,
        "document_id": document_id,
        "ok": False,
        "status": None,
        "error": {"code": code, "message": message, "http_status": status},
    }


def _approve_one(actor: User, kind: str, document_id: int, comment: str | None) -> dict:
    try:
        done = APPROVE[kind](actor, document_id, comment)
    except DomainError as exc:
        db.session.rollback()
        return _failed(kind, document_id, exc.code, exc.message, exc.status)
    except StaleDataError:
        db.session.rollback()
        return _failed(kind, document_id, "CONFLICT", "Changed meanwhile; reload it", 409)
    return {
        "type": kind,
        "document_id": document_id,
        "ok": True,
        "status": done.status,
        "error": None,
    }


def approve_many(*, actor: User, items: list[dict[str, Any]], comment: str | None) -> list[dict]:
    """Approve (or accept) each document on its own, with the same comment; one result per
    item, in order."""
    return [_approve_one(actor, x["type"], x["document_id"], comment) for x in items]
