"""Per-period report deadlines (each reference date its own schools' and municipal bodies'
deadlines, empty: the default rule) and announcements down the organisation tree with read
receipts

The one pair of deadlines of a region (default 20 and 30 November) served both reference
dates, so the December period's reports fell due eleven months later. Each reference date now
has its own (``school_report_month_1`` … ``municipal_report_day_2``; both empty: the default
rule of mentorship/region/calendar.py — the schools a month after the reference date, the
municipal bodies by 30 November in the autumn round and a month after the schools in the other).

Existing settings: the old defaults (20 and 30 November) become the default rule; a deadline
the region had changed goes to the round whose window it falls in (after that reference date,
no later than the next one) and the other round takes the default rule. The reports not
submitted yet take the new deadlines, unless that would put a deadline in the past (a report
is never made overdue by the migration).

Revision ID: 0019_period_deadlines
Revises: 0018_pair_corrections
Create Date: 2026-12-05 10:00:00

"""
import calendar
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_period_deadlines'
down_revision = '0018_pair_corrections'
branch_labels = None
depends_on = None

PATH = sa.String(length=255).with_variant(sa.String(length=255, collation='C'), 'postgresql')
ROUNDS = (1, 2)
KINDS = ('school', 'municipal')
NEW_COLUMNS = [f'{kind}_report_{part}_{n}' for n in ROUNDS for kind in KINDS for part in ('month', 'day')]
OLD_DEFAULTS = {'school': (11, 20), 'municipal': (11, 30)}
AUTUMN = (11, 30)
SAMPLE_YEAR = 2025
OPEN_STATUSES = ('draft', 'returned')
CALENDAR_CHECK = ("reference_month_1 BETWEEN 1 AND 12 AND reference_month_2 BETWEEN 1 AND 12"
                  " AND reference_day_1 BETWEEN 1 AND 31 AND reference_day_2 BETWEEN 1 AND 31")
DEADLINES_CHECK = " AND ".join(
    f"(({kind}_report_month_{n} IS NULL) = ({kind}_report_day_{n} IS NULL))"
    f" AND ({kind}_report_month_{n} IS NULL OR {kind}_report_month_{n} BETWEEN 1 AND 12)"
    f" AND ({kind}_report_day_{n} IS NULL OR {kind}_report_day_{n} BETWEEN 1 AND 31)"
    for n in ROUNDS for kind in KINDS
)

settings_table = sa.table(
    'region_settings', sa.column('id', sa.Integer), sa.column('org_id', sa.Integer),
    *[sa.column(f'reference_{part}_{n}', sa.Integer) for n in ROUNDS for part in ('month', 'day')],
    *[sa.column(name, sa.Integer) for name in NEW_COLUMNS],
    *[sa.column(f'{kind}_report_{part}', sa.Integer) for kind in KINDS for part in ('month', 'day')],
)
organizations = sa.table('organizations', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                         sa.column('path', sa.String))
periods = sa.table('monitoring_periods', sa.column('id', sa.Integer), sa.column('org_path', sa.String),
                   sa.column('reference_date', sa.Date))
reports = sa.table('reports', sa.column('id', sa.Integer), sa.column('period_id', sa.Integer),
                   sa.column('kind', sa.String), sa.column('status', sa.String), sa.column('due_on', sa.Date))


# -- the deadline rules as of this revision (mentorship/region/calendar.py) ----------------------

