"""Who is told what about goods and stock (SPEC §2.8): the requester when their goods arrive,
Procurement when an item runs low; receipt status changes reach the Warehouse and the
requesters concerned."""

from __future__ import annotations

from typing import Any

from reqflow.core.models import utcnow
from reqflow.events import handles
from reqflow.identity.permissions import Role
from reqflow.inventory import events as inv_events
from reqflow.notifications import service
from reqflow.notifications.handlers import deliver
from reqflow.notifications.realtime import push_to_roles, push_to_users

RECEIPT_ROLES = (Role.WAREHOUSE.value, Role.PROCUREMENT.value, Role.ACCOUNTANT.value)


def push_receipt_status(payload: dict[str, Any]) -> None:
    status = {
        "resource": "goods_receipt",
        "resource_id": payload["resource_id"],
        "number": payload["grn_number"],
        "status": payload["status"],
        "timestamp": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    push_to_roles("status_update", status, list(RECEIPT_ROLES))
    if payload.get("requester_ids"):
        push_to_users("status_update", status, payload["requester_ids"])


@handles(inv_events.GoodsReceived)
def goods_arrived(payload: dict[str, Any]) -> None:
    """Each requester whose goods are on the receipt is asked to accept or reject them."""
    rows = service.notify(
        user_ids=payload.get("requester_ids") or [],
        type="goods_arrived",
        title=f"Your goods arrived: {payload['grn_number']} ({payload['po_number']})",
        body="Check them and accept, or reject them with a reason to return them.",
        link=f"/receipts/{payload['resource_id']}",
        event_id=payload["event_id"],
        resource_type="goods_receipt",
        resource_id=payload["resource_id"],
    )
    deliver(rows)


@handles(inv_events.GoodsReceived, inv_events.GoodsAccepted, inv_events.GoodsRejected, push=True)
def receipt_decided(payload: dict[str, Any]) -> None:
    push_receipt_status(payload)


@handles(inv_events.LowStockDetected)
def low_stock(payload: dict[str, Any]) -> None:
    """Procurement learns that an item fell below its reorder level (once a day per item)."""
    rows = service.notify(
        user_ids=service.users_with_role(Role.PROCUREMENT.value),
        type="low_stock",
        title=f"Low stock: {payload['sku']} {payload['item_name']}",
        body=f"{payload['available']} available, reorder level {payload['reorder_level']}.",
        link=f"/inventory?item_id={payload['resource_id']}",
        event_id=payload["event_id"],
        resource_type="item",
        resource_id=payload["resource_id"],
    )
    deliver(rows)


RETURN_EVENTS = (
    inv_events.SupplierReturnRaised,
    inv_events.SupplierReturnShipped,
    inv_events.SupplierReturnCredited,
    inv_events.SupplierReturnReplaced,
)


@handles(*RETURN_EVENTS, push=True)
def supplier_return_changed(payload: dict[str, Any]) -> None:
    """Open PO and receipt pages (buyers, Warehouse, accounts) reload their returns."""
    status = {
        "resource": "supplier_return",
        "resource_id": payload["resource_id"],
        "number": payload["rtv_number"],
        "po_id": payload["po_id"],
        "status": payload["status"],
        "timestamp": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    push_to_roles("status_update", status, [*RECEIPT_ROLES, Role.PROCUREMENT_MGR.value])


@handles(inv_events.SupplierReturnRaised)
def supplier_return_raised(payload: dict[str, Any]) -> None:
    """Procurement arranges the return with the supplier and the Warehouse ships it back."""
    rows = service.notify(
        user_ids=service.users_with_role(Role.PROCUREMENT.value, Role.WAREHOUSE.value),
        type="supplier_return",
        title=f"{payload['rtv_number']}: goods of {payload['po_number']} go back",
        body=f"Rejected on {payload['grn_number']}; ship them back and settle with the supplier.",
        link=f"/purchase-orders/{payload['po_id']}",
        event_id=payload["event_id"],
        resource_type="supplier_return",
        resource_id=payload["resource_id"],
    )
    deliver(rows)
