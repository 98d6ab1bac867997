"""Document events: attachments and comments; each one is also an audit row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from reqflow.events import DomainEvent, event_type


@dataclass(frozen=True, kw_only=True)
class _AttachmentEvent(DomainEvent):
    resource_type: ClassVar[str] = "attachment"
    document_type: str = ""
    document_id: int = 0
    filename: str = ""
    version: int = 1
    sha256: str = ""
    size: int = 0


@event_type
@dataclass(frozen=True, kw_only=True)
class AttachmentAdded(_AttachmentEvent):
    action: ClassVar[str] = "attachment.create"


@event_type
@dataclass(frozen=True, kw_only=True)
class AttachmentVersionAdded(_AttachmentEvent):
    action: ClassVar[str] = "attachment.version"


@event_type
@dataclass(frozen=True, kw_only=True)
class AttachmentDeleted(_AttachmentEvent):
    action: ClassVar[str] = "attachment.delete"


@dataclass(frozen=True, kw_only=True)
class _CommentEvent(DomainEvent):
    resource_type: ClassVar[str] = "comment"
    document_type: str = ""
    document_id: int = 0
    author_id: int = 0
    mentioned_ids: tuple[int, ...] = ()


@event_type
@dataclass(frozen=True, kw_only=True)
class CommentAdded(_CommentEvent):
    action: ClassVar[str] = "comment.create"


@event_type
@dataclass(frozen=True, kw_only=True)
class CommentEdited(_CommentEvent):
    action: ClassVar[str] = "comment.update"
