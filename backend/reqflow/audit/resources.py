from __future__ import annotations

from flask import Blueprint
from flask_restful import Resource

from reqflow.audit import service
from reqflow.audit.models import AuditLog
from reqflow.audit.schemas import AuditLogQuery, AuditLogRead
from reqflow.core.api import make_api, paged
from reqflow.core.pagination import apply_sort, paginate
from reqflow.core.rbac import require_permission
from reqflow.core.schemas import query_args

bp = Blueprint("audit", __name__)
api = make_api(bp)


class AuditLogList(Resource):
    schemas = {
        "get": {"query": AuditLogQuery, "response": AuditLogRead, "many": True, "key": "audit_logs"}
    }

    @require_permission("audit", "view")
    def get(self):
        """Search the audit log (actor, action, resource, date range)."""
        query = service.list_query(**query_args(AuditLogQuery()))
        query = apply_sort(
            query, {"created_at": AuditLog.created_at, "id": AuditLog.id}, "-created_at,-id"
        )
        return paged(paginate(query), AuditLogRead(), "audit_logs", "Audit log retrieved")


api.add_resource(AuditLogList, "/audit-logs")
