"""A synthetic region for benchmarks and demos: a ministry, municipal bodies (about one per
40 schools), N schools and M participants with enterprises, programmes, pairs and contingent.

Deterministic from the seed (and the ``as_of`` date the ages are drawn around): the same
arguments give the same people, pairs and figures, whatever ids the database hands out.

Written fast, in bulk, under ``unscoped("synthetic-region")``: schools by Core INSERT,
everything else with explicit ids in chunks of schools — PostgreSQL ``COPY`` through
psycopg's ``cursor.copy`` when the dialect is postgresql, executemany INSERTs elsewhere.
Nothing here is for request code: it bypasses the ORM's per-row tenant checks, after
giving every row the owner it is generated for.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from core.extensions import db
from mentorship.monitoring.facts import school_year_of, years_before
from mentorship.monitoring.models import ContingentRecord, RegionFigure
from mentorship.pairing.models import Mentorship, MentorshipMentee, Programme
from mentorship.people.models import Enterprise, Participant
from tenants.context import unscoped
from tenants.models import Organization
from tenants.roles import OrgKind
from tenants.tree import create_organization

SCHOOLS_PER_MUNICIPALITY = 40
CHUNK_SCHOOLS = 100  # schools generated and written per batch (bounded memory)
FORMS = ("teacher_pupil", "pupil_pupil", "employer_pupil", "teacher_teacher")
MENTEE_SHARE = 0.30


@dataclass
class SyntheticRegion:
    ministry_id: int
    ministry_path: str
    municipalities: int = 0
    schools: int = 0
    counts: dict = field(default_factory=dict)


class _Ids:
    """Explicit ids continuing each table's current maximum."""

    def __init__(self, conn, *tables):
        self.next = {t.name: (conn.execute(sa.select(sa.func.coalesce(sa.func.max(t.c.id), 0))).scalar() + 1)
                     for t in tables}

    def take(self, table) -> int:
        value = self.next[table.name]
        self.next[table.name] = value + 1
        return value


