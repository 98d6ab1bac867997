"""A small hand-built procure-to-pay history whose report figures are worked out by hand in
test_reports.py. Rows are inserted directly (no workflow), so every date and amount is exact."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D
from typing import Any

from reqflow.accounting.models import Invoice, InvoiceLine, Payment
from reqflow.approvals.models import ApprovalStep
from reqflow.catalog.models import Item, Supplier
from reqflow.extensions import db
from reqflow.identity.models import Department, User
from reqflow.inventory.models import GoodsReceipt, GoodsReceiptLine, StorageLocation
from reqflow.projects.models import Project
from reqflow.purchasing.models import PurchaseOrder, PurchaseOrderLine
from reqflow.requisitions.models import Requisition, RequisitionItem

EVIL_NAME = '=HYPERLINK("http://evil.example/","click")'


def at(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def _add(obj: Any) -> Any:
    db.session.add(obj)
    db.session.flush()
    return obj


def _people() -> dict[str, Any]:
    eng = _add(Department(name="Design", code="DSN"))
    ops = _add(Department(name="Plant", code="PLT"))
    people = {"eng": eng, "ops": ops}
    for key, name, role in (
        ("lead", "Lead Approver", "Engineer"),
        ("mgr", "Procurement Head", "ProcurementMgr"),
        ("admin", "Site Admin", "Admin"),
    ):
        people[key] = _add(
            User(
                username=f"rpt_{key}",
                email=f"rpt_{key}@example.com",
                full_name=name,
                password_hash="x",
                role=role,
                department_id=eng.id,
            )
        )
    return people


def _catalog() -> dict[str, Any]:
    return {
        "acme": _add(Supplier(code="ACME", name="Acme Tools")),
        "bolt": _add(Supplier(code="BOLT", name="Bolt & Co")),
        "evil": _add(Supplier(code="EVL", name=EVIL_NAME)),
        "bolts": _add(Item(sku="B-1", name="Bolt M8", category="Fasteners")),
        "oil": _add(Item(sku="O-1", name="Oil 5W", category="Fluids")),
        "apollo": _add(Project(code="APL", name="Apollo", budget_amount=D("1000.00"))),
        "boreal": _add(Project(code="BOR", name="Borealis", budget_amount=D("500.00"))),
        "bin": _add(StorageLocation(code="A-01", name="Aisle 1")),
    }


def _requisitions(p: dict[str, Any], c: dict[str, Any]) -> dict[str, Any]:
    def req(number: str, dept: Any, project: Any) -> Any:
        return _add(
            Requisition(
                req_number=number,
                requester_id=p["lead"].id,
                department_id=dept.id,
                project_id=project.id,
                purpose="project",
                status="Approved",
            )
        )

    r1, r2 = req("REQ-T1", p["eng"], c["apollo"]), req("REQ-T2", p["ops"], c["boreal"])

    def item(r: Any, no: int, it: Any, qty: str, price: str) -> Any:
        total = D(qty) * D(price)
        return _add(
            RequisitionItem(
                requisition_id=r.id, line_no=no, description=it.name, item_id=it.id,
                quantity=D(qty), estimated_unit_price=D(price), line_total=total,
            )
        )  # fmt: skip

    return {
        "r1": r1,
        "ri1": item(r1, 1, c["bolts"], "10", "10.00"),
        "ri2": item(r1, 2, c["oil"], "5", "20.00"),
        "ri3": item(r2, 1, c["bolts"], "20", "11.00"),
    }


def _po(number: str, supplier: Any, status: str, approved: datetime, expected: date | None,
        lines: list[tuple[Any, Any, str, str, str]]) -> Any:  # fmt: skip
    """lines: (requisition item or None, item, quantity, unit price, quantity received)."""
    subtotal = sum((D(q) * D(pr) for _, _, q, pr, _ in lines), D("0"))
    po = _add(
        PurchaseOrder(
            po_number=number, supplier_id=supplier.id, status=status, subtotal=subtotal,
            tax_rate=D("0"), tax_amount=D("0"), total_amount=subtotal, approved_at=approved,
            sent_at=approved.replace(day=approved.day + 1), expected_delivery_date=expected,
        )
    )  # fmt: skip
    po.made_lines = [
        _add(
            PurchaseOrderLine(
                po_id=po.id,
                line_no=no,
                requisition_item_id=ri.id if ri else None,
                item_id=it.id,
                description=it.name,
                quantity=D(q),
                unit_price=D(pr),
                line_total=D(q) * D(pr),
                quantity_received=D(rec),
            )
        )  # fmt: skip
        for no, (ri, it, q, pr, rec) in enumerate(lines, start=1)
    ]
    return po


def _orders(c: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    bolts, oil = c["bolts"], c["oil"]
    return {
        # sent the day after approval: PO1 sent 01-11 10:00, PO2 sent 02-06 00:00
        "po1": _po("PO-T1", c["acme"], "Received", at(1, 10, 10), date(2026, 1, 20),
                   [(r["ri1"], bolts, "10", "10.00", "10"), (r["ri2"], oil, "5", "20.00", "5")]),
        "po2": _po("PO-T2", c["acme"], "Partially Received", at(2, 5), date(2026, 2, 10),
                   [(r["ri3"], bolts, "20", "11.00", "15")]),
        "po3": _po("PO-T3", c["bolt"], "Sent", at(2, 15), date(2026, 2, 25),
                   [(None, oil, "10", "30.00", "0")]),
        "po4": _po("PO-T4", c["bolt"], "Cancelled", at(1, 1), None,
                   [(None, oil, "1", "999.00", "0")]),
        "po5": _po("PO-T5", c["evil"], "Approved", at(3, 1), None,
                   [(None, bolts, "1", "50.00", "0")]),
    }  # fmt: skip


def _receipt(number: str, po: Any, when: datetime, user: Any, loc: Any,
             lines: list[tuple[Any, str, str]]) -> None:  # fmt: skip
    grn = _add(GoodsReceipt(grn_number=number, po_id=po.id, status="Accepted", received_at=when,
                            received_by_id=user.id))  # fmt: skip
    for line, qty, status in lines:
        _add(
            GoodsReceiptLine(
                receipt_id=grn.id, po_line_id=line.id, item_id=line.item_id,
                stock_key=f"item:{line.item_id}", description=line.description,
                quantity=D(qty), location_id=loc.id, status=status,
            )
        )  # fmt: skip


def _invoice(number: str, po: Any, status: str, user: Any, paid: str, override: str | None,
             lines: list[tuple[Any, str, str]]) -> Any:  # fmt: skip
    total = sum((D(q) * D(pr) for _, q, pr in lines), D("0"))
    inv = _add(
        Invoice(
            inv_number=number, invoice_number=f"S-{number}", supplier_id=po.supplier_id,
            po_id=po.id, status=status, invoice_date=date(2026, 3, 1), due_date=date(2026, 3, 31),
            subtotal=total, tax_amount=D("0"), total_amount=total, amount_paid=D(paid),
            recorded_by_id=user.id, override_reason=override,
        )
    )  # fmt: skip
    for no, (line, q, pr) in enumerate(lines, start=1):
        _add(InvoiceLine(invoice_id=inv.id, line_no=no, po_line_id=line.id,
                         description=line.description, quantity=D(q), unit_price=D(pr),
                         line_total=D(q) * D(pr), match_reasons=[]))  # fmt: skip
    if D(paid):
        _add(Payment(payment_number=f"PAY-{number}", invoice_id=inv.id, supplier_id=po.supplier_id,
                     amount=D(paid), paid_on=date(2026, 3, 15), method="Bank Transfer",
                     recorded_by_id=user.id))  # fmt: skip
    return inv


def _money_flow(p: dict[str, Any], c: dict[str, Any], o: dict[str, Any]) -> None:
    l1, l2 = o["po1"].made_lines
    (l3,), (l4,) = o["po2"].made_lines, o["po3"].made_lines
    user, loc = p["admin"], c["bin"]
    _receipt(
        "GRN-T1",
        o["po1"],
        at(1, 19, 10),
        user,
        loc,
        [(l1, "10", "Accepted"), (l2, "5", "Accepted")],
    )
    _receipt("GRN-T2", o["po2"], at(2, 12), user, loc, [(l3, "15", "Accepted")])
    _receipt("GRN-T3", o["po2"], at(2, 9), user, loc, [(l3, "3", "Returned")])
    _invoice(
        "INV-T1",
        o["po1"],
        "Paid",
        user,
        "205.00",
        "price agreed by phone",
        [(l1, "10", "10.00"), (l2, "5", "21.00")],
    )
    _invoice("INV-T2", o["po2"], "Partially Paid", user, "66.00", None, [(l3, "15", "11.00")])
    _invoice("INV-T3", o["po3"], "Void", user, "0", None, [(l4, "10", "30.00")])
    _invoice("INV-T4", o["po3"], "Exception", user, "0", None, [(l4, "10", "27.00")])  # fmt: skip


def _step(p: dict[str, Any], seq: int, label: str, status: str, start: datetime, **kw: Any) -> None:
    _add(
        ApprovalStep(
            document_type="requisition", document_id=seq, document_number=f"REQ-S{seq}",
            document_title="", amount=D("100.00"), requester_id=p["lead"].id, round=1,
            sequence=1, kind="role", label=label, status=status, activated_at=start, **kw,
        )
    )  # fmt: skip


def _approvals(p: dict[str, Any]) -> None:
    lead, mgr, admin = p["lead"].id, p["mgr"].id, p["admin"].id
    line, head = "Line manager", "Procurement manager"
    _step(
        p,
        1,
        line,
        "Approved",
        at(1, 1),
        approver_id=lead,
        decided_by_id=lead,
        decided_at=at(1, 1, 2),
        due_at=at(1, 2),
    )  # 2 h
    _step(
        p,
        2,
        line,
        "Approved",
        at(1, 2),
        approver_id=lead,
        decided_by_id=lead,
        decided_at=at(1, 2, 4),
    )  # 4 h
    _step(
        p,
        3,
        line,
        "Rejected",
        at(1, 3),
        approver_id=lead,
        decided_by_id=lead,
        decided_at=at(1, 3, 10),
        due_at=at(1, 3, 8),
        escalated_at=at(1, 3, 9),
    )  # 10 h, late
    _step(
        p, 4, head, "Approved", at(1, 5), approver_id=mgr, decided_by_id=mgr, decided_at=at(1, 5, 1)
    )  # 1 h
    _step(
        p,
        5,
        head,
        "Approved",
        at(1, 6),
        approver_id=mgr,
        decided_by_id=admin,
        on_behalf_of_id=mgr,
        decided_at=at(1, 6, 3),
    )  # 3 h, by a delegate
    _step(p, 6, head, "Pending", at(1, 7), approver_id=mgr, due_at=at(1, 8))  # open, overdue
    _step(p, 7, head, "Pending", at(3, 1), role="ProcurementMgr")  # open, no due time
    # fmt: skip


def build(app: Any) -> dict[str, Any]:
    """Insert the data set; returns the ids the tests filter by."""
    with app.app_context():
        people, catalog = _people(), _catalog()
        reqs = _requisitions(people, catalog)
        orders = _orders(catalog, reqs)
        _money_flow(people, catalog, orders)
        _approvals(people)
        ids = {k: v.id for k, v in {**people, **catalog, **orders}.items()}
        db.session.commit()
    return ids
