"""/approvals/pending (the inbox), /approval-policies, /delegations."""

from __future__ import annotations

from flask import Blueprint
from flask_restful import Resource
from sqlalchemy.orm import joinedload

from reqflow.approvals import service
from reqflow.approvals.counts import inbox_counts
from reqflow.approvals.models import ApprovalStep, Delegation
from reqflow.approvals.schemas import DelegationCreate, DelegationRead, InboxItemRead, PolicySet
from reqflow.core.api import make_api, paged
from reqflow.core.envelope import created, ok
from reqflow.core.idempotency import idempotent
from reqflow.core.pagination import apply_sort, paginate
from reqflow.core.rbac import current_user, login_required, require_permission
from reqflow.core.schemas import load, shared

bp = Blueprint("approvals", __name__)
api = make_api(bp)


class Inbox(Resource):
    schemas = {"get": {"response": InboxItemRead, "many": True, "key": "approvals"}}

    @login_required
    def get(self):
        """My approval inbox: pending steps I (or those I stand in for) may decide."""
        query = service.inbox_query(current_user())
        query = apply_sort(
            query,
            {
                "due_at": ApprovalStep.due_at,
                "amount": ApprovalStep.amount,
                "activated_at": ApprovalStep.activated_at,
            },
            "due_at",
        )
        plan = (joinedload(ApprovalStep.requester), joinedload(ApprovalStep.approver))
        total = inbox_counts(current_user())["approvals_waiting"]
        page = paginate(query, plan=plan, total=total)
        return paged(page, shared(InboxItemRead), "approvals", "Pending approvals")


class Policies(Resource):
    schemas = {
        "get": {"response": PolicySet, "key": None},
        "put": {"body": PolicySet, "response": PolicySet, "key": None},
    }

    @login_required
    def get(self):
        """The active approval policies, first match wins (lowest priority number)."""
        return ok(PolicySet().dump({"policies": service.list_policies()}), "Approval policies")

    @require_permission("approval_policy", "manage")
    def put(self):
        """Replace the approval policies."""
        data = load(PolicySet())
        policies = service.replace_policies(actor=current_user(), rules=data["policies"])
        return ok(PolicySet().dump({"policies": policies}), "Approval policies updated")


class Delegations(Resource):
    schemas = {
        "get": {"response": DelegationRead, "many": True, "key": "delegations"},
        "post": {
            "body": DelegationCreate,
            "response": DelegationRead,
            "key": "delegation",
            "status": 201,
        },
    }

    @login_required
    def get(self):
        """Delegations I gave or received."""
        query = apply_sort(
            service.delegations_query(current_user()),
            {"starts_on": Delegation.starts_on},
            "-starts_on",
        ).options(joinedload(Delegation.delegator), joinedload(Delegation.delegate))
        return paged(paginate(query), DelegationRead(), "delegations", "Delegations")

    @login_required
    @idempotent
    def post(self):
        """Create an out-of-office delegation of my approvals."""
        delegation = service.create_delegation(actor=current_user(), **load(DelegationCreate()))
        return created({"delegation": DelegationRead().dump(delegation)}, "Delegation created")


class DelegationCancel(Resource):
    schemas = {"post": {"response": DelegationRead, "key": "delegation"}}

    @login_required
    def post(self, delegation_id: int):
        """End a delegation early."""
        delegation = service.cancel_delegation(actor=current_user(), delegation_id=delegation_id)
        return ok({"delegation": DelegationRead().dump(delegation)}, "Delegation cancelled")


api.add_resource(Inbox, "/approvals/pending")
api.add_resource(Policies, "/approval-policies")
api.add_resource(Delegations, "/delegations")
api.add_resource(DelegationCancel, "/delegations/<int:delegation_id>/cancel")
