"""GET /inbox (every decision waiting for me), POST /inbox/approve (bulk approval)."""

from __future__ import annotations

from flask import Blueprint
from flask_restful import Resource
from marshmallow import fields

from reqflow.core.api import make_api
from reqflow.core.envelope import ok
from reqflow.core.idempotency import idempotent
from reqflow.core.pagination import Page, page_args
from reqflow.core.rbac import current_user, login_required
from reqflow.core.schemas import load, query_args
from reqflow.inbox import service
from reqflow.inbox.schemas import BulkApproveIn, BulkResult, InboxItemRead, InboxQuery

bp = Blueprint("inbox", __name__)
api = make_api(bp)


class Inbox(Resource):
    schemas = {
        "get": {
            "query": InboxQuery,
            "response": InboxItemRead,
            "many": True,
            "key": "items",
            "extra": {"counts": fields.Dict(keys=fields.String(), values=fields.Integer())},
        }
    }

    @login_required
    def get(self):
        """Every decision waiting for me: requisition steps, PO approvals, invoice approvals
        and goods to accept, oldest due first, each with a preview of its lines."""
        args = query_args(InboxQuery())
        types = [t for t in (args.get("type") or "").split(",") if t] or None
        page, per_page = page_args()
        total, items, counts = service.inbox(
            actor=current_user(), types=types, page=page, per_page=per_page
        )
        meta = Page(items=items, page=page, per_page=per_page, total=total)
        return ok(
            {
                "items": InboxItemRead().dump(items, many=True),
                "counts": counts,
                "pagination": meta.meta(),
            },
            "Inbox",
            headers=meta.headers(),
        )


class BulkApprove(Resource):
    schemas = {
        "post": {
            "body": BulkApproveIn,
            "response": BulkResult,
            "many": True,
            "key": "results",
            "paged": False,
            "extra": {"approved": fields.Integer()},
        }
    }

    @login_required
    @idempotent
    def post(self):
        """Approve several documents with one comment; each is decided (authorised, audited)
        on its own and the result of each is reported."""
        data = load(BulkApproveIn())
        results = service.approve_many(actor=current_user(), **data)
        done = sum(1 for r in results if r["ok"])
        return ok(
            {"results": BulkResult().dump(results, many=True), "approved": done},
            f"{done} of {len(results)} approved",
        )


api.add_resource(Inbox, "/inbox")
api.add_resource(BulkApprove, "/inbox/approve")
