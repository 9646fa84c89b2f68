"""Roadmaps move into the new year: deadlines taken over and flagged, text around the table,
the day a plan came into force, stages done with evidence

Revision ID: 0017_roadmap_periods
Revises: 0016_training_registry
Create Date: 2026-12-03 20:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_roadmap_periods'
down_revision = '0016_training_registry'
branch_labels = None
depends_on = None

FLAG_CHECK = "deadline_flag IS NULL OR deadline_flag IN ('outside', 'passed')"


def upgrade():
    with op.batch_alter_table('roadmaps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('preamble', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('footnote', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('in_force_from', sa.Date(), nullable=True))

    with op.batch_alter_table('roadmap_stages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline_moved_from', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('deadline_flag', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('origin_stage_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('done_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('done_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('done_note', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_roadmap_stages_origin_stage_id'), ['origin_stage_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_roadmap_stages_done_by_id_users'), 'users', ['done_by_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_check_constraint(batch_op.f('ck_roadmap_stages_deadline_flag'), FLAG_CHECK)

    with op.batch_alter_table('roadmap_activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline_moved_from', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('deadline_flag', sa.String(length=20), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_roadmap_activities_deadline_flag'), FLAG_CHECK)

    op.create_table('stage_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_stage_evidence_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['stage_id'], ['roadmap_stages.id'], name=op.f('fk_stage_evidence_stage_id_roadmap_stages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_stage_evidence_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_evidence'))
    )
    with op.batch_alter_table('stage_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_evidence_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_evidence_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_evidence_stage_id'), ['stage_id'], unique=False)

    # Plans already approved came into force on their lineage's first approval.
    op.execute(
        "UPDATE roadmaps SET in_force_from = (SELECT date(MIN(r2.approved_at)) FROM roadmaps r2 "
        "WHERE r2.lineage_id = roadmaps.lineage_id AND r2.approved_at IS NOT NULL)"
    )


def downgrade():
    with op.batch_alter_table('stage_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_evidence_stage_id'))
        batch_op.drop_index(batch_op.f('ix_stage_evidence_org_path'))
        batch_op.drop_index(batch_op.f('ix_stage_evidence_org_id'))
    op.drop_table('stage_evidence')

    with op.batch_alter_table('roadmap_activities', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_roadmap_activities_deadline_flag'), type_='check')
        batch_op.drop_column('deadline_flag')
        batch_op.drop_column('deadline_moved_from')

    with op.batch_alter_table('roadmap_stages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_roadmap_stages_deadline_flag'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_roadmap_stages_done_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_roadmap_stages_origin_stage_id'))
        batch_op.drop_column('done_note')
        batch_op.drop_column('done_by_id')
        batch_op.drop_column('done_at')
        batch_op.drop_column('origin_stage_id')
        batch_op.drop_column('deadline_flag')
        batch_op.drop_column('deadline_moved_from')

    with op.batch_alter_table('roadmaps', schema=None) as batch_op:
        batch_op.drop_column('in_force_from')
        batch_op.drop_column('footnote')
        batch_op.drop_column('preamble')