class _Writer:
    """Buffers rows per table and writes them with COPY (PostgreSQL) or executemany."""

    def __init__(self, conn):
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        self.buffers: dict[str, tuple[sa.Table, tuple[str, ...], list[tuple]]] = {}
        self.counts: dict[str, int] = {}

    def add(self, table: sa.Table, columns: tuple[str, ...], row: tuple) -> None:
        self.buffers.setdefault(table.name, (table, columns, []))[2].append(row)

    def flush(self) -> None:
        for name in list(self.buffers):  # insertion order: parents before children
            table, columns, rows = self.buffers.pop(name)
            if not rows:
                continue
            if self.postgres:
                cursor = self.conn.connection.driver_connection.cursor()
                with cursor.copy(f'COPY {table.name} ({", ".join(columns)}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.close()
            else:
                self.conn.execute(table.insert(), [dict(zip(columns, row)) for row in rows])
            self.counts[name] = self.counts.get(name, 0) + len(rows)


P, E, PR = Participant.__table__, Enterprise.__table__, Programme.__table__
M, MM, C = Mentorship.__table__, MentorshipMentee.__table__, ContingentRecord.__table__
O = Organization.__table__
P_COLS = ("id", "full_name", "category", "birth_date", "birth_year", "teaching_since", "special_needs",
          "enterprise_id", "in_mentor_bank", "in_mentee_bank", "org_id", "org_path", "created_at", "updated_at")
E_COLS = ("id", "name", "publication_agreed", "org_id", "org_path", "created_at", "updated_at")
PR_COLS = ("id", "title", "form_code", "school_year", "status", "meeting_gap_weeks", "org_id", "org_path",
           "created_at", "updated_at")
M_COLS = ("id", "programme_id", "form_code", "mentor_id", "status", "started_on", "ended_on", "reasons",
          "org_id", "org_path", "created_at", "updated_at")
MM_COLS = ("id", "mentorship_id", "participant_id", "org_id", "org_path")
C_COLS = ("id", "school_year", "pupils_10_19", "pupils_15_19", "teachers", "young_specialists", "recorded_at",
          "source", "org_id", "org_path")


def generate(*, schools: int, participants: int, seed: int, as_of: date = date(2026, 12, 20),
             name: str | None = None) -> SyntheticRegion:
    """Create the region and return its ministry's id and the row counts. The caller's
    session is committed."""
    if schools < 1 or participants < schools * 5:
        raise ValueError("need at least one school and five participants a school")
    rng = random.Random(seed)
    with unscoped("synthetic-region"):
        ministry = create_organization(kind=OrgKind.MINISTRY, name=name or f"Синтетический регион {seed}",
                                       parent=None, region_name=name or f"Синтетический регион {seed}-{schools}")
        munis = [create_organization(kind=OrgKind.MUNICIPALITY, name=f"Управление образования {i + 1}",
                                     parent=ministry)
                 for i in range(max(1, round(schools / SCHOOLS_PER_MUNICIPALITY)))]
        conn = db.session.connection()
        school_rows = _insert_schools(conn, ministry, munis, schools, seed)
        writer = _Writer(conn)
        ids = _Ids(conn, P, E, PR, M, MM, C)
        totals = {"pupils_10_19": 0, "pupils_15_19": 0, "young_specialists": 0, "enterprises": 0}
        per_school, extra = divmod(participants, schools)
        for index, (school_id, school_path) in enumerate(school_rows):
            size = per_school + (1 if index < extra else 0)
            figures = _school(writer, ids, rng, school_id, school_path, size, as_of)
            for key in totals:
                totals[key] += figures[key]
            if (index + 1) % CHUNK_SCHOOLS == 0:
                writer.flush()
        writer.flush()
        if conn.dialect.name == "postgresql":
            for table in (P, E, PR, M, MM, C):
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                     f"(SELECT max(id) FROM {table.name}))"))
        db.session.add(RegionFigure(
            org_id=ministry.id, year=as_of.year, children_10_19=round(totals["pupils_10_19"] * 1.1),
            children_15_19=round(totals["pupils_15_19"] * 1.1), young_specialists=totals["young_specialists"],
            enterprises=round(totals["enterprises"] * 1.5),
        ))
        result = SyntheticRegion(ministry.id, ministry.path, len(munis), len(school_rows), dict(writer.counts))
        db.session.commit()
    return result


def _insert_schools(conn, ministry, munis, count: int, seed: int) -> list[tuple[int, str]]:
    now = datetime.now(UTC)
    marker = f"/pending/synthetic-{ministry.id}-"
    rows = [{"kind": "school", "school_type": "school", "parent_id": munis[i % len(munis)].id,
             "name": f"Школа № {i + 1}",
             "slug": f"shkola-{ministry.id}-{i + 1}", "region_name": None, "is_active": True, "path": f"{marker}{i}/",
             "created_at": now, "updated_at": now} for i in range(count)]
    conn.execute(O.insert(), rows)
    parent = O.alias("parent")
    conn.execute(
        O.update().where(O.c.path.like(f"{marker}%"))
        .values(path=sa.select(parent.c.path).where(parent.c.id == O.c.parent_id).scalar_subquery()
                + sa.cast(O.c.id, sa.String) + "/")
    )
    return conn.execute(
        sa.select(O.c.id, O.c.path).where(O.c.parent_id.in_([m.id for m in munis]), O.c.kind == "school")
        .order_by(O.c.id)
    ).all()


