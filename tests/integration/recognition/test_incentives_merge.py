"""The merge of the incentives register into the awards (migration 0013): every incentive becomes
an award of the same mentor, pair, kind, date and note, granted by the school that recorded it
and not public; ``incentives`` is gone. The downgrade puts the mentors' awards back. On
PostgreSQL and on a SQLite file."""
from __future__ import annotations

from datetime import UTC, date, datetime

import flask_migrate
import pytest
import sqlalchemy as sa

import config
from core.extensions import db
from factory import create_app
from tests.integration.core.test_migrations import _keep_logging  # noqa: F401  (the same logging guard)

BEFORE, MERGE = "0012_contests", "0013_awards_portfolio"
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _seed(conn) -> None:
    """A ministry, a municipal body and a school; a mentor; a pair-less and a pair's incentive."""
    meta = sa.MetaData()
    meta.reflect(conn, only=["organizations", "participants", "programmes", "mentorships", "incentives"])
    orgs, people, incentives = meta.tables["organizations"], meta.tables["participants"], meta.tables["incentives"]
    stamp = {"created_at": NOW, "updated_at": NOW}
    for org in (
        {"id": 1, "kind": "ministry", "parent_id": None, "school_type": None, "name": "Министерство", "path": "/1/"},
        {"id": 2, "kind": "municipality", "parent_id": 1, "school_type": None, "name": "Управление", "path": "/1/2/"},
        {"id": 3, "kind": "school", "parent_id": 2, "school_type": "school", "name": "Школа № 1", "path": "/1/2/3/"},
    ):
        conn.execute(orgs.insert(), [{**org, "is_active": True, **stamp}])
    owner = {"org_id": 3, "org_path": "/1/2/3/"}
    conn.execute(people.insert(), [
        {"id": 1, "full_name": "Иванова Мария", "category": "teacher", "special_needs": False,
         "in_mentor_bank": True, "in_mentee_bank": False, **owner, **stamp},
        {"id": 2, "full_name": "Петров Илья", "category": "pupil", "special_needs": False,
         "in_mentor_bank": False, "in_mentee_bank": True, **owner, **stamp},
    ])
    conn.execute(meta.tables["programmes"].insert(), [_row(meta.tables["programmes"], {
        "id": 1, "title": "Программа", "form_code": "teacher_pupil", "school_year": 2026, "status": "active", "meeting_gap_weeks": 2, **owner, **stamp})])
    conn.execute(meta.tables["mentorships"].insert(), [_row(meta.tables["mentorships"], {
        "id": 1, "programme_id": 1, "form_code": "teacher_pupil", "mentor_id": 1, "started_on": date(2026, 9, 1),
        "status": "active", "reasons": [], **owner, **stamp})])
    conn.execute(incentives.insert(), [
        {"id": 1, "participant_id": 1, "mentorship_id": None, "kind": "certificate", "awarded_on": date(2026, 5, 1),
         "note": "Грамота директора", **owner},
        {"id": 2, "participant_id": 1, "mentorship_id": 1, "kind": "bonus", "awarded_on": date(2026, 10, 1),
         "note": None, **owner},
    ])


def _row(table, values: dict) -> dict:
    """``values`` limited to the table's columns, every other non-null column given a plain value."""
    row = {k: v for k, v in values.items() if k in table.c}
    for column in table.c:
        if column.name in row or column.nullable or column.server_default is not None or column.primary_key:
            continue
        python_type = column.type.python_type if not isinstance(column.type, sa.JSON) else list
        row[column.name] = {bool: False, int: 1, str: "x", list: [], dict: {}}.get(python_type, None)
    return row


def _merge_round_trip(url: str) -> None:
    app = create_app(config.TestingConfig(), SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        try:
            flask_migrate.upgrade(revision=BEFORE)
            with db.engine.begin() as conn:
                _seed(conn)
            flask_migrate.upgrade(revision=MERGE)
            with db.engine.connect() as conn:
                assert not sa.inspect(conn).has_table("incentives")
                rows = conn.execute(sa.text(
                    "SELECT participant_id, enterprise_id, mentorship_id, kind, awarded_on, note, granting_org_id, "
                    "granted_by, is_public, public_name, order_id, org_id, org_path FROM awards ORDER BY id")).all()
            assert [(*r[:4], str(r[4])[:10], r[5], r[6], r[7], bool(r[8]), *r[9:]) for r in rows] == [
                (1, None, None, "certificate", "2026-05-01", "Грамота директора", 3, "Школа № 1", False, None, None, 3,
                 "/1/2/3/"),
                (1, None, 1, "bonus", "2026-10-01", None, 3, "Школа № 1", False, None, None, 3, "/1/2/3/"),
            ]
            flask_migrate.downgrade(revision=BEFORE)
            with db.engine.connect() as conn:
                assert not sa.inspect(conn).has_table("awards")
                back = conn.execute(sa.text(
                    "SELECT participant_id, mentorship_id, kind, note FROM incentives ORDER BY id")).all()
            assert [tuple(r) for r in back] == [(1, None, "certificate", "Грамота директора"), (1, 1, "bonus", None)]
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.mark.needs("postgresql")
def test_incentives_become_awards_on_postgresql(fresh_pg_url):
    _merge_round_trip(fresh_pg_url)


def test_incentives_become_awards_on_sqlite_file(tmp_path):
    _merge_round_trip(f"sqlite:///{tmp_path / 'merge.sqlite'}")
