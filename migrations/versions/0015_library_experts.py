"""The methodological library and the expert bank

Revision ID: 0015_library_experts
Revises: 0014_public_site
Create Date: 2026-12-03 19:50:00

Tables: experts (the bank, kept by the ministry and municipal bodies), expert_requests (an
organisation's requests for an expert's help), library_items and library_versions (documents and
best practices with their file versions). library_items.search_vector is the Russian full-text
document: a tsvector with a GIN index on PostgreSQL, plain folded text on SQLite.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0015_library_experts'
down_revision = '0014_public_site'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('experts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('workplace', sa.String(length=300), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('areas', sa.String(length=500), nullable=False),
    sa.Column('tags', sa.String(length=300), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('availability', sa.Text(), nullable=True),
    sa.Column('processing_consent_on', sa.Date(), nullable=False),
    sa.Column('display_consent', sa.Boolean(), nullable=False),
    sa.Column('display_consent_on', sa.Date(), nullable=True),
    sa.Column('display_withdrawn_on', sa.Date(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('psychologist', 'methodologist', 'university', 'institute', 'employer', 'other')", name=op.f('ck_experts_kind')),
    sa.ForeignKeyConstraint(['municipality_id'], ['organizations.id'], name=op.f('fk_experts_municipality_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_experts_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_experts_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experts'))
    )
    with op.batch_alter_table('experts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_experts_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_experts_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_experts_org_name', ['org_id', 'full_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_experts_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_experts_user_id'), ['user_id'], unique=False)

    op.create_table('library_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('form_codes', sa.String(length=500), nullable=False),
    sa.Column('keywords', sa.String(length=300), nullable=True),
    sa.Column('source_name', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('public_requested', sa.Boolean(), nullable=False),
    sa.Column('reviewer_org_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('download_count', sa.Integer(), nullable=False),
    sa.Column('search_vector', postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite'), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("audience IN ('below', 'region')", name=op.f('ck_library_items_audience')),
    sa.CheckConstraint("category IN ('regulation', 'template', 'recommendation', 'presentation', 'practice')", name=op.f('ck_library_items_category')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'returned', 'published', 'archived')", name=op.f('ck_library_items_status')),
    sa.CheckConstraint('download_count >= 0', name=op.f('ck_library_items_download_count')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_library_items_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_library_items_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_library_items_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewer_org_id'], ['organizations.id'], name=op.f('fk_library_items_reviewer_org_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_items'))
    )
    with op.batch_alter_table('library_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_items_is_public'), ['is_public'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_items_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_items_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_items_reviewer_org_id'), ['reviewer_org_id'], unique=False)
        batch_op.create_index('ix_library_items_status_published', ['status', 'published_at'], unique=False)
        # The search document's GIN index (on SQLite a plain index of the folded text).
        batch_op.create_index('ix_library_items_search_vector', ['search_vector'], unique=False,
                              postgresql_using='gin')

    op.create_table('expert_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('keeper_org_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=True),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('preferred_dates', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_comment', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('new', 'accepted', 'declined', 'closed', 'withdrawn')", name=op.f('ck_expert_requests_status')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_expert_requests_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['expert_id'], ['experts.id'], name=op.f('fk_expert_requests_expert_id_experts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['keeper_org_id'], ['organizations.id'], name=op.f('fk_expert_requests_keeper_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_expert_requests_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_expert_requests_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expert_requests'))
    )
    with op.batch_alter_table('expert_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expert_requests_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index('ix_expert_requests_keeper_status', ['keeper_org_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_expert_requests_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expert_requests_org_path'), ['org_path'], unique=False)

    op.create_table('library_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('download_count', sa.Integer(), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('download_count >= 0', name=op.f('ck_library_versions_download_count')),
    sa.ForeignKeyConstraint(['item_id'], ['library_items.id'], name=op.f('fk_library_versions_item_id_library_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_library_versions_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_library_versions_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_versions')),
    sa.UniqueConstraint('item_id', 'number', name=op.f('uq_library_versions_item_id_number'))
    )
    with op.batch_alter_table('library_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_versions_is_public'), ['is_public'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_versions_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_versions_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_versions_org_path'), ['org_path'], unique=False)


def downgrade():

    with op.batch_alter_table('library_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_versions_org_path'))
        batch_op.drop_index(batch_op.f('ix_library_versions_org_id'))
        batch_op.drop_index(batch_op.f('ix_library_versions_item_id'))
        batch_op.drop_index(batch_op.f('ix_library_versions_is_public'))

    op.drop_table('library_versions')
    with op.batch_alter_table('expert_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expert_requests_org_path'))
        batch_op.drop_index(batch_op.f('ix_expert_requests_org_id'))
        batch_op.drop_index('ix_expert_requests_keeper_status')
        batch_op.drop_index(batch_op.f('ix_expert_requests_expert_id'))

    op.drop_table('expert_requests')
    with op.batch_alter_table('library_items', schema=None) as batch_op:
        batch_op.drop_index('ix_library_items_status_published')
        batch_op.drop_index('ix_library_items_search_vector', postgresql_using='gin')
        batch_op.drop_index(batch_op.f('ix_library_items_reviewer_org_id'))
        batch_op.drop_index(batch_op.f('ix_library_items_org_path'))
        batch_op.drop_index(batch_op.f('ix_library_items_org_id'))
        batch_op.drop_index(batch_op.f('ix_library_items_is_public'))

    op.drop_table('library_items')
    with op.batch_alter_table('experts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_experts_user_id'))
        batch_op.drop_index(batch_op.f('ix_experts_org_path'))
        batch_op.drop_index('ix_experts_org_name')
        batch_op.drop_index(batch_op.f('ix_experts_org_id'))
        batch_op.drop_index(batch_op.f('ix_experts_municipality_id'))

    op.drop_table('experts')
