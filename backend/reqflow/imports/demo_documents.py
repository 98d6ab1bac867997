"""Demo documents through the domain services (so states, approval steps and audit are real):
requisitions waiting at each approval step, approved ones turned into purchase orders, some
sent, partly or wholly received, invoiced (matched and paid, or in exception); then backdated
over the last six months (``demo_history``). Seeded once (skipped when any requisition exists)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from reqflow.accounting import payments
from reqflow.accounting import service as accounting
from reqflow.accounting.schemas import InvoiceCreate, PaymentCreate
from reqflow.catalog.models import Item
from reqflow.core.models import utcnow
from reqflow.extensions import db
from reqflow.identity.models import User
from reqflow.imports.demo_history import backdate, orders_of
from reqflow.inventory import service as inventory
from reqflow.inventory.models import StorageLocation
from reqflow.inventory.schemas import ReceiveIn
from reqflow.purchasing import transitions
from reqflow.purchasing.models import PurchaseOrder
from reqflow.requisitions import service as requisitions
from reqflow.requisitions.models import Requisition
from reqflow.requisitions.schemas import RequisitionCreate

# How far each demo requisition goes: draft, at the line manager, at procurement, approved
# (draft PO, or every other one a PO approved and waiting to be sent), PO sent.
STAGES = ("draft", "line_manager", "procurement", "approved", "sent")
COUNT = 40
METHOD = "Bank Transfer"


def _people() -> dict[str, User]:
    return {u.username: u for u in db.session.scalars(select(User))}


# Two requisitions of high value: one waits for the ProcurementMgr's approval, the other is
# approved by them and its PO (above the PO threshold) waits for their approval too.
HIGH_VALUE = {33: Decimal("7000"), 29: Decimal("12000")}  # lines with a supplier


def _quantity(item: Item, n: int, k: int) -> int:
    if k == 0 and n in HIGH_VALUE:
        return int(HIGH_VALUE[n] / (item.last_price or Decimal("10.00"))) + 1
    return 1 + (n + k) % 8


def _body(items: list[Item], n: int) -> dict[str, Any]:
    lines = []
    for k in range(1 + n % 3):
        item = items[(n * 7 + k * 13) % len(items)]
        lines.append(
            {
                "description": item.name,
                "item_id": item.id,
                "quantity": str(_quantity(item, n, k)),
                "uom": item.uom,
                "estimated_unit_price": str(item.last_price or Decimal("10.00")),
                # now and then a line with no supplier in mind: it waits in the sourcing queue
                "suggested_supplier_id": None if (n + k) % 7 == 6 else item.preferred_supplier_id,
            }
        )
    return RequisitionCreate().load(
        {"purpose": "Daily Operations", "justification": f"Demo request {n + 1}", "items": lines}
    )


def _advance(req: Requisition, stage: str, people: dict[str, User]) -> None:
    if stage == "draft":
        return
    requisitions.submit(actor=people["engineer"], requisition_id=req.id)
    if stage == "line_manager":
        return
    requisitions.approve(actor=people["leadeng"], requisition_id=req.id, comment="Needed")
    if stage == "procurement":
        return
    requisitions.approve(actor=people["buyer"], requisition_id=req.id, comment="OK")
    status = db.session.scalar(select(Requisition.status).where(Requisition.id == req.id))
    if stage == "sent" and status != "Approved":  # high value: the ProcurementMgr's step
        requisitions.approve(actor=people["procmgr"], requisition_id=req.id, comment="Go ahead")
    if stage == "approved" and req.id % 2:
        for po_id in orders_of(req.id):  # approved on submit (below the threshold), not sent
            transitions.submit(actor=people["buyer"], po_id=po_id)
    if stage == "sent":
        for po_id in orders_of(req.id):
            transitions.submit(actor=people["buyer"], po_id=po_id)
            po = db.session.get(PurchaseOrder, po_id)
            if po is not None and po.status == "Approved":
                transitions.send(actor=people["buyer"], po_id=po_id)
                _fulfil(po_id, req.id, people)


def _receive(po: PurchaseOrder, people: dict[str, User], *, whole: bool) -> int | None:
    """Receive every line (``whole``) or one unit less of each line of more than one."""
    location = db.session.scalar(select(StorageLocation.id).order_by(StorageLocation.id))
    wanted = [(line.id, line.quantity if whole else line.quantity - 1) for line in po.lines]
    lines = [
        {"po_line_id": line_id, "quantity": str(qty), "location_id": location}
        for line_id, qty in wanted
        if qty > 0
    ]
    if not lines:
        return None
    receipt = inventory.receive(
        actor=people["storekeeper"], data=ReceiveIn().load({"po_id": po.id, "lines": lines})
    )
    return receipt.id


def _invoice(po: PurchaseOrder, people: dict[str, User], markup: Decimal) -> int:
    lines = [
        {"po_line_id": line.id, "quantity": str(line.quantity),
         "unit_price": str((line.unit_price * markup).quantize(Decimal("0.01")))}
        for line in po.lines
    ]  # fmt: skip
    body = {"po_id": po.id, "invoice_number": f"DEMO-{po.id}", "lines": lines,
            "invoice_date": utcnow().date().isoformat()}  # fmt: skip
    invoice = accounting.record_invoice(actor=people["accountant"], data=InvoiceCreate().load(body))
    return invoice.id


def _fulfil(po_id: int, requisition_id: int, people: dict[str, User]) -> None:
    """Sent only, partly received, or received and invoiced (matched and approved, paid or
    not yet / exception)."""
    variant = requisition_id % 4
    po = db.session.get(PurchaseOrder, po_id)
    if po is None or variant == 0:
        return
    if variant == 1:
        _receive(po, people, whole=False)
        return
    receipt_id = _receive(po, people, whole=True)
    assert receipt_id is not None
    inventory.accept(actor=people["engineer"], receipt_id=receipt_id, comment="All good")
    po = db.session.get(PurchaseOrder, po_id)
    assert po is not None
    if variant == 3:
        _invoice(po, people, Decimal("1.10"))  # 10 % over the PO price: an exception
        return
    invoice_id = _invoice(po, people, Decimal("1"))
    invoice = accounting.approve(actor=people["controller"], invoice_id=invoice_id)
    if requisition_id % 8 == 6:
        return  # approved, not paid yet: an open payable (invoices due, AP aging)
    payments.pay(
        actor=people["accountant"],
        data=PaymentCreate().load(
            {"invoice_id": invoice_id, "amount": str(invoice.total_amount), "method": METHOD}
        ),
    )


def seed_documents() -> int:
    """Requisitions in every approval state and purchase orders, spread over six months."""
    if db.session.scalar(select(Requisition.id).limit(1)) is not None:
        return 0
    people = _people()
    items = list(db.session.scalars(select(Item).where(Item.last_price.is_not(None)).limit(200)))
    for n in range(COUNT):
        req = requisitions.create(actor=people["engineer"], data=_body(items, n))
        _advance(req, STAGES[n % len(STAGES)], people)
        backdate(req.id, utcnow() - timedelta(days=180 * (COUNT - n) // COUNT))
    return COUNT
