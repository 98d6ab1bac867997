"""approval step people indexes: who sees a document as an approver

Revision ID: 0008_approval_step_people_index
Revises: 0007_stock_free_text_index
Create Date: 2026-12-05 11:45:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_approval_step_people_index'
down_revision = '0007_stock_free_text_index'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_approval_steps_approver_document': ['approver_id', 'document_type', 'document_id'],
    'ix_approval_steps_decider_document': ['decided_by_id', 'document_type', 'document_id'],
}


def upgrade():
    with op.batch_alter_table('approval_steps', schema=None) as batch_op:
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    with op.batch_alter_table('approval_steps', schema=None) as batch_op:
        for name in INDEXES:
            batch_op.drop_index(name)
