"""imports: the file moves to storage (storage_key), row keys of a running scan in a table

Revision ID: 0015_import_files
Revises: 0010_documents
Create Date: 2026-12-06 02:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_import_files'
down_revision = '0010_documents'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('storage_key', sa.String(length=64), nullable=True))
        batch_op.drop_column('content')
    op.create_table('import_row_keys',
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['imports.id'], name=op.f('fk_import_row_keys_import_id_imports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('import_id', 'digest', name=op.f('pk_import_row_keys'))
    )


def downgrade():
    op.drop_table('import_row_keys')
    with op.batch_alter_table('imports', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('content', sa.LargeBinary(), nullable=False, server_default=sa.text("''"))
        )
        batch_op.drop_column('storage_key')
