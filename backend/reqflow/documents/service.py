"""Attachment use cases; each public function is one transaction. Bytes go to storage before
the row is committed: a blob whose row never commits is an orphan the sweep removes."""

from __future__ import annotations

from datetime import timedelta
from typing import IO, Any

from flask import current_app
from sqlalchemy import select

from reqflow.core.models import utcnow
from reqflow.documents import blobs, registry
from reqflow.documents import events as ev
from reqflow.documents.models import Attachment, AttachmentVersion
from reqflow.documents.storage import get_storage
from reqflow.errors import Conflict, Forbidden, NotFound
from reqflow.events import record
from reqflow.extensions import db
from reqflow.identity.models import User

ADMIN = "Admin"


def _limit() -> int:
    return int(current_app.config["ATTACHMENT_MAX_BYTES"])


def _event(cls: type[ev._AttachmentEvent], att: Attachment, actor: User) -> None:
    latest = att.latest
    record(
        cls(
            actor_id=actor.id,
            resource_id=att.id,
            document_type=att.document_type,
            document_id=att.document_id,
            filename=latest.filename,
            version=latest.version,
            sha256=latest.sha256,
            size=latest.size,
        )
    )


def _version(att: Attachment, blob: blobs.StoredBlob, actor: User, number: int) -> None:
    db.session.add(
        AttachmentVersion(
            attachment=att,
            version=number,
            filename=blob.filename,
            content_type=blob.content_type,
            size=blob.size,
            sha256=blob.sha256,
            storage_key=blob.storage_key,
            thumbnail_key=blob.thumbnail_key,
            uploaded_by_id=actor.id,
        )
    )


def list_for(*, actor: User, document_type: str, document_id: int) -> list[Attachment]:
    """The live attachments of a document the actor may see, oldest first."""
    registry.load(actor, document_type, document_id)
    query = (
        select(Attachment)
        .where(
            Attachment.document_type == document_type,
            Attachment.document_id == document_id,
            Attachment.deleted_at.is_(None),
        )
        .order_by(Attachment.id)
    )
    return list(db.session.scalars(query))


def upload(
    *, actor: User, document_type: str, document_id: int, stream: IO[bytes], filename: str | None
) -> Attachment:
    """Attach a file to a document the actor may see."""
    registry.load(actor, document_type, document_id)
    blob = blobs.store(get_storage(), stream, filename, _limit())
    att = Attachment(
        document_type=document_type,
        document_id=document_id,
        filename=blob.filename,
        current_version=1,
        uploaded_by_id=actor.id,
    )
    db.session.add(att)
    _version(att, blob, actor, 1)
    db.session.flush()
    _event(ev.AttachmentAdded, att, actor)
    db.session.commit()
    return att


def get(*, actor: User, attachment_id: int, lock: bool = False) -> Attachment:
    """One live attachment on a document the actor may see (404 otherwise)."""
    query = select(Attachment).where(
        Attachment.id == attachment_id, Attachment.deleted_at.is_(None)
    )
    if lock:
        query = query.with_for_update(of=Attachment).execution_options(populate_existing=True)
    att = db.session.scalar(query)
    if att is None:
        raise NotFound("Attachment not found")
    registry.load(actor, att.document_type, att.document_id)
    return att


def add_version(
    *, actor: User, attachment_id: int, stream: IO[bytes], filename: str | None
) -> Attachment:
    """Upload a new version of an attachment; the older ones stay downloadable."""
    get(actor=actor, attachment_id=attachment_id)
    blob = blobs.store(get_storage(), stream, filename, _limit())
    att = get(actor=actor, attachment_id=attachment_id, lock=True)
    number = att.current_version + 1
    _version(att, blob, actor, number)
    att.current_version = number
    att.filename = blob.filename
    db.session.flush()
    db.session.refresh(att, ["versions"])
    _event(ev.AttachmentVersionAdded, att, actor)
    db.session.commit()
    return att


def version_of(*, actor: User, attachment_id: int, version: int | None) -> AttachmentVersion:
    """One version (the latest by default) of an attachment the actor may see."""
    att = get(actor=actor, attachment_id=attachment_id)
    wanted = version or att.current_version
    for row in att.versions:
        if row.version == wanted:
            return row
    raise NotFound("No such version")


def open_blob(key: str) -> IO[bytes]:
    return get_storage().open(key)


def delete(*, actor: User, attachment_id: int) -> None:
    """Soft-delete an attachment: its uploader or an Admin, while the document is editable.
    The row and its bytes stay (the audit trail names them)."""
    att = get(actor=actor, attachment_id=attachment_id, lock=True)
    doc_type, document = registry.load(actor, att.document_type, att.document_id)
    if att.uploaded_by_id != actor.id and actor.role != ADMIN:
        raise Forbidden("Only the uploader or an Admin can delete this attachment")
    if not doc_type.editable(document):
        raise Conflict("The document is no longer editable")
    att.deleted_at = utcnow()
    att.deleted_by_id = actor.id
    _event(ev.AttachmentDeleted, att, actor)
    db.session.commit()


def sweep_orphans(older_than: timedelta = timedelta(hours=6)) -> int:
    """Delete stored blobs that no attachment version names (an upload whose row never
    committed), once they are old enough that no upload can still be committing them."""
    storage = get_storage()
    known: set[str] = set()
    for key, thumb in db.session.execute(
        select(AttachmentVersion.storage_key, AttachmentVersion.thumbnail_key)
    ):
        known.add(key)
        if thumb:
            known.add(thumb)
    cutoff = utcnow() - older_than
    removed = 0
    for key, modified in list(storage.keys()):
        if key not in known and modified < cutoff:
            storage.delete(key)
            removed += 1
    return removed


def sweep_job_args() -> dict[str, Any]:
    return {"older_than": timedelta(hours=float(current_app.config["ATTACHMENT_ORPHAN_HOURS"]))}
