"""TOTP MFA: one second factor per user (secret encrypted, last step, recovery hashes)

Revision ID: 0013_mfa
Revises: 0009_email_digest
Create Date: 2026-12-05 16:20:00

"""
from alembic import op
import sqlalchemy as sa
import reqflow.core.models  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0013_mfa'
down_revision = '0012_imports'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_mfa',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_encrypted', sa.Text(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('last_step', sa.BigInteger(), nullable=False),
    sa.Column('recovery_hashes', sa.JSON(), nullable=False),
    sa.Column('enrolled_at', reqflow.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_mfa_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_mfa'))
    )


def downgrade():
    op.drop_table('user_mfa')
