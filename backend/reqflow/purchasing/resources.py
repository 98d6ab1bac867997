"""Thin resources for /purchase-orders, their transitions and PDF, and /sourcing/queue."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, request
from flask_restful import Resource
from sqlalchemy.orm import joinedload, selectinload, undefer

from reqflow.core.api import make_api, paged
from reqflow.core.envelope import created, ok
from reqflow.core.idempotency import idempotent
from reqflow.core.pagination import apply_sort, paginate
from reqflow.core.printing import pdf_response
from reqflow.core.rbac import current_user, require_permission
from reqflow.core.schemas import load, query_args, shared
from reqflow.errors import Forbidden
from reqflow.purchasing import pdf, queries, rfq_resources, service, sourcing, transitions
from reqflow.purchasing.models import PurchaseOrder
from reqflow.purchasing.schemas import (
    POCancelIn,
    POStatusIn,
    POTransitionIn,
    PurchaseOrderCreate,
    PurchaseOrderDetail,
    PurchaseOrderQuery,
    PurchaseOrderRead,
    PurchaseOrderUpdate,
    QueueLineRead,
    QueueQuery,
)

bp = Blueprint("purchasing", __name__)
api = make_api(bp)


def po_access(fn: Callable[..., Any]) -> Callable[..., Any]:
    """403 unless the caller holds some purchase-order permission (view, create, …)."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not service.can_view_any(current_user()):
            raise Forbidden("You do not have permission to do this")
        return fn(*args, **kwargs)

    return wrapper


def detail_body(po: PurchaseOrder) -> dict[str, Any]:
    body = shared(PurchaseOrderDetail).dump(po)
    body["requisitions"] = service.linked_requisitions([po.id])[po.id]
    body["allowed_actions"] = transitions.allowed_actions(po, current_user())
    return body


def _detail(po: PurchaseOrder, message: str, status: int = 200) -> Any:
    return (created if status == 201 else ok)({"purchase_order": detail_body(po)}, message)


def _body(schema: Any) -> dict[str, Any]:
    """A transition's optional JSON body."""
    if not request.data:
        return schema.load({})  # type: ignore[no-any-return]
    return load(schema)


def list_query() -> Any:
    """The purchase-order list's query under this request's filters and sort, as the caller
    may see it (403 without any purchase-order permission)."""
    user = current_user()
    if not service.can_view_any(user):
        raise Forbidden("You do not have permission to do this")
    query = queries.apply_filters(
        service.visible_query(user), query_args(shared(PurchaseOrderQuery))
    )
    return apply_sort(query, queries.SORTABLE, "-created_at,-id")


class PurchaseOrderList(Resource):
    schemas = {
        "get": {
            "query": PurchaseOrderQuery,
            "response": PurchaseOrderRead,
            "many": True,
            "key": "purchase_orders",
        },
        "post": {
            "body": PurchaseOrderCreate,
            "response": PurchaseOrderDetail,
            "key": "purchase_order",
            "status": 201,
        },
    }

    @po_access
    def get(self):
        """List the purchase orders I may see, with filters, search, sorting and pages."""
        query = list_query()
        plan = (
            selectinload(PurchaseOrder.lines),
            joinedload(PurchaseOrder.supplier),
            joinedload(PurchaseOrder.created_by),
            joinedload(PurchaseOrder.approved_by),
            undefer(PurchaseOrder.attachment_count),
        )
        return paged(
            paginate(query, plan=plan),
            shared(PurchaseOrderRead),
            "purchase_orders",
            "Purchase orders retrieved",
        )

    @require_permission("po", "create")
    @idempotent
    def post(self):
        """Create a Draft purchase order for one supplier from queue lines or free lines."""
        po = service.create(actor=current_user(), data=load(PurchaseOrderCreate()))
        return _detail(po, "Purchase order created", 201)