def _on_day(year, month, day):
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _deadline_on(reference, month, day):
    this_year = _on_day(reference.year, month, day)
    return this_year if this_year >= reference else _on_day(reference.year + 1, month, day)


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return _on_day(index // 12, index % 12 + 1, day.day)


def _references(s, year):
    return sorted((date(year, s[f'reference_month_{n}'], s[f'reference_day_{n}']), n) for n in ROUNDS)


def _round_and_next(s, reference):
    dated = _references(s, reference.year - 1) + _references(s, reference.year) + _references(s, reference.year + 1)
    n = max((d, k) for d, k in dated if d <= reference)[1]
    return n, min(d for d, _k in dated if d > reference)


def _deadlines(s, reference):
    n, next_reference = _round_and_next(s, reference)
    month, day = s[f'school_report_month_{n}'], s[f'school_report_day_{n}']
    school = (_deadline_on(reference, month, day) if month and day
              else min(_add_months(reference, 1), next_reference))
    month, day = s[f'municipal_report_month_{n}'], s[f'municipal_report_day_{n}']
    if month and day:
        municipal = _deadline_on(reference, month, day)
    else:
        autumn = _deadline_on(school, *AUTUMN)
        municipal = autumn if autumn <= next_reference else min(_add_months(school, 1), next_reference)
    return {'school': school, 'municipal': municipal}


def _default_settings():
    values = {'reference_month_1': 6, 'reference_day_1': 20, 'reference_month_2': 12, 'reference_day_2': 20}
    values.update({name: None for name in NEW_COLUMNS})
    return values


def _migrated(row):
    """The per-round deadlines of a row that had one pair for both reference dates."""
    s = {f'reference_{part}_{n}': row[f'reference_{part}_{n}'] for n in ROUNDS for part in ('month', 'day')}
    s.update({name: None for name in NEW_COLUMNS})
    old = {kind: (row[f'{kind}_report_month'], row[f'{kind}_report_day']) for kind in KINDS}
    if old == OLD_DEFAULTS:
        return s
    for n in ROUNDS:
        reference = date(SAMPLE_YEAR, s[f'reference_month_{n}'], s[f'reference_day_{n}'])
        _n, next_reference = _round_and_next(s, reference)
        for kind, (month, day) in old.items():
            try:
                due = _deadline_on(reference, month, day)
            except ValueError:
                continue
            if reference < due <= next_reference:
                s[f'{kind}_report_month_{n}'], s[f'{kind}_report_day_{n}'] = month, day
        due = _deadlines(s, reference)
        if not (due['school'] <= due['municipal'] <= next_reference):
            s[f'municipal_report_month_{n}'] = s[f'municipal_report_day_{n}'] = None
    return s


def _migrate_settings_and_reports(conn):
    by_org = {}
    for row in conn.execute(sa.select(settings_table)).mappings().all():
        s = _migrated(row)
        conn.execute(settings_table.update().where(settings_table.c.id == row['id'])
                     .values({name: s[name] for name in NEW_COLUMNS}))
        by_org[row['org_id']] = s
    today = date.today()
    ministries = conn.execute(sa.select(organizations.c.id, organizations.c.path)
                              .where(organizations.c.kind == 'ministry')).all()
    for org_id, path in ministries:
        s = by_org.get(org_id) or _default_settings()
        rows = conn.execute(
            sa.select(reports.c.id, reports.c.kind, reports.c.due_on, periods.c.reference_date)
            .join(periods, periods.c.id == reports.c.period_id)
            .where(periods.c.org_path == path, reports.c.status.in_(OPEN_STATUSES))
        ).all()
        for report_id, kind, due_on, reference in rows:
            new = _deadlines(s, reference)[kind]
            if new != due_on and new >= today:  # never made overdue by the migration
                conn.execute(reports.update().where(reports.c.id == report_id).values(due_on=new))


def upgrade():
    op.create_table('announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('markdown', sa.Boolean(), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('audience_kinds', sa.String(length=100), nullable=True),
    sa.Column('with_schools', sa.Boolean(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recipients_count', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', PATH, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("audience IN ('all', 'kinds', 'chosen')", name=op.f('ck_announcements_audience')),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_announcements_org_id_organizations'),
                            ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_announcements_sent_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements'))
    )
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcements_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_announcements_org_path'), ['org_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_announcements_sent_at'), ['sent_at'], unique=False)

    op.create_table('announcement_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', PATH, nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'],
                            name=op.f('fk_announcement_attachments_announcement_id_announcements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'],
                            name=op.f('fk_announcement_attachments_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'],
                            name=op.f('fk_announcement_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcement_attachments')),
    sa.UniqueConstraint('announcement_id', name=op.f('uq_announcement_attachments_announcement_id'))
    )
    with op.batch_alter_table('announcement_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_attachments_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_announcement_attachments_org_path'), ['org_path'], unique=False)

    op.create_table('announcement_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('read_by_id', sa.Integer(), nullable=True),
    sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('org_path', PATH, nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'],
                            name=op.f('fk_announcement_receipts_announcement_id_announcements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'],
                            name=op.f('fk_announcement_receipts_org_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['read_by_id'], ['users.id'], name=op.f('fk_announcement_receipts_read_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcement_receipts')),
    sa.UniqueConstraint('announcement_id', 'org_id', name=op.f('uq_announcement_receipts_announcement_id_org_id'))
    )
    with op.batch_alter_table('announcement_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_receipts_announcement_id'), ['announcement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_announcement_receipts_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_announcement_receipts_org_path'), ['org_path'], unique=False)

    with op.batch_alter_table('region_settings', schema=None) as batch_op:
        for name in NEW_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))

    _migrate_settings_and_reports(op.get_bind())

    with op.batch_alter_table('region_settings', schema=None) as batch_op:
        batch_op.drop_column('municipal_report_day')
        batch_op.drop_column('municipal_report_month')
        batch_op.drop_column('school_report_day')
        batch_op.drop_column('school_report_month')
        batch_op.create_check_constraint(batch_op.f('ck_region_settings_calendar'), CALENDAR_CHECK)
        batch_op.create_check_constraint(batch_op.f('ck_region_settings_report_deadlines'), DEADLINES_CHECK)


def downgrade():
    with op.batch_alter_table('region_settings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_region_settings_report_deadlines'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_region_settings_calendar'), type_='check')
        batch_op.add_column(sa.Column('school_report_month', sa.Integer(), server_default='11', nullable=False))
        batch_op.add_column(sa.Column('school_report_day', sa.Integer(), server_default='20', nullable=False))
        batch_op.add_column(sa.Column('municipal_report_month', sa.Integer(), server_default='11', nullable=False))
        batch_op.add_column(sa.Column('municipal_report_day', sa.Integer(), server_default='30', nullable=False))

    # One pair again: the first round's deadlines where the region set them.
    conn = op.get_bind()
    for row in conn.execute(sa.select(settings_table)).mappings().all():
        values = {}
        for kind in KINDS:
            month, day = row[f'{kind}_report_month_1'], row[f'{kind}_report_day_1']
            if month and day:
                values[f'{kind}_report_month'], values[f'{kind}_report_day'] = month, day
        if values:
            conn.execute(settings_table.update().where(settings_table.c.id == row['id']).values(values))

    with op.batch_alter_table('region_settings', schema=None) as batch_op:
        for name in reversed(NEW_COLUMNS):
            batch_op.drop_column(name)

    with op.batch_alter_table('announcement_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_receipts_org_path'))
        batch_op.drop_index(batch_op.f('ix_announcement_receipts_org_id'))
        batch_op.drop_index(batch_op.f('ix_announcement_receipts_announcement_id'))
    op.drop_table('announcement_receipts')

    with op.batch_alter_table('announcement_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_attachments_org_path'))
        batch_op.drop_index(batch_op.f('ix_announcement_attachments_org_id'))
    op.drop_table('announcement_attachments')

    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcements_sent_at'))
        batch_op.drop_index(batch_op.f('ix_announcements_org_path'))
        batch_op.drop_index(batch_op.f('ix_announcements_org_id'))
    op.drop_table('announcements')
