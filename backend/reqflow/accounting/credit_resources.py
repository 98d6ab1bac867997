"""POST /supplier-returns/{id}/credit: the supplier's credit note (registered on the
accounting blueprint's Api: it changes the payable)."""

from __future__ import annotations

from typing import Any

from flask_restful import Resource

from reqflow.accounting import credits
from reqflow.core.envelope import ok
from reqflow.core.rbac import current_user, require_permission
from reqflow.core.schemas import load
from reqflow.inventory.return_resources import dump
from reqflow.inventory.return_schemas import CreditIn, ReturnRead


class ReturnCredit(Resource):
    schemas = {"post": {"body": CreditIn, "response": ReturnRead, "key": "return"}}

    @require_permission("invoice", "create")
    def post(self, return_id: int):
        """Record the supplier's credit note for a shipped-back return: Credited, and the
        PO's open invoice has that much less to pay."""
        data = load(CreditIn())
        rtv = credits.credit(actor=current_user(), return_id=return_id, **data)
        return ok({"return": dump(rtv)}, "Credit note recorded")


def register(api: Any) -> None:
    api.add_resource(ReturnCredit, "/supplier-returns/<int:return_id>/credit")
