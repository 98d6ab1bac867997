"""Comment use cases: a thread per document, ``@username`` mentions, edits by the author
within 15 minutes, no deletion. Each public function is one transaction."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from reqflow.core.models import utcnow
from reqflow.documents import events as ev
from reqflow.documents import registry
from reqflow.documents.models import Comment
from reqflow.errors import Conflict, Forbidden, NotFound
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User

EDIT_WINDOW = timedelta(minutes=15)
MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9_.-]{1,80})")


def thread(*, actor: User, document_type: str, document_id: int) -> list[Comment]:
    """The comments on a document the actor may see, oldest first."""
    registry.load(actor, document_type, document_id)
    query = (
        select(Comment)
        .where(Comment.document_type == document_type, Comment.document_id == document_id)
        .order_by(Comment.id)
    )
    return list(db.session.scalars(query))


def mentioned(body: str, document_type: str, document_id: int, author_id: int) -> set[int]:
    """Active users named ``@username`` in ``body`` who may see the document (others are not
    told: a mention never reveals a document to someone outside its audience)."""
    names = {m.group(1).rstrip(".").lower() for m in MENTION.finditer(body)}
    if not names:
        return set()
    users = db.session.scalars(
        select(User).where(User.username.in_(names), User.is_active, User.id != author_id)
    )
    found: set[int] = set()
    for user in users:
        try:
            registry.load(user, document_type, document_id)
        except NotFound:
            continue
        found.add(user.id)
    return found


def _record(cls: type[ev._CommentEvent], comment: Comment, actor_id: int, new: set[int]) -> None:
    record(
        cls(
            actor_id=actor_id,
            resource_id=comment.id,
            document_type=comment.document_type,
            document_id=comment.document_id,
            author_id=comment.author_id,
            mentioned_ids=tuple(sorted(new)),
            new_values={"body": comment.body},
        )
    )


def add(
    *, actor: User, document_type: str, document_id: int, body: str, kind: str = "comment"
) -> Comment:
    """Post a comment on a document the actor may see; mentioned users are told once."""
    registry.load(actor, document_type, document_id)
    comment = Comment(
        document_type=document_type,
        document_id=document_id,
        author_id=actor.id,
        body=body.strip(),
        kind=kind,
    )
    db.session.add(comment)
    db.session.flush()
    _record(
        ev.CommentAdded, comment, actor.id, mentioned(body, document_type, document_id, actor.id)
    )
    db.session.commit()
    return comment


def edit(*, actor: User, comment_id: int, body: str) -> Comment:
    """The author corrects a comment within 15 minutes; only newly mentioned people are told."""
    comment = db.session.scalar(
        select(Comment).where(Comment.id == comment_id).with_for_update(of=Comment)
    )
    if comment is None:
        raise NotFound("Comment not found")
    registry.load(actor, comment.document_type, comment.document_id)
    if comment.author_id != actor.id:
        raise Forbidden("Only the author can edit a comment")
    if utcnow() - comment.created_at > EDIT_WINDOW:
        raise Conflict("A comment can be edited within 15 minutes of posting")
    before = mentioned(comment.body, comment.document_type, comment.document_id, actor.id)
    comment.body = body.strip()
    comment.edited_at = utcnow()
    after = mentioned(comment.body, comment.document_type, comment.document_id, actor.id)
    _record(ev.CommentEdited, comment, actor.id, after - before)
    db.session.commit()
    return comment


def add_question(*, approver_id: int, requisition_id: int, question: str) -> None:
    """An approver's question (asked through the decision) joins the requisition's thread,
    where the requester answers it without editing (so without restarting the chain)."""
    approver = db.session.get(User, approver_id)
    if approver is not None:
        add(
            actor=approver,
            document_type="requisition",
            document_id=requisition_id,
            body=question,
            kind="question",
        )
