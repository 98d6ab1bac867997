"""receipts carry a delivery-note number and receipt date; invoices keep the PO's expected tax
and invoice-level match reasons (TAX_MISMATCH)

Revision ID: 0015_receipt_note_invoice_tax
Revises: 0010_documents
Create Date: 2026-12-06 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_receipt_note_invoice_tax'
down_revision = '0015_po_line_measures'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('goods_receipts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivery_note_number', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('receipt_date', sa.Date(), nullable=True))
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expected_tax_amount', sa.Numeric(precision=12, scale=2), nullable=True))
        batch_op.add_column(sa.Column('match_reasons', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_column('match_reasons')
        batch_op.drop_column('expected_tax_amount')
    with op.batch_alter_table('goods_receipts', schema=None) as batch_op:
        batch_op.drop_column('receipt_date')
        batch_op.drop_column('delivery_note_number')
