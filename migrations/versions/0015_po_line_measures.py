"""po_line_measures: per-PO-line received / returned / invoiced / paid quantities and amounts
and price-variance inputs, read by the spend and supplier performance reports; backfilled
from the receipts and invoices already recorded

Revision ID: 0015_po_line_measures
Revises: 0010_documents
Create Date: 2026-12-06 02:05:00

"""
from alembic import op
import sqlalchemy as sa
import reqflow.core.models  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0015_po_line_measures'
down_revision = '0015_import_files'
branch_labels = None
depends_on = None

# The same figures as reporting.measures.measures_select, frozen here (PostgreSQL and SQLite;
# "* 1.0" keeps SQLite's division of two whole amounts from truncating).
BACKFILL = """
INSERT INTO po_line_measures (po_line_id, po_id, qty_received, qty_returned, receipt_lines,
  received_exact, first_receipt_at, last_receipt_at, invoiced_qty, invoiced_amount, paid_amount, price_diff,
  price_base)
SELECT l.id, l.po_id, COALESCE(r.qty, 0), COALESCE(r.returned, 0), COALESCE(r.n, 0),
  CASE WHEN r.n > 0 AND l.quantity_received = l.quantity THEN 1 ELSE 0 END,
  r.first_at, r.last_at, COALESCE(i.qty, 0), COALESCE(i.amount, 0), COALESCE(i.paid, 0),
  COALESCE(i.diff, 0), COALESCE(i.base, 0)
FROM purchase_order_lines l
LEFT JOIN (
  SELECT gl.po_line_id AS line_id, SUM(gl.quantity) AS qty,
    SUM(CASE WHEN gl.status = 'Returned' THEN gl.quantity ELSE 0 END) AS returned,
    COUNT(*) AS n, MIN(g.received_at) AS first_at, MAX(g.received_at) AS last_at
  FROM goods_receipt_lines gl JOIN goods_receipts g ON g.id = gl.receipt_id
  GROUP BY gl.po_line_id
) r ON r.line_id = l.id
LEFT JOIN (
  SELECT il.po_line_id AS line_id, SUM(il.quantity) AS qty, SUM(il.line_total) AS amount,
    SUM(il.line_total * COALESCE(v.amount_paid * 1.0 / NULLIF(v.total_amount, 0), 0)) AS paid,
    SUM(il.quantity * (il.unit_price - pl.unit_price)) AS diff,
    SUM(il.quantity * pl.unit_price) AS base
  FROM invoice_lines il
  JOIN invoices v ON v.id = il.invoice_id
  JOIN purchase_order_lines pl ON pl.id = il.po_line_id
  WHERE v.status <> 'Void'
  GROUP BY il.po_line_id
) i ON i.line_id = l.id
"""


def upgrade():
    op.create_table('po_line_measures',
    sa.Column('po_line_id', sa.Integer(), nullable=False),
    sa.Column('po_id', sa.Integer(), nullable=False),
    sa.Column('qty_received', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('qty_returned', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('receipt_lines', sa.Integer(), nullable=False),
    sa.Column('received_exact', sa.Integer(), nullable=False),
    sa.Column('first_receipt_at', reqflow.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_receipt_at', reqflow.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('invoiced_qty', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('invoiced_amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('paid_amount', sa.Numeric(precision=24, scale=8), nullable=False),
    sa.Column('price_diff', sa.Numeric(precision=24, scale=6), nullable=False),
    sa.Column('price_base', sa.Numeric(precision=24, scale=6), nullable=False),
    sa.ForeignKeyConstraint(['po_id'], ['purchase_orders.id'], name=op.f('fk_po_line_measures_po_id_purchase_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['po_line_id'], ['purchase_order_lines.id'], name=op.f('fk_po_line_measures_po_line_id_purchase_order_lines'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('po_line_id', name=op.f('pk_po_line_measures'))
    )
    with op.batch_alter_table('po_line_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_po_line_measures_po_id'), ['po_id'], unique=False)
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ANALYZE po_line_measures')


def downgrade():
    with op.batch_alter_table('po_line_measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_po_line_measures_po_id'))
    op.drop_table('po_line_measures')
