"""Public pages: page settings, news, published documents

Revision ID: 0014_public_site
Revises: 0013_awards_portfolio
Create Date: 2026-12-03 19:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_public_site'
down_revision = '0013_awards_portfolio'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('public_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('regulation', 'roadmap', 'order', 'report', 'other')", name=op.f('ck_public_documents_category')),
    sa.CheckConstraint("kind IN ('upload', 'roadmap', 'analytical', 'award_order')", name=op.f('ck_public_documents_kind')),
    sa.CheckConstraint('size >= 0', name=op.f('ck_public_documents_size')),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_public_documents_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_public_documents_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_documents'))
    )
    with op.batch_alter_table('public_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_documents_is_public'), ['is_public'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_documents_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_documents_org_path'), ['org_path'], unique=False)

    op.create_table('public_news',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('picture', sa.LargeBinary(), nullable=True),
    sa.Column('picture_type', sa.String(length=40), nullable=True),
    sa.Column('picture_alt', sa.String(length=300), nullable=True),
    sa.Column('picture_width', sa.Integer(), nullable=True),
    sa.Column('picture_height', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_public_news_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_public_news_org_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_news'))
    )
    with op.batch_alter_table('public_news', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_news_is_public'), ['is_public'], unique=False)
        batch_op.create_index('ix_public_news_org_date', ['org_id', 'published_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_news_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_news_org_path'), ['org_path'], unique=False)

    op.create_table('public_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intro', sa.Text(), nullable=True),
    sa.Column('programme_text', sa.Text(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('phone', sa.String(length=60), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('contacts_note', sa.Text(), nullable=True),
    sa.Column('pairs_count', sa.Integer(), nullable=False),
    sa.Column('mentors_count', sa.Integer(), nullable=False),
    sa.Column('mentees_count', sa.Integer(), nullable=False),
    sa.Column('forms', sa.JSON(), nullable=False),
    sa.Column('counts_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('pairs_count >= 0 AND mentors_count >= 0 AND mentees_count >= 0', name=op.f('ck_public_pages_counts')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_public_pages_version')),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_public_pages_org_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_pages')),
    sa.UniqueConstraint('org_id', name=op.f('uq_public_pages_org_id'))
    )
    with op.batch_alter_table('public_pages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_pages_is_public'), ['is_public'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_pages_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_pages_org_path'), ['org_path'], unique=False)

    op.create_table('public_practices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_public_practices_org_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_practices'))
    )
    with op.batch_alter_table('public_practices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_practices_is_public'), ['is_public'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_practices_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_practices_org_path'), ['org_path'], unique=False)

    op.create_table('public_document_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['public_documents.id'], name=op.f('fk_public_document_people_document_id_public_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_public_document_people_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_public_document_people_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_document_people')),
    sa.UniqueConstraint('document_id', 'participant_id', name=op.f('uq_public_document_people_document_id_participant_id'))
    )
    with op.batch_alter_table('public_document_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_document_people_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_document_people_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_document_people_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_document_people_participant_id'), ['participant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('public_document_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_document_people_participant_id'))
        batch_op.drop_index(batch_op.f('ix_public_document_people_org_path'))
        batch_op.drop_index(batch_op.f('ix_public_document_people_org_id'))
        batch_op.drop_index(batch_op.f('ix_public_document_people_document_id'))

    op.drop_table('public_document_people')
    with op.batch_alter_table('public_practices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_practices_org_path'))
        batch_op.drop_index(batch_op.f('ix_public_practices_org_id'))
        batch_op.drop_index(batch_op.f('ix_public_practices_is_public'))

    op.drop_table('public_practices')
    with op.batch_alter_table('public_pages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_pages_org_path'))
        batch_op.drop_index(batch_op.f('ix_public_pages_org_id'))
        batch_op.drop_index(batch_op.f('ix_public_pages_is_public'))

    op.drop_table('public_pages')
    with op.batch_alter_table('public_news', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_news_org_path'))
        batch_op.drop_index(batch_op.f('ix_public_news_org_id'))
        batch_op.drop_index('ix_public_news_org_date')
        batch_op.drop_index(batch_op.f('ix_public_news_is_public'))

    op.drop_table('public_news')
    with op.batch_alter_table('public_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_documents_org_path'))
        batch_op.drop_index(batch_op.f('ix_public_documents_org_id'))
        batch_op.drop_index(batch_op.f('ix_public_documents_is_public'))

    op.drop_table('public_documents')
