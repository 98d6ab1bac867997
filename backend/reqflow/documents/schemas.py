"""Attachment and comment schemas; the upload form is documented as multipart/form-data."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from reqflow.core.schemas import QuerySchema, UTCDateTimeField

COMMENT_MAX = 10_000


class Person(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()


class AttachmentVersionRead(Schema):
    version = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    has_thumbnail = fields.Function(lambda v: v.thumbnail_key is not None)
    uploaded_by = fields.Nested(Person)
    created_at = UTCDateTimeField()


class AttachmentRead(Schema):
    id = fields.Integer()
    document_type = fields.String()
    document_id = fields.Integer()
    filename = fields.String()
    current_version = fields.Integer()
    content_type = fields.Function(lambda a: a.latest.content_type)
    size = fields.Function(lambda a: a.latest.size)
    sha256 = fields.Function(lambda a: a.latest.sha256)
    has_thumbnail = fields.Function(lambda a: a.latest.thumbnail_key is not None)
    uploaded_by = fields.Nested(Person)
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()
    versions = fields.List(fields.Nested(AttachmentVersionRead))


class UploadForm(Schema):
    """``multipart/form-data`` with one part named ``file``."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class ContentQuery(QuerySchema):
    version = fields.Integer(validate=validate.Range(min=1, max=1_000_000), load_default=None)
    thumbnail = fields.Boolean(load_default=False)


class CommentIn(Schema):
    class Meta:
        unknown = "raise"

    body = fields.String(
        required=True,
        validate=validate.Length(min=1, max=COMMENT_MAX, error="1 to 10000 characters."),
    )


class CommentRead(Schema):
    id = fields.Integer()
    document_type = fields.String()
    document_id = fields.Integer()
    author = fields.Nested(Person)
    body = fields.String()
    kind = fields.String()
    created_at = UTCDateTimeField()
    edited_at = UTCDateTimeField(allow_none=True)
    edited = fields.Function(lambda c: c.edited_at is not None)
