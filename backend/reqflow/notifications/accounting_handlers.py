"""Who is told what about invoices (SPEC §2.8): Accountants when an invoice is an exception
or falls due; invoice status changes reach the roles that see invoices."""

from __future__ import annotations

from typing import Any

from reqflow.accounting import events as acc_events
from reqflow.core.models import utcnow
from reqflow.events import handles
from reqflow.identity.permissions import Role
from reqflow.notifications import service
from reqflow.notifications.handlers import deliver
from reqflow.notifications.realtime import push_to_roles

INVOICE_ROLES = (Role.ACCOUNTANT.value, Role.PROCUREMENT_MGR.value)


def push_invoice_status(payload: dict[str, Any]) -> None:
    status = {
        "resource": "invoice",
        "resource_id": payload["resource_id"],
        "number": payload["inv_number"],
        "status": payload["status"],
        "timestamp": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    push_to_roles("status_update", status, list(INVOICE_ROLES))


def _link(payload: dict[str, Any]) -> str:
    return f"/invoices/{payload['resource_id']}"


@handles(
    acc_events.InvoiceRecorded,
    acc_events.InvoiceMatched,
    acc_events.InvoiceApproved,
    acc_events.InvoiceVoided,
    acc_events.InvoicePartiallyPaid,
    acc_events.InvoicePaid,
    acc_events.InvoiceException,
    push=True,
)
def invoice_status_changed(payload: dict[str, Any]) -> None:
    push_invoice_status(payload)


def _what(mismatches: list[dict[str, Any]]) -> str:
    """What does not match: lines, the tax (an entry without a line number), or both."""
    lines = sum(1 for m in mismatches if m.get("line_no") is not None)
    tax = any(m.get("line_no") is None for m in mismatches)
    if lines and tax:
        return f"{lines} line(s) and the tax do not match"
    return "The tax does not match" if tax else f"{lines} line(s) do not match"


@handles(acc_events.InvoiceException)
def invoice_exception(payload: dict[str, Any]) -> None:
    """Accountants are told when an invoice becomes an exception (not on every rematch)."""
    if (payload.get("old_values") or {}).get("status") != "Exception":
        lines = (payload.get("new_values") or {}).get("mismatches") or []
        codes = sorted({code for line in lines for code in line.get("codes", [])})
        rows = service.notify(
            user_ids=service.users_with_role(Role.ACCOUNTANT.value),
            type="invoice_exception",
            title=f"Invoice exception: {payload['inv_number']} ({payload['invoice_number']})",
            body=f"{_what(lines)}: {', '.join(codes) or 'see the invoice'}.",
            link=_link(payload),
            event_id=payload["event_id"],
            resource_type="invoice",
            resource_id=payload["resource_id"],
        )
        deliver(rows)


@handles(acc_events.InvoiceDue)
def invoice_due(payload: dict[str, Any]) -> None:
    rows = service.notify(
        user_ids=service.users_with_role(Role.ACCOUNTANT.value),
        type="invoice_due",
        title=f"Invoice due {payload['due_date']}: {payload['inv_number']}",
        body=f"{payload['invoice_number']}, total {payload['total_amount']}, {payload['status']}.",
        link=_link(payload),
        event_id=payload["event_id"],
        resource_type="invoice",
        resource_id=payload["resource_id"],
    )
    deliver(rows)
