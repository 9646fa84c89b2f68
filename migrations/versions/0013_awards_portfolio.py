"""Awards and their orders, portfolios, the board of honour

The former incentives register (``incentives``, pairing) becomes the awards register of
recognition: its rows are moved into ``awards`` (same kinds, same recipients and pairs, the
school as the granting body), then ``incentives`` is dropped — one register, not two.

Revision ID: 0013_awards_portfolio
Revises: 0012_contests
Create Date: 2026-12-03 19:50:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_awards_portfolio'
down_revision = '0012_contests'
branch_labels = None
depends_on = None

PATH = sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql')
OLD_KINDS = ('thanks', 'certificate', 'bonus', 'nomination', 'other')
# downgrade: the new kinds onto the five of the incentives register
TO_OLD_KIND = {'certificate': 'certificate', 'gratitude': 'thanks', 'thanks': 'thanks', 'diploma': 'other',
               'bonus': 'bonus', 'nomination': 'nomination', 'other': 'other'}


def _incentives_table():
    return sa.table('incentives', sa.column('id', sa.Integer), sa.column('participant_id', sa.Integer),
                    sa.column('mentorship_id', sa.Integer), sa.column('kind', sa.String),
                    sa.column('awarded_on', sa.Date), sa.column('note', sa.Text), sa.column('org_id', sa.Integer),
                    sa.column('org_path', PATH))


def _awards_table():
    return sa.table('awards', sa.column('id', sa.Integer), sa.column('participant_id', sa.Integer),
                    sa.column('enterprise_id', sa.Integer), sa.column('mentorship_id', sa.Integer),
                    sa.column('kind', sa.String), sa.column('title', sa.String), sa.column('awarded_on', sa.Date),
                    sa.column('granting_org_id', sa.Integer), sa.column('granted_by', sa.String),
                    sa.column('note', sa.Text), sa.column('is_public', sa.Boolean), sa.column('org_id', sa.Integer),
                    sa.column('org_path', PATH), sa.column('created_at', sa.DateTime(timezone=True)),
                    sa.column('updated_at', sa.DateTime(timezone=True)))


def _move_incentives_into_awards():
    """Every incentive becomes an award of the same mentor (and pair), kind and date, granted
    by the school that recorded it; nothing public."""
    conn = op.get_bind()
    incentives, awards = _incentives_table(), _awards_table()
    orgs = sa.table('organizations', sa.column('id', sa.Integer), sa.column('name', sa.String))
    rows = conn.execute(
        sa.select(incentives, orgs.c.name).join(orgs, orgs.c.id == incentives.c.org_id).order_by(incentives.c.id)
    ).all()
    now = datetime.now(timezone.utc)
    if rows:
        conn.execute(awards.insert(), [
            {'participant_id': r.participant_id, 'enterprise_id': None, 'mentorship_id': r.mentorship_id,
             'kind': r.kind, 'title': None, 'awarded_on': r.awarded_on, 'granting_org_id': r.org_id,
             'granted_by': r.name, 'note': r.note, 'is_public': False, 'org_id': r.org_id, 'org_path': r.org_path,
             'created_at': now, 'updated_at': now}
            for r in rows
        ])


def _create_incentives():
    op.create_table('incentives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('mentorship_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('awarded_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', PATH, nullable=False),
    sa.CheckConstraint("kind IN ('thanks', 'certificate', 'bonus', 'nomination', 'other')", name=op.f('ck_incentives_kind')),
    sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'], name=op.f('fk_incentives_mentorship_id_mentorships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_incentives_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_incentives_participant_id_participants'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incentives'))
    )
    with op.batch_alter_table('incentives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incentives_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incentives_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_incentives_participant_id'), ['participant_id'], unique=False)


def _move_awards_back():
    """The mentors' awards go back to the incentives register (partners' awards and orders
    have no place there and are lost on downgrade)."""
    conn = op.get_bind()
    incentives, awards = _incentives_table(), _awards_table()
    rows = conn.execute(
        sa.select(awards).where(awards.c.participant_id.is_not(None)).order_by(awards.c.id)
    ).all()
    if rows:
        conn.execute(incentives.insert(), [
            {'participant_id': r.participant_id, 'mentorship_id': r.mentorship_id, 'kind': TO_OLD_KIND[r.kind],
             'awarded_on': r.awarded_on, 'note': '; '.join(t for t in (r.title, r.note) if t) or None,
             'org_id': r.org_id, 'org_path': r.org_path}
            for r in rows
        ])


def upgrade():
    op.create_table('award_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('dated', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('grounds', sa.Text(), nullable=True),
    sa.Column('signatory', sa.String(length=300), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('seq >= 1', name=op.f('ck_award_orders_seq')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_award_orders_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_award_orders_org_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_orders')),
    sa.UniqueConstraint('org_id', 'year', 'seq', name=op.f('uq_award_orders_org_id_year_seq'))
    )
    with op.batch_alter_table('award_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_orders_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_orders_org_path'), ['org_path'], unique=False)

    op.create_table('awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('mentorship_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('awarded_on', sa.Date(), nullable=False),
    sa.Column('granting_org_id', sa.Integer(), nullable=True),
    sa.Column('granted_by', sa.String(length=300), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('order_number', sa.String(length=40), nullable=True),
    sa.Column('order_date', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('public_name', sa.String(length=300), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('certificate', 'gratitude', 'thanks', 'diploma', 'bonus', 'nomination', 'other')", name=op.f('ck_awards_kind')),
    sa.CheckConstraint('(participant_id IS NULL) <> (enterprise_id IS NULL)', name=op.f('ck_awards_one_recipient')),
    sa.CheckConstraint('order_id IS NULL OR order_number IS NULL', name=op.f('ck_awards_one_order')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_awards_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_awards_enterprise_id_enterprises'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['granting_org_id'], ['organizations.id'], name=op.f('fk_awards_granting_org_id_organizations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'], name=op.f('fk_awards_mentorship_id_mentorships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['award_orders.id'], name=op.f('fk_awards_order_id_award_orders'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_awards_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_awards_participant_id_participants'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_awards'))
    )
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_awards_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_is_public'), ['is_public'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_mentorship_id'), ['mentorship_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_participant_id'), ['participant_id'], unique=False)

    op.create_table('portfolio_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('happened_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind <> 'link' OR url IS NOT NULL", name=op.f('ck_portfolio_items_link_url')),
    sa.CheckConstraint("kind IN ('achievement', 'publication', 'link', 'file')", name=op.f('ck_portfolio_items_kind')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_portfolio_items_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_portfolio_items_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_portfolio_items_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portfolio_items'))
    )
    with op.batch_alter_table('portfolio_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portfolio_items_is_public'), ['is_public'], unique=False)
        batch_op.create_index(batch_op.f('ix_portfolio_items_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_portfolio_items_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_portfolio_items_participant_id'), ['participant_id'], unique=False)

    op.create_table('portfolio_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['portfolio_items.id'], name=op.f('fk_portfolio_files_item_id_portfolio_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_portfolio_files_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_portfolio_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portfolio_files')),
    sa.UniqueConstraint('item_id', name=op.f('uq_portfolio_files_item_id'))
    )
    with op.batch_alter_table('portfolio_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portfolio_files_is_public'), ['is_public'], unique=False)
        batch_op.create_index(batch_op.f('ix_portfolio_files_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_portfolio_files_org_path'), ['org_path'], unique=False)

    op.create_table('honour_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('achievements', sa.Text(), nullable=True),
    sa.Column('photo_data', sa.LargeBinary(), nullable=True),
    sa.Column('photo_type', sa.String(length=20), nullable=True),
    sa.Column('photo_size', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_honour_cards_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_honour_cards_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_honour_cards_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honour_cards')),
    sa.UniqueConstraint('participant_id', name=op.f('uq_honour_cards_participant_id'))
    )
    with op.batch_alter_table('honour_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honour_cards_is_public'), ['is_public'], unique=False)
        batch_op.create_index(batch_op.f('ix_honour_cards_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honour_cards_org_path'), ['org_path'], unique=False)

    _move_incentives_into_awards()
    with op.batch_alter_table('incentives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incentives_org_id'))
        batch_op.drop_index(batch_op.f('ix_incentives_org_path'))
        batch_op.drop_index(batch_op.f('ix_incentives_participant_id'))
    op.drop_table('incentives')


def downgrade():
    _create_incentives()
    _move_awards_back()
    with op.batch_alter_table('honour_cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honour_cards_org_path'))
        batch_op.drop_index(batch_op.f('ix_honour_cards_org_id'))
        batch_op.drop_index(batch_op.f('ix_honour_cards_is_public'))
    op.drop_table('honour_cards')
    with op.batch_alter_table('portfolio_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portfolio_files_org_path'))
        batch_op.drop_index(batch_op.f('ix_portfolio_files_org_id'))
        batch_op.drop_index(batch_op.f('ix_portfolio_files_is_public'))
    op.drop_table('portfolio_files')
    with op.batch_alter_table('portfolio_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portfolio_items_participant_id'))
        batch_op.drop_index(batch_op.f('ix_portfolio_items_org_path'))
        batch_op.drop_index(batch_op.f('ix_portfolio_items_org_id'))
        batch_op.drop_index(batch_op.f('ix_portfolio_items_is_public'))
    op.drop_table('portfolio_items')
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_awards_participant_id'))
        batch_op.drop_index(batch_op.f('ix_awards_org_path'))
        batch_op.drop_index(batch_op.f('ix_awards_org_id'))
        batch_op.drop_index(batch_op.f('ix_awards_order_id'))
        batch_op.drop_index(batch_op.f('ix_awards_mentorship_id'))
        batch_op.drop_index(batch_op.f('ix_awards_is_public'))
        batch_op.drop_index(batch_op.f('ix_awards_enterprise_id'))
    op.drop_table('awards')
    with op.batch_alter_table('award_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_orders_org_path'))
        batch_op.drop_index(batch_op.f('ix_award_orders_org_id'))
    op.drop_table('award_orders')
