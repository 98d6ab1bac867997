"""exports: background list exports and their files

Revision ID: 0011_exports
Revises: 0009_email_digest
Create Date: 2026-12-05 15:45:00.000000

"""
from alembic import op
import sqlalchemy as sa
import reqflow.core.models  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0011_exports'
down_revision = '0009_email_digest'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=True),
    sa.Column('rows_done', sa.Integer(), nullable=False),
    sa.Column('file_key', sa.String(length=200), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.Column('created_at', reqflow.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', reqflow.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', reqflow.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_exports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exports'))
    )
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.create_index('ix_exports_user_id_id', ['user_id', 'id'], unique=False)
        batch_op.create_index('ix_exports_state_expires_at', ['state', 'expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.drop_index('ix_exports_state_expires_at')
        batch_op.drop_index('ix_exports_user_id_id')

    op.drop_table('exports')
