"""The paperclip in lists: a document's live attachment count as a deferred column of the
document's own model, computed by a correlated scalar subquery over the indexed
``(document_type, document_id)`` of the attachments table.

A list undefers it in the statement that loads its page's rows, so the count costs no
statement of its own and is computed for those rows only; elsewhere it stays unloaded (a
detail has its Attachments panel). This module needs only the attachments table, so the
models of the domains below ``documents`` may use it without reaching into its services."""

from __future__ import annotations

from typing import Any

from marshmallow import fields
from sqlalchemy import func, select
from sqlalchemy.orm import column_property

from reqflow.documents.models import Attachment

FIELD = "attachment_count"


def live_count(document_type: str, document_id: Any) -> Any:
    """The correlated count of live attachments of the ``document_type`` document whose
    primary key is ``document_id`` (a column of the outer statement's table)."""
    return (
        select(func.count(Attachment.id))
        .where(
            Attachment.document_type == document_type,
            Attachment.document_id == document_id,
            Attachment.deleted_at.is_(None),
        )
        .correlate_except(Attachment)
        .scalar_subquery()
    )


def attachment_count(document_type: str, document_id: Any) -> Any:
    """A deferred ``attachment_count`` column for a model whose rows are ``document_type``
    documents with the primary key ``document_id`` (a column of that model)."""
    return column_property(live_count(document_type, document_id), deferred=True)


def count_field() -> fields.Integer:
    """The list schemas' ``attachment_count`` (details leave it out: they show the files)."""
    return fields.Integer(
        dump_only=True,
        metadata={"description": "Live (not deleted) attachments on the document."},
    )
