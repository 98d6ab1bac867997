from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_restful import Resource

from reqflow.audit import service
from reqflow.audit.documents import readable
from reqflow.audit.models import AuditLog
from reqflow.audit.schemas import AuditLogQuery, AuditLogRead
from reqflow.core.api import make_api
from reqflow.core.envelope import ok
from reqflow.core.pagination import apply_sort, paginate
from reqflow.core.rbac import current_user, require_permission
from reqflow.core.schemas import query_args
from reqflow.errors import Forbidden

bp = Blueprint("audit", __name__)
api = make_api(bp)


def list_query() -> Any:
    """The audit-log list's query under this request's filters and sort (audit:view)."""
    if not current_user().can("audit", "view"):
        raise Forbidden("You do not have permission to do this")
    query = service.list_query(**query_args(AuditLogQuery()))
    return apply_sort(
        query, {"created_at": AuditLog.created_at, "id": AuditLog.id}, "-created_at,-id"
    )


class AuditLogList(Resource):
    schemas = {
        "get": {"query": AuditLogQuery, "response": AuditLogRead, "many": True, "key": "audit_logs"}
    }

    @require_permission("audit", "view")
    def get(self):
        """Search the audit log (actor, action, resource, date range)."""
        page = paginate(list_query())
        rows = readable(page.items, AuditLogRead().dump(page.items, many=True))
        data = {"audit_logs": rows, "pagination": page.meta()}
        return ok(data, "Audit log retrieved", headers=page.headers())


api.add_resource(AuditLogList, "/audit-logs")
