"""Public foundation: organisation slugs, publication consents, partners' agreement to publication

Revision ID: 0011_public_foundation
Revises: 0010_surveys
Create Date: 2026-12-03 19:50:00

"""
from alembic import op
import sqlalchemy as sa
from slugify import slugify


# revision identifiers, used by Alembic.
revision = '0011_public_foundation'
down_revision = '0010_surveys'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slug', sa.String(length=80), nullable=True))
    _backfill_slugs()
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_organizations_slug'), ['slug'])

    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publication_agreed', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.alter_column('publication_agreed', server_default=None)

    op.create_table('publication_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('scope_note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_publication_consents_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_publication_consents_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_publication_consents_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication_consents'))
    )
    with op.batch_alter_table('publication_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_consents_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_publication_consents_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_publication_consents_participant_id'), ['participant_id'], unique=False)


def _backfill_slugs():
    """Each organisation's slug from its short name or name (a ministry's from its region's
    name); a repeated one gets the id."""
    conn = op.get_bind()
    orgs = sa.table('organizations', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                    sa.column('name', sa.String), sa.column('short_name', sa.String),
                    sa.column('region_name', sa.String), sa.column('slug', sa.String))
    taken = set()
    rows = conn.execute(sa.select(orgs.c.id, orgs.c.kind, orgs.c.name, orgs.c.short_name, orgs.c.region_name)
                        .order_by(orgs.c.id))
    for org_id, kind, name, short_name, region_name in rows:
        named = region_name if kind == 'ministry' and region_name else short_name or name or ''
        base = slugify(named, max_length=60, word_boundary=True, replacements=[['№', '']]) or 'org'
        slug = base if base not in taken else f'{base}-{org_id}'
        taken.add(slug)
        conn.execute(orgs.update().where(orgs.c.id == org_id).values(slug=slug))


def downgrade():
    with op.batch_alter_table('publication_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publication_consents_participant_id'))
        batch_op.drop_index(batch_op.f('ix_publication_consents_org_path'))
        batch_op.drop_index(batch_op.f('ix_publication_consents_org_id'))
    op.drop_table('publication_consents')
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_column('publication_agreed')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_organizations_slug'), type_='unique')
        batch_op.drop_column('slug')
