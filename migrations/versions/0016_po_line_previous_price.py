"""po_line_measures keep each line's previous price of its item among the committed POs and
the "vs last price" variance inputs (last_diff, last_base), and copies of the line total and
received amount for spend; purchase_order_lines.item_id is indexed for the previous-price
look-up; backfilled (the previous prices with one window over the committed lines)

Revision ID: 0016_po_line_previous_price
Revises: 0015_receipt_note_invoice_tax
Create Date: 2026-12-06 03:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_po_line_previous_price'
down_revision = '0015_receipt_note_invoice_tax'
branch_labels = None
depends_on = None

# The same figures as reporting.measures (bulk: LAG per item by approval time, PO id, line id),
# frozen here; UPDATE … FROM works on PostgreSQL and SQLite (3.33+).
BACKFILL = """
UPDATE po_line_measures
SET previous_price = w.previous,
    last_diff = w.quantity * (w.unit_price - w.previous),
    last_base = w.quantity * w.previous
FROM (
  SELECT l.id AS line_id, l.quantity, l.unit_price,
    LAG(l.unit_price) OVER (PARTITION BY l.item_id ORDER BY p.approved_at, p.id, l.id) AS previous
  FROM purchase_order_lines l JOIN purchase_orders p ON p.id = l.po_id
  WHERE l.item_id IS NOT NULL
    AND p.status IN ('Approved', 'Sent', 'Partially Received', 'Received', 'Closed')
) w
WHERE w.line_id = po_line_measures.po_line_id AND w.previous IS NOT NULL
"""

COPIES = """
UPDATE po_line_measures
SET committed = l.line_total,
    received_amount = (po_line_measures.qty_received - po_line_measures.qty_returned) * l.unit_price
FROM purchase_order_lines l
WHERE l.id = po_line_measures.po_line_id
"""


def upgrade():
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_order_lines_item_id'), ['item_id'], unique=False)
    with op.batch_alter_table('po_line_measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_price', sa.Numeric(precision=12, scale=2), nullable=True))
        batch_op.add_column(sa.Column('last_diff', sa.Numeric(precision=24, scale=6), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('last_base', sa.Numeric(precision=24, scale=6), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('committed', sa.Numeric(precision=12, scale=2), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('received_amount', sa.Numeric(precision=24, scale=5), nullable=False, server_default='0'))
    op.execute(COPIES)
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ANALYZE po_line_measures')


def downgrade():
    with op.batch_alter_table('po_line_measures', schema=None) as batch_op:
        batch_op.drop_column('received_amount')
        batch_op.drop_column('committed')
        batch_op.drop_column('last_base')
        batch_op.drop_column('last_diff')
        batch_op.drop_column('previous_price')
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_item_id'))
