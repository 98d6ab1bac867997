"""Who is told what about purchasing (SPEC §2.8): Procurement when lines need sourcing,
ProcurementMgr when a PO awaits approval, Warehouse when a PO is sent; every PO event is a
``status_update`` to the roles that see purchase orders."""

from __future__ import annotations

from typing import Any

from reqflow.catalog.models import Supplier
from reqflow.core.models import utcnow
from reqflow.events import handles
from reqflow.extensions import db
from reqflow.identity.permissions import Role
from reqflow.notifications import service
from reqflow.notifications.handlers import deliver, push_status
from reqflow.notifications.realtime import push_to_roles
from reqflow.purchasing import events as po_events
from reqflow.purchasing.models import WAREHOUSE_VISIBLE, POStatus

PO_ROLES = (Role.PROCUREMENT.value, Role.PROCUREMENT_MGR.value, Role.ACCOUNTANT.value)


def push_po_status(payload: dict[str, Any]) -> None:
    """``status_update`` to the roles that see this PO now (Warehouse: approved and later)."""
    status = {
        "resource": "purchase_order",
        "resource_id": payload["resource_id"],
        "number": payload["po_number"],
        "status": payload["status"],
        "timestamp": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    roles = list(PO_ROLES)
    if payload["status"] in {s.value for s in WAREHOUSE_VISIBLE}:
        roles.append(Role.WAREHOUSE.value)
    push_to_roles("status_update", status, roles)


def _link(payload: dict[str, Any]) -> str:
    return f"/purchase-orders/{payload['resource_id']}"


@handles(
    po_events.PurchaseOrderCreated,
    po_events.PurchaseOrderUpdated,
    po_events.PurchaseOrderApproved,
    po_events.PurchaseOrderCancelled,
    po_events.PurchaseOrderPartiallyReceived,
    po_events.PurchaseOrderReceived,
    po_events.PurchaseOrderClosed,
    po_events.PurchaseOrderSubmitted,
    po_events.PurchaseOrderSent,
    po_events.PurchaseOrderReturned,
    push=True,
)
def po_status_changed(payload: dict[str, Any]) -> None:
    push_po_status(payload)


@handles(po_events.PurchaseOrderSubmitted)
def po_submitted(payload: dict[str, Any]) -> None:
    """A PO pending approval reaches every ProcurementMgr except its author."""
    if payload["status"] == POStatus.PENDING_APPROVAL:
        author = payload.get("created_by_id") or payload.get("submitted_by_id")
        managers = [u for u in service.users_with_role(Role.PROCUREMENT_MGR.value) if u != author]
        rows = service.notify(
            user_ids=managers,
            type="approval_assigned",
            title=f"PO approval needed: {payload['po_number']}",
            body=f"Total {payload['total_amount']}: at or above the approval threshold.",
            link=_link(payload),
            event_id=payload["event_id"],
            resource_type="purchase_order",
            resource_id=payload["resource_id"],
        )
        deliver(rows)


@handles(po_events.PurchaseOrderReturned)
def po_returned(payload: dict[str, Any]) -> None:
    """The buyer who created (or, for a system draft, submitted) the PO learns why."""
    buyer = payload.get("created_by_id") or payload.get("submitted_by_id")
    rows = service.notify(
        user_ids=[buyer] if buyer else [],
        type="po_returned",
        title=f"{payload['po_number']} returned to you",
        body=f"Reason: {payload.get('comment') or '—'}",
        link=_link(payload),
        event_id=payload["event_id"],
        resource_type="purchase_order",
        resource_id=payload["resource_id"],
    )
    deliver(rows)


@handles(po_events.PurchaseOrderSent)
def po_sent(payload: dict[str, Any]) -> None:
    """The Warehouse learns what is coming."""
    supplier = db.session.get(Supplier, payload["supplier_id"])
    rows = service.notify(
        user_ids=service.users_with_role(Role.WAREHOUSE.value),
        type="po_sent",
        title=f"{payload['po_number']} sent to {supplier.name if supplier else 'the supplier'}",
        body="Expect the delivery; receive it against this purchase order.",
        link=_link(payload),
        event_id=payload["event_id"],
        resource_type="purchase_order",
        resource_id=payload["resource_id"],
    )
    deliver(rows)


@handles(po_events.RequisitionSourced)
def lines_need_sourcing(payload: dict[str, Any]) -> None:
    """Approved lines without a supplier wait in the queue: Procurement is told. Open pages
    of the requisition reload to show which purchase order now covers each line."""
    if payload.get("requester_id"):
        push_status(payload)
    count = int(payload.get("unsourced_count") or 0)
    if count <= 0:
        return
    rows = service.notify(
        user_ids=service.users_with_role(Role.PROCUREMENT.value),
        type="sourcing_needed",
        title=f"{payload['req_number']}: {count} line{'s' if count != 1 else ''} to source",
        body="Approved requisition lines without a supplier wait in the sourcing queue.",
        link=f"/sourcing?requisition_id={payload['resource_id']}",
        event_id=payload["event_id"],
        resource_type="requisition",
        resource_id=payload["resource_id"],
    )
    deliver(rows)
