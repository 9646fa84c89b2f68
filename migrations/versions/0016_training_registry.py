"""Training and the municipal registry of mentors

Revision ID: 0016_training_registry
Revises: 0015_library_experts
Create Date: 2026-12-03 19:50:00

"""
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_training_registry'
down_revision = '0015_library_experts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('training_courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=True),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('form_codes', sa.JSON(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('enrolment_open', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("audience IN ('mentors', 'curators', 'all')", name=op.f('ck_training_courses_audience')),
    sa.CheckConstraint("format IN ('in_person', 'online')", name=op.f('ck_training_courses_format')),
    sa.CheckConstraint("kind IN ('school_of_mentors', 'seminar', 'webinar', 'course', 'consultation')", name=op.f('ck_training_courses_kind')),
    sa.CheckConstraint('capacity BETWEEN 1 AND 10000', name=op.f('ck_training_courses_capacity')),
    sa.CheckConstraint('ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on', name=op.f('ck_training_courses_dates')),
    sa.CheckConstraint('hours BETWEEN 1 AND 1000', name=op.f('ck_training_courses_hours')),
    sa.CheckConstraint('seats_taken >= 0 AND seats_taken <= capacity', name=op.f('ck_training_courses_seats')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_training_courses_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_training_courses_org_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_courses'))
    )
    with op.batch_alter_table('training_courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_courses_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_courses_org_path'), ['org_path'], unique=False)

    op.create_table('training_programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['training_courses.id'], name=op.f('fk_training_programmes_course_id_training_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_training_programmes_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_training_programmes_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_programmes')),
    sa.UniqueConstraint('course_id', name=op.f('uq_training_programmes_course_id'))
    )
    with op.batch_alter_table('training_programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_programmes_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_programmes_org_path'), ['org_path'], unique=False)

    op.create_table('training_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=True),
    sa.Column('duration_hours', sa.Integer(), nullable=True),
    sa.Column('topic', sa.String(length=300), nullable=False),
    sa.Column('place', sa.String(length=500), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.CheckConstraint('duration_hours IS NULL OR duration_hours BETWEEN 1 AND 24', name=op.f('ck_training_sessions_duration')),
    sa.ForeignKeyConstraint(['course_id'], ['training_courses.id'], name=op.f('fk_training_sessions_course_id_training_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_training_sessions_org_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_sessions'))
    )
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_sessions_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_sessions_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_sessions_org_path'), ['org_path'], unique=False)

    op.create_table('registry_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=300), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('subjects', sa.String(length=500), nullable=True),
    sa.Column('competencies', sa.JSON(), nullable=False),
    sa.Column('forms', sa.JSON(), nullable=False),
    sa.Column('trained', sa.Boolean(), nullable=False),
    sa.Column('training_title', sa.String(length=300), nullable=True),
    sa.Column('trained_on', sa.Date(), nullable=True),
    sa.Column('training_hours', sa.Integer(), nullable=True),
    sa.Column('awards', sa.JSON(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_registry_entries_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_registry_entries_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_entries')),
    sa.UniqueConstraint('participant_id', name=op.f('uq_registry_entries_participant_id'))
    )
    with op.batch_alter_table('registry_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registry_entries_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_registry_entries_org_name', ['org_id', 'full_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_registry_entries_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_registry_entries_trained'), ['trained'], unique=False)

    op.create_table('training_enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('display_name', sa.String(length=300), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('enrolled_by_id', sa.Integer(), nullable=True),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.CheckConstraint("role IN ('mentor', 'staff')", name=op.f('ck_training_enrolments_role')),
    sa.CheckConstraint("status IN ('enrolled', 'completed', 'cancelled')", name=op.f('ck_training_enrolments_status')),
    sa.CheckConstraint('(participant_id IS NULL) <> (user_id IS NULL)', name=op.f('ck_training_enrolments_one_person')),
    sa.ForeignKeyConstraint(['course_id'], ['training_courses.id'], name=op.f('fk_training_enrolments_course_id_training_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolled_by_id'], ['users.id'], name=op.f('fk_training_enrolments_enrolled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_training_enrolments_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_training_enrolments_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_training_enrolments_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_enrolments')),
    sa.UniqueConstraint('course_id', 'participant_id', name=op.f('uq_training_enrolments_course_id_participant_id')),
    sa.UniqueConstraint('course_id', 'user_id', name=op.f('uq_training_enrolments_course_id_user_id'))
    )
    with op.batch_alter_table('training_enrolments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_enrolments_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_enrolments_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_enrolments_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_enrolments_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_enrolments_user_id'), ['user_id'], unique=False)

    op.create_table('training_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['training_enrolments.id'], name=op.f('fk_training_attendance_enrolment_id_training_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_training_attendance_marked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_training_attendance_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_training_attendance_session_id_training_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_attendance')),
    sa.UniqueConstraint('session_id', 'enrolment_id', name=op.f('uq_training_attendance_session_id_enrolment_id'))
    )
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_attendance_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_attendance_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_attendance_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_attendance_session_id'), ['session_id'], unique=False)

    op.create_table('training_completions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=True),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('issuer_id', sa.Integer(), nullable=True),
    sa.Column('course_title', sa.String(length=300), nullable=False),
    sa.Column('organiser_name', sa.String(length=300), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('certificate_number', sa.String(length=40), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(participant_id IS NULL) <> (user_id IS NULL)', name=op.f('ck_training_completions_one_person')),
    sa.CheckConstraint('hours BETWEEN 1 AND 1000', name=op.f('ck_training_completions_hours')),
    sa.ForeignKeyConstraint(['course_id'], ['training_courses.id'], name=op.f('fk_training_completions_course_id_training_courses'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['training_enrolments.id'], name=op.f('fk_training_completions_enrolment_id_training_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issuer_id'], ['organizations.id'], name=op.f('fk_training_completions_issuer_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_training_completions_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_training_completions_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_training_completions_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_training_completions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_completions')),
    sa.UniqueConstraint('enrolment_id', name=op.f('uq_training_completions_enrolment_id')),
    sa.UniqueConstraint('issuer_id', 'certificate_number', name=op.f('uq_training_completions_issuer_id_certificate_number'))
    )
    with op.batch_alter_table('training_completions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_completions_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_completions_issuer_id'), ['issuer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_completions_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_completions_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_completions_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_completions_user_id'), ['user_id'], unique=False)

    op.create_table('training_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('completion_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql'), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['completion_id'], ['training_completions.id'], name=op.f('fk_training_certificates_completion_id_training_completions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_training_certificates_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_training_certificates_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_certificates')),
    sa.UniqueConstraint('completion_id', name=op.f('uq_training_certificates_completion_id'))
    )
    with op.batch_alter_table('training_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_certificates_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_certificates_org_path'), ['org_path'], unique=False)

    _backfill_registry()


def _backfill_registry():
    """Mentors who had already agreed to the municipal registry in their questionnaire get their
    entry (adults only; the forms chosen in the questionnaire; trained as the questionnaire
    says). A school's next change of the mentor rewrites the entry in full."""
    conn = op.get_bind()
    participants = sa.table('participants', sa.column('id', sa.Integer), sa.column('org_id', sa.Integer),
                            sa.column('org_path', sa.String), sa.column('full_name', sa.String),
                            sa.column('category', sa.String), sa.column('class_or_position', sa.String),
                            sa.column('birth_date', sa.Date), sa.column('in_mentor_bank', sa.Boolean),
                            sa.column('anonymised_at', sa.DateTime))
    profiles = sa.table('mentor_profiles', sa.column('participant_id', sa.Integer), sa.column('subjects', sa.String),
                        sa.column('competencies', sa.JSON), sa.column('preferred_forms', sa.JSON),
                        sa.column('training_status', sa.String), sa.column('publish_consent', sa.Boolean))
    entries = sa.table('registry_entries', sa.column('participant_id', sa.Integer), sa.column('org_id', sa.Integer),
                       sa.column('org_path', sa.String), sa.column('full_name', sa.String),
                       sa.column('category', sa.String), sa.column('position', sa.String),
                       sa.column('subjects', sa.String), sa.column('competencies', sa.JSON),
                       sa.column('forms', sa.JSON), sa.column('trained', sa.Boolean), sa.column('awards', sa.JSON),
                       sa.column('created_at', sa.DateTime(timezone=True)),
                       sa.column('updated_at', sa.DateTime(timezone=True)))
    today = date.today()
    adult_born_by = today.replace(year=today.year - 18) if (today.month, today.day) != (2, 29) \
        else date(today.year - 18, 2, 28)
    rows = conn.execute(
        sa.select(participants.c.id, participants.c.org_id, participants.c.org_path, participants.c.full_name,
                  participants.c.category, participants.c.class_or_position, profiles.c.subjects,
                  profiles.c.competencies, profiles.c.preferred_forms, profiles.c.training_status)
        .select_from(participants.join(profiles, profiles.c.participant_id == participants.c.id))
        .where(profiles.c.publish_consent.is_(True), participants.c.in_mentor_bank.is_(True),
               participants.c.anonymised_at.is_(None),
               sa.or_(participants.c.birth_date.is_(None), participants.c.birth_date <= adult_born_by))
        .order_by(participants.c.id)
    ).all()
    now = sa.func.current_timestamp()
    for row in rows:
        conn.execute(entries.insert().values(
            participant_id=row.id, org_id=row.org_id, org_path=row.org_path, full_name=row.full_name,
            category=row.category, position=row.class_or_position, subjects=row.subjects,
            competencies=list(row.competencies or []), forms=list(row.preferred_forms or []),
            trained=row.training_status == 'completed', awards=[], created_at=now, updated_at=now))


def downgrade():
    with op.batch_alter_table('training_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_certificates_org_path'))
        batch_op.drop_index(batch_op.f('ix_training_certificates_org_id'))

    op.drop_table('training_certificates')
    with op.batch_alter_table('training_completions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_completions_user_id'))
        batch_op.drop_index(batch_op.f('ix_training_completions_participant_id'))
        batch_op.drop_index(batch_op.f('ix_training_completions_org_path'))
        batch_op.drop_index(batch_op.f('ix_training_completions_org_id'))
        batch_op.drop_index(batch_op.f('ix_training_completions_issuer_id'))
        batch_op.drop_index(batch_op.f('ix_training_completions_course_id'))

    op.drop_table('training_completions')
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_attendance_session_id'))
        batch_op.drop_index(batch_op.f('ix_training_attendance_org_path'))
        batch_op.drop_index(batch_op.f('ix_training_attendance_org_id'))
        batch_op.drop_index(batch_op.f('ix_training_attendance_enrolment_id'))

    op.drop_table('training_attendance')
    with op.batch_alter_table('training_enrolments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_enrolments_user_id'))
        batch_op.drop_index(batch_op.f('ix_training_enrolments_participant_id'))
        batch_op.drop_index(batch_op.f('ix_training_enrolments_org_path'))
        batch_op.drop_index(batch_op.f('ix_training_enrolments_org_id'))
        batch_op.drop_index(batch_op.f('ix_training_enrolments_course_id'))

    op.drop_table('training_enrolments')
    with op.batch_alter_table('registry_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registry_entries_trained'))
        batch_op.drop_index(batch_op.f('ix_registry_entries_org_path'))
        batch_op.drop_index('ix_registry_entries_org_name')
        batch_op.drop_index(batch_op.f('ix_registry_entries_org_id'))

    op.drop_table('registry_entries')
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_sessions_org_path'))
        batch_op.drop_index(batch_op.f('ix_training_sessions_org_id'))
        batch_op.drop_index(batch_op.f('ix_training_sessions_course_id'))

    op.drop_table('training_sessions')
    with op.batch_alter_table('training_programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_programmes_org_path'))
        batch_op.drop_index(batch_op.f('ix_training_programmes_org_id'))

    op.drop_table('training_programmes')
    with op.batch_alter_table('training_courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_courses_org_path'))
        batch_op.drop_index(batch_op.f('ix_training_courses_org_id'))

    op.drop_table('training_courses')
