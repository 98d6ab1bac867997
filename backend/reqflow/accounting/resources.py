"""Thin resources: /invoices and their transitions, /payments, /reports/ap-aging."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, request
from flask_restful import Resource
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, undefer

from reqflow.accounting import aging, credit_resources, payments, pdf, service
from reqflow.accounting.models import UNPAID, Invoice, Payment
from reqflow.accounting.schemas import (
    AgingQuery,
    AgingRead,
    ApproveIn,
    InvoiceCreate,
    InvoiceDetail,
    InvoiceQuery,
    InvoiceRead,
    PaymentCreate,
    PaymentQuery,
    PaymentRead,
    RematchIn,
    VoidIn,
)
from reqflow.catalog.models import Supplier
from reqflow.catalog.service import like_pattern
from reqflow.core.api import make_api, paged
from reqflow.core.envelope import created, ok
from reqflow.core.idempotency import idempotent
from reqflow.core.pagination import apply_sort, paginate
from reqflow.core.printing import pdf_response
from reqflow.core.rbac import current_user, login_required, require_permission
from reqflow.core.schemas import load, query_args
from reqflow.core.tabular import CSV_MIME, XLSX_MIME
from reqflow.errors import Forbidden
from reqflow.purchasing.models import PurchaseOrder
from reqflow.reporting import tables
from reqflow.reporting.report_resources import respond

bp = Blueprint("accounting", __name__)
api = make_api(bp)

INVOICE_SORT = {
    "created_at": Invoice.created_at,
    "invoice_date": Invoice.invoice_date,
    "due_date": Invoice.due_date,
    "total_amount": Invoice.total_amount,
    "inv_number": Invoice.inv_number,
    "status": Invoice.status,
    "id": Invoice.id,
}


def _viewer() -> Any:
    user = current_user()
    if not service.can_view(user):
        raise Forbidden("You do not have permission to do this")
    return user


def _detail(invoice: Invoice, message: str, status: int = 200) -> Any:
    body = InvoiceDetail().dump(invoice)
    body["allowed_actions"] = service.allowed_actions(invoice, current_user())
    return (created if status == 201 else ok)({"invoice": body}, message)


def _body(schema: Any) -> dict[str, Any]:
    if not request.data:
        return schema.load({})  # type: ignore[no-any-return]
    return load(schema)


def _filters(query: Any, args: dict[str, Any]) -> Any:
    if args.get("status"):
        query = query.where(Invoice.status.in_(args["status"].split(",")))
    for field in ("supplier_id", "po_id"):
        if args.get(field) is not None:
            query = query.where(getattr(Invoice, field) == args[field])
    if args.get("overdue") is True:
        query = query.where(
            Invoice.status.in_([s.value for s in UNPAID]), Invoice.due_date < date.today()
        )
    if args.get("since") is not None:
        query = query.where(Invoice.invoice_date >= args["since"])
    if args.get("until") is not None:
        query = query.where(Invoice.invoice_date <= args["until"])
    if args.get("q"):
        pattern = like_pattern(args["q"].strip())
        suppliers = select(Supplier.id).where(Supplier.name.ilike(pattern, escape="\\"))
        orders = select(PurchaseOrder.id).where(PurchaseOrder.po_number.ilike(pattern, escape="\\"))
        query = query.where(
            or_(
                Invoice.inv_number.ilike(pattern, escape="\\"),
                Invoice.invoice_number.ilike(pattern, escape="\\"),
                Invoice.supplier_id.in_(suppliers),
                Invoice.po_id.in_(orders),
            )
        )
    return query


def invoice_list_query() -> Any:
    """The invoice list's query under this request's filters and sort, as the caller may see it."""
    query = _filters(service.visible_query(_viewer()), query_args(InvoiceQuery()))
    return apply_sort(query, INVOICE_SORT, "-created_at,-id")


def payment_list_query() -> Any:
    """The payment list's query under this request's filters and sort, as the caller may see it."""
    query = payments.list_query(current_user(), query_args(PaymentQuery()))
    return apply_sort(query, payments.SORTABLE, "-paid_on,-id")


class InvoiceList(Resource):
    schemas = {
        "get": {"query": InvoiceQuery, "response": InvoiceRead, "many": True, "key": "invoices"},
        "post": {"body": InvoiceCreate, "response": InvoiceDetail, "key": "invoice", "status": 201},
    }

    @login_required
    def get(self):
        """List invoices with filters (status, supplier, PO, overdue, dates, text) and pages."""
        query = invoice_list_query()
        plan = (
            joinedload(Invoice.supplier),
            joinedload(Invoice.purchase_order),
            joinedload(Invoice.recorded_by),
            joinedload(Invoice.approved_by),
            undefer(Invoice.attachment_count),
        )
        return paged(paginate(query, plan=plan), InvoiceRead(), "invoices", "Invoices retrieved")

    @require_permission("invoice", "create")
    @idempotent
    def post(self):
        """Record a supplier invoice against a PO; it is three-way matched at once."""
        invoice = service.record_invoice(actor=current_user(), data=load(InvoiceCreate()))
        return _detail(invoice, f"Invoice recorded: {invoice.status}", 201)


class InvoiceItem(Resource):
    schemas = {"get": {"response": InvoiceDetail, "key": "invoice"}}

    @login_required
    def get(self, invoice_id: int):
        """One invoice with its lines, match reasons, payments and my actions."""
        user = _viewer()
        invoice = service.get(invoice_id=invoice_id, actor=user)
        return _detail(invoice, "Invoice retrieved")


class InvoicePdf(Resource):
    schemas = {"get": {"files": ["application/pdf"]}}

    @login_required
    def get(self, invoice_id: int):
        """The invoice voucher (match result, approval, payments) as a PDF."""
        invoice = service.get(invoice_id=invoice_id, actor=_viewer())
        return pdf_response(pdf.render_invoice(invoice), f"{invoice.inv_number}.pdf")


class InvoiceApprove(Resource):
    schemas = {"post": {"body": ApproveIn, "response": InvoiceDetail, "key": "invoice"}}

    @require_permission("accounting", "manage")
    def post(self, invoice_id: int):
        """Approve a Matched invoice (an Exception needs ``override_reason``)."""
        data = _body(ApproveIn())
        invoice = service.approve(actor=current_user(), invoice_id=invoice_id, **data)
        return _detail(invoice, "Invoice approved")


class InvoiceVoid(Resource):
    schemas = {"post": {"body": VoidIn, "response": InvoiceDetail, "key": "invoice"}}

    @require_permission("accounting", "manage")
    def post(self, invoice_id: int):
        """Void an invoice before any payment."""
        invoice = service.void(actor=current_user(), invoice_id=invoice_id, **load(VoidIn()))
        return _detail(invoice, "Invoice voided")


class InvoiceRematch(Resource):
    schemas = {"post": {"body": RematchIn, "response": InvoiceDetail, "key": "invoice"}}

    @require_permission("invoice", "create")
    def post(self, invoice_id: int):
        """Three-way match the invoice again (after more receipts or a return)."""
        data = _body(RematchIn())
        invoice = service.rematch(actor=current_user(), invoice_id=invoice_id, **data)
        return _detail(invoice, f"Invoice is {invoice.status}")


class PaymentList(Resource):
    schemas = {
        "get": {"query": PaymentQuery, "response": PaymentRead, "many": True, "key": "payments"},
        "post": {"body": PaymentCreate, "response": PaymentRead, "key": "payment", "status": 201},
    }

    @login_required
    def get(self):
        """List payments (filters: invoice, supplier, method, paid between from and to)."""
        query = payment_list_query()
        plan = (
            joinedload(Payment.invoice),
            joinedload(Payment.supplier),
            joinedload(Payment.recorded_by),
        )
        return paged(paginate(query, plan=plan), PaymentRead(), "payments", "Payments retrieved")

    @require_permission("payment", "process")
    @idempotent
    def post(self):
        """Record a payment of an approved invoice (PAY-…)."""
        payment = payments.pay(actor=current_user(), data=load(PaymentCreate()))
        return created({"payment": PaymentRead().dump(payment)}, "Payment recorded")


class ApAging(Resource):
    schemas = {
        "get": {
            "query": AgingQuery,
            "response": AgingRead,
            "key": "ap_aging",
            "files": [CSV_MIME, XLSX_MIME],
        }
    }

    @require_permission("reports", "financial")
    def get(self):
        """Open payables per supplier by days past due (current, 1–30, 31–60, 61–90, > 90);
        ``format=csv|xlsx`` downloads the same rows and a total row."""
        args = query_args(AgingQuery())
        report = aging.ap_aging(
            as_of=args.get("as_of") or date.today(), supplier_id=args.get("supplier_id")
        )
        table = (tables.AGING, tables.aging_rows)
        return respond(AgingRead().dump(report), args["format"], "ap_aging", table, "AP aging")


api.add_resource(InvoiceList, "/invoices")
api.add_resource(InvoiceItem, "/invoices/<int:invoice_id>")
api.add_resource(InvoicePdf, "/invoices/<int:invoice_id>/pdf")
api.add_resource(InvoiceApprove, "/invoices/<int:invoice_id>/approve")
api.add_resource(InvoiceVoid, "/invoices/<int:invoice_id>/void")
api.add_resource(InvoiceRematch, "/invoices/<int:invoice_id>/rematch")
api.add_resource(PaymentList, "/payments")
api.add_resource(ApAging, "/reports/ap-aging")


# The AP aging report as a PDF (printable documents).
class ApAgingPdf(Resource):
    schemas = {"get": {"query": AgingQuery, "files": ["application/pdf"]}}

    @require_permission("reports", "financial")
    def get(self):
        """The AP aging report as a PDF, with the same arguments as the report."""
        args = query_args(AgingQuery())
        as_of = args.get("as_of") or date.today()
        report = aging.ap_aging(as_of=as_of, supplier_id=args.get("supplier_id"))
        return pdf_response(pdf.render_aging(report), f"ap-aging-{as_of:%Y-%m-%d}.pdf")


api.add_resource(ApAgingPdf, "/reports/ap-aging/pdf")
credit_resources.register(api)
