"""Beat job ``accounting.invoices_due``: Accountants hear of each unpaid invoice once, when it
falls due within ``DUE_SOON_DAYS`` (or is found already past due)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from reqflow.accounting import events as ev
from reqflow.accounting import service
from reqflow.accounting.models import UNPAID, Invoice
from reqflow.core.jobs import BULK, job
from reqflow.core.models import utcnow
from reqflow.extensions import db

DUE_SOON_DAYS = 3


@job("accounting.invoices_due", queue=BULK)
def invoices_due() -> int:
    """Idempotent: the conditional UPDATE claims each invoice once (``due_notified_at``), so
    overlapping runs never notify twice. Returns how many invoices were claimed."""
    now = utcnow()
    horizon = now.date() + timedelta(days=DUE_SOON_DAYS)
    table = Invoice.__table__
    claimed = list(
        db.session.execute(
            table.update()
            .where(
                table.c.status.in_([s.value for s in UNPAID]),
                table.c.due_date <= horizon,
                table.c.due_notified_at.is_(None),
            )
            .values(due_notified_at=now)
            .returning(table.c.id)
        ).scalars()
    )
    if claimed:
        invoices = db.session.scalars(
            select(Invoice).where(Invoice.id.in_(claimed)).order_by(Invoice.due_date, Invoice.id)
        )
        for invoice in invoices:
            service.event(
                ev.InvoiceDue,
                invoice,
                None,
                due_date=invoice.due_date.isoformat(),
                new_values={"due_date": invoice.due_date.isoformat(), "status": invoice.status},
            )
    db.session.commit()
    return len(claimed)
