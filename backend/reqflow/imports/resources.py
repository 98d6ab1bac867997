"""Thin resources: /imports (column reference, templates, upload, preview, commit, report)."""

from __future__ import annotations

from typing import IO, Any

from flask import Blueprint, current_app, request, send_file
from flask_restful import Resource
from sqlalchemy import select

from reqflow.core.api import make_api
from reqflow.core.envelope import created, ok
from reqflow.core.rbac import current_user, login_required
from reqflow.errors import BadRequest
from reqflow.extensions import db
from reqflow.imports import files, reader, service
from reqflow.imports.models import ImportJob
from reqflow.imports.schemas import ImportRead, ImportSummary, ImportUpload, KindRef

bp = Blueprint("imports", __name__)
api = make_api(bp)


def _dump(imp: ImportJob, schema: Any = None) -> dict[str, Any]:
    data = (schema or ImportRead()).dump(imp)
    data["progress"] = service.progress_of(imp.id)
    return data


def _file() -> tuple[str, IO[bytes]]:
    """The uploaded file (a stream; the service counts it against the size limit); a body
    declared larger than the limit is refused before it is read."""
    limit = service.limits().max_bytes
    if request.content_length is not None and request.content_length > limit + 64 * 1024:
        raise reader.FileTooLarge(f"The file is larger than {limit} bytes.")
    if not (request.mimetype or "").startswith("multipart/form-data"):
        raise reader.UnsupportedFile("Send the file as multipart/form-data (field 'file').")
    upload = request.files.get("file")
    if upload is None:
        raise BadRequest("Send the file in the 'file' field.")
    return upload.filename or "", upload.stream


class KindList(Resource):
    schemas = {"get": {"response": KindRef, "many": True, "key": "kinds", "paged": False}}

    @login_required
    def get(self):
        """The kinds of import the caller may run, with their column reference."""
        user = current_user()
        kinds = [k().describe() for k in service.KINDS.values() if user.can(*k.permission)]
        return ok({"kinds": KindRef(many=True).dump(kinds)}, "Import kinds retrieved")


class Template(Resource):
    schemas: dict[str, Any] = {"get": {}}

    @login_required
    def get(self, kind: str):
        """The XLSX template of a kind: header row, example row, pick lists for enums."""
        data = files.template(service.kind_of(kind, current_user()))
        response = current_app.response_class(data, mimetype=files.XLSX_TYPE)
        response.headers["Content-Disposition"] = f"attachment; filename={kind}-template.xlsx"
        return response


class Upload(Resource):
    schemas = {
        "post": {"form": ImportUpload, "response": ImportRead, "key": "import", "status": 201}
    }

    @login_required
    def post(self, kind: str):
        """Upload a CSV or XLSX file of ``kind``: stored and dry-run (the preview)."""
        service.kind_of(kind, current_user())
        filename, data = _file()
        imp = service.upload(actor=current_user(), kind=kind, filename=filename, data=data)
        return created({"import": _dump(imp)}, "Import uploaded")


class ImportList(Resource):
    schemas = {"get": {"response": ImportSummary, "many": True, "key": "imports", "paged": False}}

    @login_required
    def get(self):
        """The caller's last 50 imports, newest first."""
        stmt = (
            select(ImportJob)
            .where(ImportJob.created_by_id == current_user().id)
            .order_by(ImportJob.id.desc())
            .limit(50)
        )
        found = [_dump(i, ImportSummary()) for i in db.session.scalars(stmt)]
        return ok({"imports": found}, "Imports retrieved")


class ImportDetail(Resource):
    schemas = {"get": {"response": ImportRead, "key": "import"}}

    @login_required
    def get(self, import_id: int):
        """One import: status, preview counts, errors and live progress."""
        imp = service.get(actor=current_user(), import_id=import_id)
        return ok({"import": _dump(imp)}, "Import retrieved")


class ImportCommit(Resource):
    schemas = {"post": {"response": ImportRead, "key": "import"}}

    @login_required
    def post(self, import_id: int):
        """Apply a clean dry run (large imports continue in the background); retry a failed one."""
        imp = service.request_commit(actor=current_user(), import_id=import_id)
        return ok({"import": _dump(imp)}, "Import committing")


class ErrorReport(Resource):
    schemas: dict[str, Any] = {"get": {}}

    @login_required
    def get(self, import_id: int):
        """The input file with an ``error`` column, in its format (CSV or XLSX)."""
        imp = service.get(actor=current_user(), import_id=import_id)
        report = files.error_report(imp, service.limits())
        return send_file(
            report.file,
            mimetype=report.mimetype,
            as_attachment=True,
            download_name=report.filename,
        )


api.add_resource(KindList, "/imports/kinds")
api.add_resource(ImportList, "/imports")
api.add_resource(ImportDetail, "/imports/<int:import_id>")
api.add_resource(ImportCommit, "/imports/<int:import_id>/commit")
api.add_resource(ErrorReport, "/imports/<int:import_id>/error-report")
api.add_resource(Template, "/imports/<string:kind>/template")
api.add_resource(Upload, "/imports/<string:kind>")