def _school(writer: _Writer, ids: _Ids, rng: random.Random, org_id: int, path: str, size: int,
            as_of: date) -> dict[str, int]:
    """One school's people, enterprises, programmes, pairs and contingent; returns its figures."""
    now = datetime.now(UTC)
    owner = (org_id, path)
    teachers_n = max(2, round(size * 0.10))
    employers_n = max(1, round(size * 0.02))
    pupils_n = size - teachers_n - employers_n

    enterprises = []
    for k in range(max(2, employers_n // 2 + 1)):
        eid = ids.take(E)
        enterprises.append(eid)
        writer.add(E, E_COLS, (eid, f"Предприятие {org_id}-{k}", False, *owner, now, now))

    programmes = {}
    for form in FORMS:
        pid = ids.take(PR)
        programmes[form] = pid
        writer.add(PR, PR_COLS, (pid, f"Программа {form}", form, school_year_of(as_of), "active", 3, *owner, now, now))

    def person(category, born, teaching_since=None, enterprise=None, mentor=False, mentee=False):
        pid = ids.take(P)
        writer.add(P, P_COLS, (pid, f"Участник {pid}", category, born, born.year, teaching_since, False, enterprise,
                               mentor, mentee, *owner, now, now))
        return pid

    pupils = []  # (id, age)
    for _ in range(pupils_n):
        born = as_of - timedelta(days=rng.randrange(7 * 365, 19 * 365))
        age = as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))
        pupils.append((person("pupil", born), age))
    experienced, young = [], []
    for _ in range(teachers_n):
        years = rng.randrange(0, 6) if rng.random() < 0.3 else rng.randrange(6, 40)
        since = as_of - timedelta(days=years * 365 + rng.randrange(0, 365))
        born = years_before(since, rng.randrange(22, 30))
        teacher = person("teacher", born, teaching_since=since)
        full_years = as_of.year - since.year - ((as_of.month, as_of.day) < (since.month, since.day))
        (young if full_years <= 3 else experienced).append(teacher)
    if not experienced:
        experienced.append(person("teacher", date(1980, 1, 1), teaching_since=date(2005, 9, 1)))
    employers = [person("employer", date(1970 + rng.randrange(0, 25), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                        enterprise=rng.choice(enterprises)) for _ in range(employers_n)]
    older_pupils = [p for p, age in pupils if age >= 15] or [pupils[0][0]]

    def pair(form, mentor, mentees):
        started = date(2025, 9, 1) + timedelta(days=rng.randrange(0, (as_of - date(2025, 9, 1)).days + 1))
        ended = None
        if rng.random() < 0.15:
            ended = started + timedelta(days=rng.randrange(0, (as_of - started).days + 1))
        mid = ids.take(M)
        writer.add(M, M_COLS, (mid, programmes[form], form, mentor, "completed" if ended else "active", started,
                               ended, json.dumps([]), *owner, now, now))
        for mentee in mentees:
            writer.add(MM, MM_COLS, (ids.take(MM), mid, mentee, *owner))

    candidates = [p for p, _age in pupils]
    mentees = rng.sample(candidates, k=round(len(candidates) * MENTEE_SHARE))
    i = 0
    while i < len(mentees):
        group = mentees[i:i + (2 if rng.random() < 0.2 else 1)]
        i += len(group)
        roll = rng.random()
        if roll < 0.5:
            pair("teacher_pupil", rng.choice(experienced), group)
        elif roll < 0.85:
            mentor = rng.choice(older_pupils)
            pair(*(("pupil_pupil", mentor, [m for m in group if m != mentor]) if mentor not in group
                   else ("teacher_pupil", rng.choice(experienced), group)))
        else:
            pair("employer_pupil", rng.choice(employers), group)
        if rng.random() < 0.1:  # a second pair for the same mentee: still one person
            pair("teacher_pupil", rng.choice(experienced), group[:1])
    for teacher in young:
        if rng.random() < 0.6:
            pair("teacher_teacher", rng.choice(experienced), [teacher])

    in_10_19 = sum(1 for _p, age in pupils if 10 <= age <= 19)
    in_15_19 = sum(1 for _p, age in pupils if 15 <= age <= 19)
    contingent = {
        "pupils_10_19": round(in_10_19 * 1.2) + 1, "pupils_15_19": round(in_15_19 * 1.2),
        "teachers": teachers_n + 5, "young_specialists": len(young) + 1,
    }
    writer.add(C, C_COLS, (ids.take(C), school_year_of(as_of), contingent["pupils_10_19"], contingent["pupils_15_19"],
                           contingent["teachers"], contingent["young_specialists"], now, "import", *owner))
    return {"pupils_10_19": contingent["pupils_10_19"], "pupils_15_19": contingent["pupils_15_19"],
            "young_specialists": contingent["young_specialists"], "enterprises": len(enterprises)}
