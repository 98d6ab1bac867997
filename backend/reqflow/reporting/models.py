"""The monthly spend report's schedule (one row, edited by an Admin) and the per-PO-line
measures the spend and supplier reports read."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from reqflow.core.models import TimestampMixin, UTCDateTime
from reqflow.extensions import db


class ReportSchedule(TimestampMixin, db.Model):  # type: ignore[name-defined,misc]
    """When the monthly spend report goes out (day of month, hour UTC) and to whom: the listed
    users, or every active ProcurementMgr when the list is empty. ``last_period`` (YYYY-MM,
    the month reported) keeps a second run in the same month from sending it again."""

    __tablename__ = "report_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day_of_month: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    hour: Mapped[int] = mapped_column(Integer, nullable=False, default=6)
    recipient_ids: Mapped[list[int]] = mapped_column(JSON, nullable=False, default=list)
    last_period: Mapped[str | None] = mapped_column(String(7), nullable=True)


class PoLineMeasure(db.Model):  # type: ignore[name-defined,misc]
    """What happened to one PO line so far, kept by ``reporting.measures`` in the transaction
    that changes its receipts, invoices or payments, so that the spend and supplier reports
    read one narrow row per line instead of aggregating every receipt and invoice line.

    - ``qty_received`` — all receipt lines; ``qty_returned`` — those whose status is Returned;
      ``receipt_lines`` — how many; ``first/last_receipt_at`` — their receipts' dates;
      ``received_exact`` — 1 when received and the PO line's received quantity is the ordered;
    - over the non-void invoices: ``invoiced_qty``, ``invoiced_amount`` (line totals),
      ``paid_amount`` (each line total × its invoice's paid share), and the price-variance
      inputs ``price_diff`` = Σ qty × (invoiced − PO price) and ``price_base`` = Σ qty × PO
      price;
    - ``previous_price`` — the unit price of the same item's previous line among the committed
      POs (ordered by approval time, PO id, line id), NULL for the first, for a line without an
      item or on a PO not committed; ``last_diff`` = qty × (price − previous) and ``last_base``
      = qty × previous (0 without a previous price), the "vs last price" variance inputs;
    - copies for the spend report, so that its supplier and month groupings read no PO line:
      ``committed`` — the line total; ``received_amount`` — (received − returned) × PO price."""

    __tablename__ = "po_line_measures"

    po_line_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_order_lines.id", ondelete="CASCADE"), primary_key=True
    )
    po_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_orders.id", ondelete="CASCADE"), nullable=False, index=True
    )
    qty_received: Mapped[Decimal] = mapped_column(Numeric(14, 3), nullable=False, default=0)
    qty_returned: Mapped[Decimal] = mapped_column(Numeric(14, 3), nullable=False, default=0)
    receipt_lines: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    received_exact: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    first_receipt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_receipt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invoiced_qty: Mapped[Decimal] = mapped_column(Numeric(14, 3), nullable=False, default=0)
    invoiced_amount: Mapped[Decimal] = mapped_column(Numeric(16, 2), nullable=False, default=0)
    paid_amount: Mapped[Decimal] = mapped_column(Numeric(24, 8), nullable=False, default=0)
    price_diff: Mapped[Decimal] = mapped_column(Numeric(24, 6), nullable=False, default=0)
    price_base: Mapped[Decimal] = mapped_column(Numeric(24, 6), nullable=False, default=0)
    previous_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    last_diff: Mapped[Decimal] = mapped_column(Numeric(24, 6), nullable=False, default=0)
    last_base: Mapped[Decimal] = mapped_column(Numeric(24, 6), nullable=False, default=0)
    committed: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False, default=0)
    received_amount: Mapped[Decimal] = mapped_column(Numeric(24, 5), nullable=False, default=0)


class DashboardCounter(db.Model):  # type: ignore[name-defined,misc]
    """One figure of the dashboard, kept by ``reporting.counters`` in the transaction that
    changes the rows it counts, so that the dashboard reads a handful of rows instead of
    aggregating whole tables. ``key`` names the figure, ``bucket`` one of its groups:

    - ``requisitions`` / status — requisitions by status;
    - ``requisitions.requester.<user id>`` / status — one requester's requisitions by status;
    - ``requisitions.approved_spend`` / YYYY-MM (UTC) — total amount of the Approved
      requisitions by the month they were approved;
    - ``approval_steps`` / status — approval steps (requisitions' and POs') by status;
    - ``purchase_orders`` / status — purchase orders by status;
    - ``sourcing_queue`` / '' — lines of Approved requisitions not on a PO line yet.

    A figure that fell back to nothing keeps its row at 0."""

    __tablename__ = "dashboard_counters"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    bucket: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False, default=0)
