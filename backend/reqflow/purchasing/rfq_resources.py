"""Thin resources for /rfqs: create, compare, record quotes, award, send / close / cancel.

An RFQ is Sent on creation unless the body says ``"send": false`` (then POST …/send).
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_restful import Api, Resource
from marshmallow import fields

from reqflow.core.api import paged
from reqflow.core.envelope import created, ok
from reqflow.core.idempotency import idempotent
from reqflow.core.pagination import apply_sort, paginate
from reqflow.core.rbac import current_user, require_permission
from reqflow.core.schemas import load, query_args
from reqflow.purchasing import rfq
from reqflow.purchasing.rfq_compare import comparison
from reqflow.purchasing.rfq_models import Rfq
from reqflow.purchasing.rfq_schemas import (
    AwardIn,
    QuotesIn,
    RfqCreate,
    RfqDetail,
    RfqQuery,
    RfqRead,
    RfqTransitionIn,
)
from reqflow.purchasing.schemas import PurchaseOrderRead

SORTABLE = {
    "created_at": Rfq.created_at,
    "due_date": Rfq.due_date,
    "rfq_number": Rfq.rfq_number,
    "status": Rfq.status,
    "id": Rfq.id,
}


def _detail(item: Rfq, message: str, status: int = 200, **extra: Any) -> Any:
    body = {"rfq": RfqDetail().dump(comparison(item, current_user())), **extra}
    return (created if status == 201 else ok)(body, message)


class RfqList(Resource):
    schemas = {
        "get": {"query": RfqQuery, "response": RfqRead, "many": True, "key": "rfqs"},
        "post": {"body": RfqCreate, "response": RfqDetail, "key": "rfq", "status": 201},
    }

    @require_permission("rfq", "manage")
    def get(self):
        """List RFQs (filters: status, q over number and title)."""
        query = apply_sort(rfq.list_query(query_args(RfqQuery())), SORTABLE, "-created_at,-id")
        return paged(paginate(query), RfqRead(), "rfqs", "RFQs retrieved")

    @require_permission("rfq", "manage")
    @idempotent
    def post(self):
        """Create an RFQ for sourcing-queue lines, sent to the invited suppliers."""
        item = rfq.create(actor=current_user(), data=load(RfqCreate()))
        return _detail(item, "RFQ created", 201)


class RfqItem(Resource):
    schemas = {"get": {"response": RfqDetail, "key": "rfq"}}

    @require_permission("rfq", "manage")
    def get(self, rfq_id: int):
        """One RFQ with the side-by-side comparison of its quotes."""
        return _detail(rfq.get(rfq_id=rfq_id), "RFQ retrieved")


class RfqQuotes(Resource):
    schemas = {"post": {"body": QuotesIn, "response": RfqDetail, "key": "rfq"}}

    @require_permission("rfq", "manage")
    def post(self, rfq_id: int):
        """Record an invited supplier's quotes (price, lead time) for lines of the RFQ."""
        item = rfq.record_quotes(actor=current_user(), rfq_id=rfq_id, data=load(QuotesIn()))
        return _detail(item, "Quotes recorded")


class RfqAward(Resource):
    schemas = {
        "post": {
            "body": AwardIn,
            "response": RfqDetail,
            "key": "rfq",
            "status": 201,
            "extra": {
                "purchase_orders": fields.List(fields.Nested(PurchaseOrderRead), required=True)
            },
        }
    }

    @require_permission("rfq", "manage")
    @idempotent
    def post(self, rfq_id: int):
        """Award lines to suppliers: creates one Draft purchase order per awarded supplier."""
        item, orders = rfq.award(actor=current_user(), rfq_id=rfq_id, data=load(AwardIn()))
        pos = PurchaseOrderRead().dump(orders, many=True)
        return _detail(item, "RFQ awarded", 201, purchase_orders=pos)


def _transition(name: str, call: Any, message: str) -> type[Resource]:
    class Transition(Resource):
        schemas = {"post": {"body": RfqTransitionIn, "response": RfqDetail, "key": "rfq"}}

        @require_permission("rfq", "manage")
        def post(self, rfq_id: int):
            data = RfqTransitionIn().load({}) if not request.data else load(RfqTransitionIn())
            return _detail(call(actor=current_user(), rfq_id=rfq_id, **data), message)

    Transition.__name__ = f"Rfq{name.title()}"
    Transition.post.__doc__ = f"{name.title()} the RFQ."
    return Transition


def register(api: Api) -> None:
    api.add_resource(RfqList, "/rfqs")
    api.add_resource(RfqItem, "/rfqs/<int:rfq_id>")
    api.add_resource(RfqQuotes, "/rfqs/<int:rfq_id>/quotes")
    api.add_resource(RfqAward, "/rfqs/<int:rfq_id>/award")
    for name, call, message in (
        ("send", rfq.send, "RFQ sent"),
        ("close", rfq.close, "RFQ closed to further quotes"),
        ("cancel", rfq.cancel, "RFQ cancelled"),
    ):
        api.add_resource(
            _transition(name, call, message), f"/rfqs/<int:rfq_id>/{name}", endpoint=f"rfq_{name}"
        )