class PurchaseOrderItem(Resource):
    schemas = {
        "get": {"response": PurchaseOrderDetail, "key": "purchase_order"},
        "put": {
            "body": PurchaseOrderUpdate,
            "response": PurchaseOrderDetail,
            "key": "purchase_order",
        },
    }

    @po_access
    def get(self, po_id: int):
        """One purchase order with lines, supplier, linked requisitions and my actions."""
        return _detail(service.get(po_id=po_id, actor=current_user()), "Purchase order retrieved")

    @require_permission("po", "manage")
    def put(self, po_id: int):
        """Edit a Draft (send the current ``version``)."""
        data = load(PurchaseOrderUpdate())
        po = service.update(actor=current_user(), po_id=po_id, data=data)
        return _detail(po, "Purchase order updated")


class PurchaseOrderStatus(Resource):
    schemas = {
        "put": {"body": POStatusIn, "response": PurchaseOrderDetail, "key": "purchase_order"}
    }

    @po_access
    def put(self, po_id: int):
        """Move the purchase order to ``status`` (submit, approve, send, cancel, close)."""
        data = load(POStatusIn())
        po = transitions.change_status(actor=current_user(), po_id=po_id, **data)
        return _detail(po, f"Purchase order is {po.status}")


class PurchaseOrderPdf(Resource):
    schemas = {"get": {"files": ["application/pdf"]}}

    @po_access
    def get(self, po_id: int):
        """The purchase order as a PDF document."""
        po = service.get(po_id=po_id, actor=current_user())
        return pdf_response(pdf.render_po_pdf(po.id), pdf.filename(po.po_number))


def _transition(name: str, schema: Any, call: Any, message: str) -> type[Resource]:
    class Transition(Resource):
        schemas = {
            "post": {"body": schema, "response": PurchaseOrderDetail, "key": "purchase_order"}
        }

        @po_access
        def post(self, po_id: int):
            data = _body(schema())
            return _detail(call(actor=current_user(), po_id=po_id, **data), message)

    Transition.__name__ = f"PurchaseOrder{name.title()}"
    Transition.post.__doc__ = f"{name.title()} the purchase order."
    return Transition


class SourcingQueue(Resource):
    schemas = {
        "get": {"query": QueueQuery, "response": QueueLineRead, "many": True, "key": "queue"}
    }

    @require_permission("po", "create")
    def get(self):
        """Approved requisition lines that no purchase order covers yet."""
        query = sourcing.queue_query(query_args(QueueQuery()))
        page = paginate(apply_sort(query, sourcing.QUEUE_SORT, "needed_by,id"))
        rows = QueueLineRead().dump(sourcing.queue_rows(page.items), many=True)
        return ok(
            {"queue": rows, "pagination": page.meta()},
            "Sourcing queue retrieved",
            headers=page.headers(),
        )


api.add_resource(PurchaseOrderList, "/purchase-orders")
api.add_resource(PurchaseOrderItem, "/purchase-orders/<int:po_id>")
api.add_resource(PurchaseOrderStatus, "/purchase-orders/<int:po_id>/status")
api.add_resource(PurchaseOrderPdf, "/purchase-orders/<int:po_id>/pdf")
api.add_resource(SourcingQueue, "/sourcing/queue")
for _name, _schema, _call, _message in (
    ("submit", POTransitionIn, transitions.submit, "Purchase order submitted"),
    ("approve", POTransitionIn, transitions.approve, "Purchase order approved"),
    ("send", POTransitionIn, transitions.send, "Purchase order sent"),
    ("cancel", POCancelIn, transitions.cancel, "Purchase order cancelled"),
    ("close", POTransitionIn, transitions.close, "Purchase order closed"),
    ("return", POCancelIn, transitions.return_to_buyer, "Purchase order returned to the buyer"),
):
    api.add_resource(
        _transition(_name, _schema, _call, _message),
        f"/purchase-orders/<int:po_id>/{_name}",
        endpoint=f"purchase_order_{_name}",
    )
rfq_resources.register(api)
