"""Thin resources for /exports: streamed list exports, background exports and their files."""

from __future__ import annotations

from flask import Blueprint, send_file
from flask_restful import Resource

from reqflow.core.api import make_api
from reqflow.core.envelope import created, ok
from reqflow.core.rbac import current_user, login_required
from reqflow.core.schemas import load, query_args
from reqflow.core.tabular import CSV_MIME, XLSX_MIME
from reqflow.exports import service
from reqflow.exports.kinds import KINDS
from reqflow.exports.schemas import ExportCreate, ExportRead, FormatQuery

bp = Blueprint("exports", __name__)
api = make_api(bp)
FILES = [CSV_MIME, XLSX_MIME]
KIND_PATH = {"kind": {"type": "string", "enum": sorted(KINDS)}}


class ListExport(Resource):
    schemas = {"get": {"query": FormatQuery, "files": FILES, "path": KIND_PATH}}

    @login_required
    def get(self, kind: str):
        """A list as CSV or XLSX under the list's own query arguments (up to 5 000 rows)."""
        fmt = query_args(FormatQuery())["format"]
        return service.stream(kind_name=kind, fmt=fmt)


class ExportList(Resource):
    schemas = {
        "post": {"body": ExportCreate, "response": ExportRead, "key": "export", "status": 201}
    }

    @login_required
    def post(self):
        """Create a background export of a list; its progress is pushed as ``progress``."""
        data = load(ExportCreate())
        export = service.start(
            actor=current_user(),
            kind_name=data["kind"],
            fmt=data["format"],
            filters=data["filters"],
        )
        return created({"export": ExportRead().dump(export)}, "Export started")


class ExportItem(Resource):
    schemas = {"get": {"response": ExportRead, "key": "export"}}

    @login_required
    def get(self, export_id: int):
        """One of my exports: its state, progress and, when done, its download link."""
        export = service.owned(export_id=export_id, actor=current_user())
        return ok({"export": ExportRead().dump(export)}, f"Export is {export.state}")


class ExportFile(Resource):
    schemas = {"get": {"files": FILES}}

    @login_required
    def get(self, export_id: int):
        """The file of one of my finished exports (kept for 24 hours)."""
        export, handle = service.file_of(export_id=export_id, actor=current_user())
        mime = XLSX_MIME if export.format == "xlsx" else CSV_MIME
        response = send_file(handle, mimetype=mime, download_name=export.filename)
        response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


api.add_resource(ExportList, "/exports")
api.add_resource(ExportItem, "/exports/<int:export_id>")
api.add_resource(ExportFile, "/exports/<int:export_id>/file")
api.add_resource(ListExport, "/exports/<string:kind>")
