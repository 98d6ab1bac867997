"""documents: versioned attachments and comment threads on business documents

Revision ID: 0010_documents
Revises: 0009_email_digest
Create Date: 2026-12-05 16:20:00

"""
from alembic import op
import sqlalchemy as sa
import reqflow.core.models  # noqa: F401 - custom column types


# revision identifiers, used by Alembic.
revision = '0010_documents'
down_revision = '0013_mfa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_type', sa.String(length=30), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', reqflow.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', reqflow.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', reqflow.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'], name=op.f('fk_attachments_deleted_by_id_users')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index('ix_attachments_document', ['document_type', 'document_id'], unique=False)

    op.create_table('attachment_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=80), nullable=False),
    sa.Column('thumbnail_key', sa.String(length=90), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', reqflow.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_attachment_versions_attachment_id_attachments')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachment_versions_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment_versions')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_attachment_versions_storage_key'))
    )
    with op.batch_alter_table('attachment_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_versions_attachment_id'), ['attachment_id'], unique=False)

    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_type', sa.String(length=30), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_at', reqflow.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('edited_at', reqflow.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_document', ['document_type', 'document_id'], unique=False)


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_document')
    op.drop_table('comments')
    with op.batch_alter_table('attachment_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_versions_attachment_id'))
    op.drop_table('attachment_versions')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_attachments_document')
    op.drop_table('attachments')
