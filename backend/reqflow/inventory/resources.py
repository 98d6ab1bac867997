"""Thin resources: /inventory (search, receipts, movements, low stock), /storage-locations."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask_restful import Resource
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload, undefer

from reqflow.catalog.service import like_pattern
from reqflow.core.api import make_api, paged
from reqflow.core.envelope import created, ok
from reqflow.core.idempotency import idempotent
from reqflow.core.pagination import apply_sort, paginate
from reqflow.core.printing import pdf_response
from reqflow.core.rbac import current_user, login_required, require_permission
from reqflow.core.schemas import load, query_args
from reqflow.errors import Forbidden
from reqflow.inventory import (
    location_resources,
    lowstock,
    pdf,
    return_resources,
    search,
    service,
    stock,
)
from reqflow.inventory.models import GoodsReceipt, GoodsReceiptLine, LineStatus
from reqflow.inventory.schemas import (
    AcceptIn,
    AdjustmentIn,
    DecideIn,
    InventoryQuery,
    InventoryRow,
    IssueIn,
    LowStockQuery,
    LowStockRequisitionIn,
    LowStockRow,
    ReceiptDetail,
    ReceiptQuery,
    ReceiptRead,
    ReceiveIn,
    RejectIn,
    TransferIn,
    TransferRead,
)
from reqflow.purchasing.models import PurchaseOrder
from reqflow.requisitions.detail import detail_body
from reqflow.requisitions.schemas import RequisitionDetail

bp = Blueprint("inventory", __name__)
api = make_api(bp)

RECEIPT_SORT = {
    "created_at": GoodsReceipt.created_at,
    "received_at": GoodsReceipt.received_at,
    "grn_number": GoodsReceipt.grn_number,
    "status": GoodsReceipt.status,
    "id": GoodsReceipt.id,
}


def _receipt(receipt: GoodsReceipt, message: str, status: int = 200) -> Any:
    body = ReceiptDetail().dump(receipt)
    user = current_user()
    mine = any(
        line.requester_id == user.id and line.status == LineStatus.PENDING for line in receipt.lines
    )
    body["allowed_actions"] = ["accept", "reject"] if mine and user.can("goods", "accept") else []
    return (created if status == 201 else ok)({"receipt": body}, message)


def _body(schema: Any) -> dict[str, Any]:
    if not request.data:
        return schema.load({})  # type: ignore[no-any-return]
    return load(schema)


def _receipt_reader() -> Any:
    user = current_user()
    if service.receipt_scope(user) is None:
        raise Forbidden("You do not have permission to do this")
    return user


def receipt_list_query() -> Any:
    """The goods-receipt list's query under this request's filters and sort, as the caller
    may see it (requesters: the receipts with their goods)."""
    user = _receipt_reader()
    args = query_args(ReceiptQuery())
    query = service.visible_receipts(user)
    if args.get("status"):
        query = query.where(GoodsReceipt.status == args["status"])
    if args.get("po_id") is not None:
        query = query.where(GoodsReceipt.po_id == args["po_id"])
    if args.get("mine"):
        mine = select(GoodsReceiptLine.receipt_id).where(GoodsReceiptLine.requester_id == user.id)
        query = query.where(GoodsReceipt.id.in_(mine))
    if args.get("since") is not None:
        query = query.where(GoodsReceipt.received_at >= args["since"])
    if args.get("until") is not None:
        query = query.where(GoodsReceipt.received_at <= args["until"])
    if args.get("q"):
        pattern = like_pattern(args["q"].strip())
        pos = select(PurchaseOrder.id).where(PurchaseOrder.po_number.ilike(pattern, escape="\\"))
        query = query.where(
            or_(GoodsReceipt.grn_number.ilike(pattern, escape="\\"), GoodsReceipt.po_id.in_(pos))
        )
    return apply_sort(query, RECEIPT_SORT, "-created_at,-id")


def inventory_list_query() -> Any:
    """The stock list's query under this request's filters and sort (inventory:search)."""
    if not current_user().can("inventory", "search"):
        raise Forbidden("You do not have permission to do this")
    query = search.inventory_query(query_args(InventoryQuery()))
    sortable: dict[str, Any] = search.SORTABLE  # expressions as well as columns
    return apply_sort(query, sortable, "name,location,id")


class Inventory(Resource):
    schemas = {
        "get": {"query": InventoryQuery, "response": InventoryRow, "many": True, "key": "inventory"}
    }

    @require_permission("inventory", "search")
    def get(self):
        """Search stock: rows per item, location and status, with reorder level and low stock."""
        page = search.paginate_rows(inventory_list_query())
        rows = InventoryRow().dump([search.inventory_row(r) for r in page.items], many=True)
        return ok(
            {"inventory": rows, "pagination": page.meta()},
            "Inventory retrieved",
            headers=page.headers(),
        )


class Receive(Resource):
    schemas = {
        "post": {"body": ReceiveIn, "response": ReceiptDetail, "key": "receipt", "status": 201}
    }

    @require_permission("goods", "receive")
    @idempotent
    def post(self):
        """Create a goods receipt (GRN) against a Sent or Partially Received purchase order."""
        receipt = service.receive(actor=current_user(), data=load(ReceiveIn()))
        return _receipt(receipt, f"Goods received on {receipt.grn_number}", 201)


class ReceiptList(Resource):
    schemas = {
        "get": {"query": ReceiptQuery, "response": ReceiptRead, "many": True, "key": "receipts"}
    }

    @login_required
    def get(self):
        """List the goods receipts I may see (requesters: those with their goods)."""
        query = receipt_list_query()
        plan = (
            selectinload(GoodsReceipt.lines),
            joinedload(GoodsReceipt.purchase_order),
            joinedload(GoodsReceipt.received_by),
            undefer(GoodsReceipt.attachment_count),
        )
        page = paginate(query, plan=plan)
        return paged(page, ReceiptRead(), "receipts", "Goods receipts retrieved")


class ReceiptItem(Resource):
    schemas = {"get": {"response": ReceiptDetail, "key": "receipt"}}

    @login_required
    def get(self, receipt_id: int):
        """One goods receipt with its lines, locations and what I may do with it."""
        user = _receipt_reader()
        return _receipt(service.get_receipt(receipt_id=receipt_id, actor=user), "Goods receipt")


class ReceiptPdf(Resource):
    schemas = {"get": {"files": ["application/pdf"]}}

    @login_required
    def get(self, receipt_id: int):
        """The goods receipt note as a PDF (for whoever sees the receipt)."""
        receipt = service.get_receipt(receipt_id=receipt_id, actor=_receipt_reader())
        return pdf_response(pdf.render(receipt), f"{receipt.grn_number}.pdf")


class ReceiptAccept(Resource):
    schemas = {"post": {"body": AcceptIn, "response": ReceiptDetail, "key": "receipt"}}

    @require_permission("goods", "accept")
    def post(self, receipt_id: int):
        """Accept my goods on this receipt: their stock becomes Available."""
        data = _body(AcceptIn())
        receipt = service.accept(actor=current_user(), receipt_id=receipt_id, **data)
        return _receipt(receipt, "Goods accepted")


class ReceiptReject(Resource):
    schemas = {"post": {"body": RejectIn, "response": ReceiptDetail, "key": "receipt"}}

    @require_permission("goods", "accept")
    def post(self, receipt_id: int):
        """Reject my goods on this receipt with a reason: they are returned to the supplier."""
        data = load(RejectIn())
        receipt = service.reject(actor=current_user(), receipt_id=receipt_id, **data)
        return _receipt(receipt, "Goods rejected; a return to the supplier is recorded")


class ReceiptDecide(Resource):
    schemas = {"post": {"body": DecideIn, "response": ReceiptDetail, "key": "receipt"}}

    @require_permission("goods", "accept")
    def post(self, receipt_id: int):
        """Accept my goods line by line, rejecting part or all of a line with a reason: the
        rejected quantities go back to the supplier on a return (RTV)."""
        data = load(DecideIn())
        receipt = service.decide(actor=current_user(), receipt_id=receipt_id, **data)
        return _receipt(receipt, "Goods decided")


class Transfer(Resource):
    schemas = {"put": {"body": TransferIn, "response": TransferRead, "key": "transfer"}}

    @require_permission("inventory", "manage")
    @idempotent
    def put(self, inventory_id: int):
        """Move Available stock of this row to another location (a repeated request with the
        same ``Idempotency-Key`` moves nothing more)."""
        data = load(TransferIn())
        source, target = stock.transfer(actor=current_user(), balance_id=inventory_id, **data)
        rows = {"from": source.id, "to": target.id}
        moved = {k: search.inventory_row_by_id(v) for k, v in rows.items()}
        return ok({"transfer": TransferRead().dump(moved)}, "Stock moved")


class Adjustments(Resource):
    schemas = {
        "post": {"body": AdjustmentIn, "response": InventoryRow, "key": "inventory", "status": 201}
    }

    @require_permission("inventory", "manage")
    @idempotent
    def post(self):
        """Adjust the Available stock of an item at a location by a signed quantity."""
        balance = stock.adjust(actor=current_user(), **load(AdjustmentIn()))
        row = InventoryRow().dump(search.inventory_row_by_id(balance.id))
        return created({"inventory": row}, "Stock adjusted")


class Issue(Resource):
    schemas = {
        "post": {"body": IssueIn, "response": InventoryRow, "key": "inventory", "status": 201}
    }

    @require_permission("inventory", "manage")
    @idempotent
    def post(self):
        """Issue Available stock of a row (to production, a project, a work order)."""
        data = load(IssueIn())
        balance = stock.issue(
            actor=current_user(),
            balance_id=data["inventory_id"],
            quantity=data["quantity"],
            note=data["note"],
        )
        row = InventoryRow().dump(search.inventory_row_by_id(balance.id))
        return created({"inventory": row}, "Stock issued")


class LowStock(Resource):
    schemas = {
        "get": {"query": LowStockQuery, "response": LowStockRow, "many": True, "key": "low_stock"}
    }

    @require_permission("inventory", "search")
    def get(self):
        """Items whose Available stock over all locations is below their reorder level."""
        args = query_args(LowStockQuery())
        query = apply_sort(search.low_stock_query(args.get("q")), search.LOW_STOCK_SORT, "sku")
        page = search.paginate_rows(query)
        rows = LowStockRow().dump([search.low_stock_row(r) for r in page.items], many=True)
        return ok(
            {"low_stock": rows, "pagination": page.meta()},
            "Low-stock items retrieved",
            headers=page.headers(),
        )


class LowStockRequisition(Resource):
    schemas = {
        "post": {
            "body": LowStockRequisitionIn,
            "response": RequisitionDetail,
            "key": "requisition",
            "status": 201,
        }
    }

    @require_permission("inventory", "search")
    @idempotent
    def post(self, item_id: int):
        """Create a Draft requisition replenishing this low-stock item."""
        data = _body(LowStockRequisitionIn())
        requisition = lowstock.requisition_for(actor=current_user(), item_id=item_id, **data)
        body = detail_body(requisition, current_user())  # the requisitions' own serializer
        return created({"requisition": body}, "Draft requisition created")


api.add_resource(Inventory, "/inventory")
api.add_resource(Receive, "/inventory/receive")
api.add_resource(ReceiptList, "/inventory/receipts")
api.add_resource(ReceiptItem, "/inventory/receipts/<int:receipt_id>")
api.add_resource(ReceiptPdf, "/inventory/receipts/<int:receipt_id>/pdf")
api.add_resource(ReceiptAccept, "/inventory/receipts/<int:receipt_id>/accept")
api.add_resource(ReceiptReject, "/inventory/receipts/<int:receipt_id>/reject")
api.add_resource(ReceiptDecide, "/inventory/receipts/<int:receipt_id>/decide")
api.add_resource(Transfer, "/inventory/<int:inventory_id>/location")
api.add_resource(Adjustments, "/inventory/adjustments")
api.add_resource(Issue, "/inventory/issue")
api.add_resource(LowStock, "/inventory/low-stock")
api.add_resource(LowStockRequisition, "/inventory/low-stock/<int:item_id>/requisition")
location_resources.register(api)
return_resources.register(api)
