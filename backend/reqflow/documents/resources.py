"""Thin resources: attachments and comments of every document type in the registry."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request, send_file
from flask_restful import Resource

from reqflow.core.api import make_api
from reqflow.core.envelope import created, ok
from reqflow.core.idempotency import idempotent
from reqflow.core.rbac import current_user, login_required
from reqflow.core.schemas import load, query_args, shared
from reqflow.documents import comments, registry, service
from reqflow.documents.blobs import UnsupportedMediaType
from reqflow.documents.models import Attachment
from reqflow.documents.schemas import (
    AttachmentRead,
    CommentIn,
    CommentRead,
    ContentQuery,
    UploadForm,
)
from reqflow.errors import BadRequest, NotFound

bp = Blueprint("documents", __name__)
api = make_api(bp)
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and headers around the file


def _attachment(att: Attachment, message: str, status: int = 200) -> Any:
    body = {"attachment": shared(AttachmentRead).dump(att)}
    return (created if status == 201 else ok)(body, message)


def _upload_stream() -> tuple[Any, str | None]:
    """The ``file`` part of a multipart upload. Werkzeug spools a large part to a temporary
    file while parsing, so the body is never held in memory; past the limit it stops: 413."""
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType("Send the file as multipart/form-data (part name: file).")
    request.max_content_length = current_app.config["ATTACHMENT_MAX_BYTES"] + FORM_OVERHEAD
    upload = request.files.get("file")
    if upload is None:
        raise BadRequest("No file: send it in a part named 'file'.")
    return upload.stream, upload.filename


def _resources(doc_type: registry.DocumentType) -> tuple[type[Resource], type[Resource]]:
    name = doc_type.name

    class DocumentAttachments(Resource):
        schemas = {
            "get": {
                "response": AttachmentRead,
                "many": True,
                "key": "attachments",
                "paged": False,
            },
            "post": {
                "form": UploadForm,
                "response": AttachmentRead,
                "key": "attachment",
                "status": 201,
                "errors": [413, 415],
            },
        }

        @login_required
        def get(self, document_id: int):
            """The document's attachments, each with its versions."""
            rows = service.list_for(
                actor=current_user(), document_type=name, document_id=document_id
            )
            data = {"attachments": shared(AttachmentRead).dump(rows, many=True)}
            return ok(data, "Attachments retrieved")

        @login_required
        def post(self, document_id: int):
            """Create an attachment: upload a file (multipart/form-data, part ``file``)."""
            stream, filename = _upload_stream()
            att = service.upload(
                actor=current_user(),
                document_type=name,
                document_id=document_id,
                stream=stream,
                filename=filename,
            )
            return _attachment(att, "Attachment uploaded", 201)

    class DocumentComments(Resource):
        schemas = {
            "get": {"response": CommentRead, "many": True, "key": "comments", "paged": False},
            "post": {"body": CommentIn, "response": CommentRead, "key": "comment", "status": 201},
        }

        @login_required
        def get(self, document_id: int):
            """The document's discussion, oldest first."""
            rows = comments.thread(
                actor=current_user(), document_type=name, document_id=document_id
            )
            return ok({"comments": shared(CommentRead).dump(rows, many=True)}, "Comments retrieved")

        @login_required
        @idempotent
        def post(self, document_id: int):
            """Create a comment; ``@username`` mentions notify those people."""
            data = load(CommentIn())
            row = comments.add(
                actor=current_user(), document_type=name, document_id=document_id, **data
            )
            return created({"comment": shared(CommentRead).dump(row)}, "Comment posted")

    for cls, kind in ((DocumentAttachments, "Attachments"), (DocumentComments, "Comments")):
        cls.__name__ = f"{name.title().replace('_', '')}{kind}"
    return DocumentAttachments, DocumentComments


class AttachmentItem(Resource):
    schemas = {"get": {"response": AttachmentRead, "key": "attachment"}, "delete": {}}

    @login_required
    def get(self, attachment_id: int):
        """One attachment with every version (who, when, size, sha256)."""
        att = service.get(actor=current_user(), attachment_id=attachment_id)
        return _attachment(att, "Attachment retrieved")

    @login_required
    def delete(self, attachment_id: int):
        """Delete an attachment (its uploader or an Admin, while the document is editable)."""
        service.delete(actor=current_user(), attachment_id=attachment_id)
        return ok(None, "Attachment deleted")


class AttachmentVersions(Resource):
    schemas = {
        "post": {
            "form": UploadForm,
            "response": AttachmentRead,
            "key": "attachment",
            "status": 201,
            "errors": [413, 415],
        }
    }

    @login_required
    def post(self, attachment_id: int):
        """Create a new version of the attachment; older versions stay downloadable."""
        stream, filename = _upload_stream()
        att = service.add_version(
            actor=current_user(), attachment_id=attachment_id, stream=stream, filename=filename
        )
        return _attachment(att, "New version uploaded", 201)


class AttachmentContent(Resource):
    schemas = {"get": {"query": ContentQuery, "content": "*/*"}}  # the file's own sniffed type

    @login_required
    def get(self, attachment_id: int):
        """The bytes of a version (latest by default), always as a download; ``thumbnail=true``
        gives an image's PNG thumbnail."""
        args = query_args(shared(ContentQuery))
        row = service.version_of(
            actor=current_user(), attachment_id=attachment_id, version=args["version"]
        )
        key, mimetype, name = row.storage_key, row.content_type, row.filename
        if args["thumbnail"]:
            if row.thumbnail_key is None:
                raise NotFound("This version has no thumbnail")
            key, mimetype, name = row.thumbnail_key, "image/png", f"thumbnail-{row.filename}.png"
        response = send_file(
            service.open_blob(key),
            mimetype=mimetype,
            as_attachment=True,
            download_name=name,
            conditional=False,
            etag=row.sha256 if not args["thumbnail"] else False,
        )
        if not args["thumbnail"]:
            response.content_length = row.size
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class CommentItem(Resource):
    schemas = {"patch": {"body": CommentIn, "response": CommentRead, "key": "comment"}}

    @login_required
    def patch(self, comment_id: int):
        """Edit my comment within 15 minutes of posting (it shows as edited)."""
        data = load(CommentIn())
        row = comments.edit(actor=current_user(), comment_id=comment_id, **data)
        return ok({"comment": shared(CommentRead).dump(row)}, "Comment updated")


for _type in registry.TYPES.values():
    _attachments, _comments = _resources(_type)
    base = f"/{_type.path}/<int:document_id>"
    api.add_resource(_attachments, f"{base}/attachments", endpoint=f"{_type.name}_attachments")
    api.add_resource(_comments, f"{base}/comments", endpoint=f"{_type.name}_comments")
api.add_resource(AttachmentItem, "/attachments/<int:attachment_id>")
api.add_resource(AttachmentVersions, "/attachments/<int:attachment_id>/versions")
api.add_resource(AttachmentContent, "/attachments/<int:attachment_id>/content")
api.add_resource(CommentItem, "/comments/<int:comment_id>")
