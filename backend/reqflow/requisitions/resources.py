"""Thin resources for /requisitions and their transitions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask_restful import Resource

from reqflow.approvals import service as approvals
from reqflow.approvals.schemas import ApprovalStepRead
from reqflow.core.api import make_api
from reqflow.core.envelope import created, ok
from reqflow.core.idempotency import idempotent
from reqflow.core.pagination import COUNT_CAP, apply_sort, count_rows, paginate
from reqflow.core.printing import pdf_response
from reqflow.core.rbac import current_user, login_required, require_permission
from reqflow.core.schemas import load, query_args, shared
from reqflow.requisitions import list_rows, pdf, queries, service
from reqflow.requisitions.detail import detail_body, read_body
from reqflow.requisitions.models import Requisition
from reqflow.requisitions.schemas import (
    DecisionIn,
    QuestionIn,
    RejectIn,
    RequisitionCreate,
    RequisitionDetail,
    RequisitionQuery,
    RequisitionRead,
    RequisitionUpdate,
    TransitionIn,
)

bp = Blueprint("requisitions", __name__)
api = make_api(bp)


def _detail(requisition: Requisition, message: str, status: int = 200) -> Any:
    body = detail_body(requisition, current_user())
    return (created if status == 201 else ok)({"requisition": body}, message)


def _body(schema: Any) -> dict[str, Any]:
    """A transition's optional JSON body (comment / reason / question, ``version``)."""
    if not request.data:
        return schema.load({})  # type: ignore[no-any-return]
    return load(schema)


def list_query() -> Any:
    """The requisitions list's query under this request's filters and sort, as the caller
    may see it (the list pages it; the export streams it)."""
    user = current_user()
    args = query_args(shared(RequisitionQuery))
    query = queries.apply_filters(service.visible_query(user), args, user.id)
    return apply_sort(query, queries.SORTABLE, "-created_at,-id")


class RequisitionList(Resource):
    schemas = {
        "get": {
            "query": RequisitionQuery,
            "response": RequisitionRead,
            "many": True,
            "key": "requisitions",
        },
        "post": {
            "body": RequisitionCreate,
            "response": RequisitionDetail,
            "key": "requisition",
            "status": 201,
        },
    }

    @login_required
    def get(self):
        """List the requisitions I may see, with filters, search, sorting and pages."""
        query = list_query()
        # A text search counts at most 1 000 matches: counting every match of a common word
        # over 100 000 requisitions costs more than the page itself.
        cap = 1_000 if request.args.get("q") else COUNT_CAP
        page = paginate(query, cap=cap, ids_only=True, total=count_rows(query, cap))
        # The rows from Core, shaped as RequisitionRead dumps them (list_rows).
        data = {"requisitions": list_rows.page_dicts(page.items), "pagination": page.meta()}
        return ok(data, "Requisitions retrieved successfully", headers=page.headers())

    @require_permission("requisition", "create")
    @idempotent
    def post(self):
        """Create a Draft requisition."""
        requisition = service.create(actor=current_user(), data=load(RequisitionCreate()))
        return _detail(requisition, "Requisition created", 201)


class RequisitionItemResource(Resource):
    schemas = {
        "get": {"response": RequisitionDetail, "key": "requisition"},
        "put": {"body": RequisitionUpdate, "response": RequisitionDetail, "key": "requisition"},
        "delete": {},
    }

    @login_required
    def get(self, requisition_id: int):
        """One requisition with items, approval history and what I may do with it."""
        # Read from Core rows (detail_rows), the same answer as a write's from its objects.
        body = read_body(requisition_id, current_user())
        return ok({"requisition": body}, "Requisition retrieved")

    @login_required
    def put(self, requisition_id: int):
        """Edit a Draft or Questioned requisition (send the current ``version``)."""
        requisition = service.update(
            actor=current_user(), requisition_id=requisition_id, data=load(RequisitionUpdate())
        )
        return _detail(requisition, "Requisition updated")

    @login_required
    def delete(self, requisition_id: int):
        """Delete a Draft."""
        service.delete_draft(actor=current_user(), requisition_id=requisition_id)
        return ok(None, "Requisition deleted")


def _transition(name: str, schema: Any, call: Any, message: str | None) -> type[Resource]:
    class Transition(Resource):
        schemas = {"post": {"body": schema, "response": RequisitionDetail, "key": "requisition"}}

        @login_required
        def post(self, requisition_id: int):
            data = _body(schema())
            requisition = call(actor=current_user(), requisition_id=requisition_id, **data)
            text = message or (
                "Requisition approved"
                if requisition.status == "Approved"
                else f"Step approved; the requisition is now {requisition.status}"
            )
            return _detail(requisition, text)

    Transition.__name__ = f"Requisition{name.title()}"
    Transition.post.__doc__ = f"{name.title()} the requisition."
    return Transition


class RequisitionCopy(Resource):
    schemas = {"post": {"response": RequisitionDetail, "key": "requisition", "status": 201}}

    @require_permission("requisition", "create")
    @idempotent
    def post(self, requisition_id: int):
        """Copy a requisition I may see into a new Draft of mine (e.g. a rejected one)."""
        requisition = service.copy(actor=current_user(), requisition_id=requisition_id)
        return _detail(requisition, "Requisition copied into a new draft", 201)


class RequisitionPdf(Resource):
    schemas = {"get": {"files": ["application/pdf"]}}

    @login_required
    def get(self, requisition_id: int):
        """The requisition with its approval history as a PDF (for whoever sees its detail)."""
        requisition = service.get(requisition_id=requisition_id, actor=current_user())
        steps = approvals.history(service.DOC, requisition.id)
        data = pdf.render(requisition, steps)
        return pdf_response(data, f"{requisition.req_number}.pdf")


class RequisitionApprovals(Resource):
    schemas = {
        "get": {"response": ApprovalStepRead, "many": True, "key": "approvals", "paged": False}
    }

    @login_required
    def get(self, requisition_id: int):
        """Approval history of a requisition: every round and step with who, when, comment."""
        service.get(requisition_id=requisition_id, actor=current_user())
        steps = approvals.history(service.DOC, requisition_id)
        return ok(
            {"approvals": shared(ApprovalStepRead).dump(steps, many=True)}, "Approval history"
        )


api.add_resource(RequisitionList, "/requisitions")
api.add_resource(RequisitionItemResource, "/requisitions/<int:requisition_id>")
api.add_resource(RequisitionCopy, "/requisitions/<int:requisition_id>/copy")
api.add_resource(RequisitionPdf, "/requisitions/<int:requisition_id>/pdf")
api.add_resource(RequisitionApprovals, "/requisitions/<int:requisition_id>/approvals")
for _name, _schema, _call, _message in (
    ("submit", TransitionIn, service.submit, "Requisition submitted"),
    ("approve", DecisionIn, service.approve, None),
    ("reject", RejectIn, service.reject, "Requisition rejected"),
    ("question", QuestionIn, service.question, "Question sent to the requester"),
    ("cancel", TransitionIn, service.cancel, "Requisition cancelled"),
):
    api.add_resource(
        _transition(_name, _schema, _call, _message),
        f"/requisitions/<int:requisition_id>/{_name}",
        endpoint=f"requisition_{_name}",
    )
