"""dashboard_counters: the dashboard's figures (requisitions by status, overall and per
requester; approved spend by month; approval steps and purchase orders by status; the
sourcing queue), kept by reporting.counters in the transaction that changes them; backfilled
from the tables

Revision ID: 0017_dashboard_counters
Revises: 0016_po_line_previous_price
Create Date: 2026-12-06 05:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_dashboard_counters'
down_revision = '0016_po_line_previous_price'
branch_labels = None
depends_on = None

# The same figures as reporting.counters.aggregates_sql, frozen here (months in UTC).
BACKFILL = """
INSERT INTO dashboard_counters (key, bucket, value)
SELECT 'requisitions', status, COUNT(*) FROM requisitions GROUP BY status
UNION ALL
SELECT 'requisitions.requester.' || requester_id, status, COUNT(*)
FROM requisitions GROUP BY requester_id, status
UNION ALL
SELECT 'requisitions.approved_spend', {month}, SUM(total_amount)
FROM requisitions WHERE status = 'Approved' AND approved_at IS NOT NULL
GROUP BY {month}
UNION ALL
SELECT 'approval_steps', status, COUNT(*) FROM approval_steps GROUP BY status
UNION ALL
SELECT 'purchase_orders', status, COUNT(*) FROM purchase_orders GROUP BY status
UNION ALL
SELECT 'sourcing_queue', '', COUNT(*)
FROM requisition_items i JOIN requisitions r ON r.id = i.requisition_id
WHERE r.status = 'Approved' AND i.po_line_id IS NULL
"""
MONTH = {
    'postgresql': "to_char(approved_at AT TIME ZONE 'UTC', 'YYYY-MM')",
    'sqlite': "strftime('%Y-%m', approved_at)",
}


def upgrade():
    op.create_table('dashboard_counters',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('bucket', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.PrimaryKeyConstraint('key', 'bucket', name=op.f('pk_dashboard_counters'))
    )
    dialect = op.get_bind().dialect.name
    op.execute(BACKFILL.format(month=MONTH.get(dialect, MONTH['sqlite'])))
    if dialect == 'postgresql':
        op.execute('ANALYZE dashboard_counters')


def downgrade():
    op.drop_table('dashboard_counters')
