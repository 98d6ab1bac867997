"""Sending a PO e-mails the supplier the PO as a PDF (SPEC §2.4), after commit, once."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from reqflow.catalog.models import Supplier
from reqflow.core.jobs import EMAIL, enqueue, job
from reqflow.events import ProcessedEvent, handles
from reqflow.extensions import db
from reqflow.notifications.email import build_message, send
from reqflow.purchasing import events as po_events
from reqflow.purchasing.models import PurchaseOrder
from reqflow.purchasing.pdf import render_po_pdf

MARK = "email.po_to_supplier"


@handles(po_events.PurchaseOrderSent)
def po_sent_to_supplier(payload: dict[str, Any]) -> None:
    enqueue("purchasing.email_po", payload["resource_id"], payload["event_id"])


@job("purchasing.email_po", queue=EMAIL)
def email_po(po_id: int, event_id: str) -> None:
    """Mail the PO PDF to the supplier's contact address; a retried job sends nothing twice."""
    done = db.session.scalar(
        select(ProcessedEvent.id).where(
            ProcessedEvent.event_id == event_id, ProcessedEvent.handler == MARK
        )
    )
    po = db.session.get(PurchaseOrder, po_id)
    supplier = db.session.get(Supplier, po.supplier_id) if po else None
    if done or po is None or supplier is None or not supplier.contact_email:
        return
    company = current_app.config.get("COMPANY_NAME", "ReqFlow Manufacturing")
    message = build_message(
        to=supplier.contact_email,
        subject=f"Purchase order {po.po_number} from {company}",
        kind="po_to_supplier",
        context={"po": po, "supplier": supplier, "company": company},
        attachments=[(f"{po.po_number}.pdf", render_po_pdf(po.id), "application/pdf")],
    )
    send(message)
    db.session.add(ProcessedEvent(event_id=event_id, handler=MARK))
    db.session.commit()
