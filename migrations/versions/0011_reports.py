"""reports: the monthly spend report's schedule; indexes the reports read by

Revision ID: 0011_reports
Revises: 0009_email_digest
Create Date: 2026-12-05 16:40:00

"""
from alembic import op
import sqlalchemy as sa
import reqflow.core.models  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0011_reports'
down_revision = '0011_exports'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day_of_month', sa.Integer(), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('recipient_ids', sa.JSON(), nullable=False),
    sa.Column('last_period', sa.String(length=7), nullable=True),
    sa.Column('created_at', reqflow.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', reqflow.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_schedules'))
    )


def downgrade():
    op.drop_table('report_schedules')
