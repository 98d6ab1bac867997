"""Thin resources for /supplier-returns (registered on the inventory blueprint's Api); the
credit note step is registered by accounting (``accounting.credit_resources``)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_restful import Resource
from sqlalchemy.orm import joinedload, selectinload

from reqflow.core.envelope import ok
from reqflow.core.pagination import apply_sort, paginate
from reqflow.core.rbac import current_user, login_required
from reqflow.core.schemas import load, query_args
from reqflow.errors import Forbidden
from reqflow.inventory import returns
from reqflow.inventory.return_models import SupplierReturn, SupplierReturnLine
from reqflow.inventory.return_schemas import ReturnQuery, ReturnRead, ReturnStepIn

SORT = {
    "created_at": SupplierReturn.created_at,
    "rtv_number": SupplierReturn.rtv_number,
    "status": SupplierReturn.status,
    "id": SupplierReturn.id,
}


def _reader() -> Any:
    user = current_user()
    if not returns.can_view(user):
        raise Forbidden("You do not have permission to do this")
    return user


def dump(rtv: SupplierReturn) -> dict[str, Any]:
    body = ReturnRead().dump(rtv)
    body["allowed_actions"] = returns.allowed_actions(rtv, current_user())
    return body


def step_body(schema: Any) -> dict[str, Any]:
    if not request.data:
        return schema.load({})  # type: ignore[no-any-return]
    return load(schema)


class ReturnList(Resource):
    schemas = {
        "get": {"query": ReturnQuery, "response": ReturnRead, "many": True, "key": "returns"}
    }

    @login_required
    def get(self):
        """Returns to suppliers, newest first; filter by PO, receipt or status."""
        user = _reader()
        args = query_args(ReturnQuery())
        query = returns.visible_query(user)
        for name in ("po_id", "receipt_id", "status"):
            if args.get(name) is not None:
                query = query.where(getattr(SupplierReturn, name) == args[name])
        plan = (
            selectinload(SupplierReturn.lines).joinedload(SupplierReturnLine.po_line),
            joinedload(SupplierReturn.purchase_order),
            joinedload(SupplierReturn.receipt),
            joinedload(SupplierReturn.created_by),
        )
        page = paginate(apply_sort(query, SORT, "-created_at,-id"), plan=plan)
        return ok(
            {"returns": [dump(x) for x in page.items], "pagination": page.meta()},
            "Returns to suppliers retrieved",
            headers=page.headers(),
        )


class ReturnItem(Resource):
    schemas = {"get": {"response": ReturnRead, "key": "return"}}

    @login_required
    def get(self, return_id: int):
        """One return to the supplier with its lines and what I may do with it."""
        rtv = returns.get(return_id=return_id, actor=_reader())
        return ok({"return": dump(rtv)}, "Return to supplier")


def _step(action: str, message: str) -> type[Resource]:
    class Step(Resource):
        schemas = {"post": {"body": ReturnStepIn, "response": ReturnRead, "key": "return"}}

        @login_required
        def post(self, return_id: int):
            data = step_body(ReturnStepIn())
            rtv = returns.transition(
                actor=current_user(), return_id=return_id, action=action, **data
            )
            return ok({"return": dump(rtv)}, message)

    Step.__name__ = f"Return{action.title()}"
    Step.post.__doc__ = {
        "ship": "The returned goods left for the supplier: Pending → Shipped Back.",
        "replace": "The supplier replaces the returned goods: Shipped Back → Replaced.",
    }[action]
    return Step


def register(api: Any) -> None:
    api.add_resource(ReturnList, "/supplier-returns")
    api.add_resource(ReturnItem, "/supplier-returns/<int:return_id>")
    for action, message in (("ship", "Return shipped back"), ("replace", "Return replaced")):
        api.add_resource(
            _step(action, message),
            f"/supplier-returns/<int:return_id>/{action}",
            endpoint=f"supplier_return_{action}",
        )
