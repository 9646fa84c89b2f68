"""Meetings of a pair or group, in the seeds' sequence: organisational → trial → planning →
regular → final; and the pairs that have not met for too long ("stale").

Hard rules (refused): a meeting is not dated before the pair's start, lasts 1–600 minutes,
and a pair has at most one final meeting. Soft rule (a warning only): the organisational
meeting comes first.

A pair is stale when it is active and its last meeting held by today — or its start date,
if it has none — lies ``programme.meeting_gap_weeks`` weeks or more in the past: with a gap
of 3 weeks, a pair that last met on 1 March is stale from 22 March. Meetings dated after
today are plans, not meetings held, and do not count.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import joinedload, raiseload, selectinload
from sqlalchemy.sql.functions import FunctionElement

from core.errors import DomainError
from core.extensions import db
from mentorship.pairing.models import MEETING_FORMATS, MEETING_KINDS, Meeting, Mentorship, MentorshipMentee, Programme
from mentorship.pairing.pair_queries import pairs_matching

KIND_LABELS = {
    "organisational": _l("Organisational meeting"),
    "trial": _l("Trial meeting"),
    "planning": _l("Planning meeting"),
    "regular": _l("Regular meeting"),
    "final": _l("Final meeting"),
}
FORMAT_LABELS = {"in_person": _l("In person"), "online": _l("Online")}

WARNINGS = {
    "organisational_first": _l("The sequence starts with an organisational meeting: none is recorded before this one."),
}


class MeetingError(DomainError):
    """A meeting was refused; each problem names its field (kind, held_on, ...)."""

    MESSAGES = {
        "bad_kind": _l("Choose the kind of meeting."),
        "bad_format": _l("Choose the format of the meeting."),
        "before_start": _l("The meeting is dated before the pair's start."),
        "bad_duration": _l("The duration must be 1 to 600 minutes."),
        "final_exists": _l("The pair already has a final meeting."),
    }


# -- recording meetings ------------------------------------------------------------------------

def add_meeting(mentorship: Mentorship, *, kind: str, held_on: date, duration_minutes: int, format: str = "in_person",
                topic: str | None = None, notes: str | None = None) -> tuple[Meeting, list[str]]:
    """Record a meeting; returns it with the codes of any WARNINGS (the sequence)."""
    meeting = Meeting(org_id=mentorship.org_id, mentorship_id=mentorship.id)
    return meeting, _apply(mentorship, meeting, kind, held_on, duration_minutes, format, topic, notes, new=True)


def update_meeting(meeting: Meeting, *, kind: str, held_on: date, duration_minutes: int,
                   format: str = "in_person", topic: str | None = None, notes: str | None = None) -> list[str]:
    return _apply(meeting.mentorship, meeting, kind, held_on, duration_minutes, format, topic, notes, new=False)


def delete_meeting(meeting: Meeting) -> None:
    db.session.delete(meeting)
    db.session.flush()


def _apply(mentorship, meeting, kind, held_on, duration_minutes, format, topic, notes, *, new: bool) -> list[str]:
    if kind not in MEETING_KINDS:
        raise MeetingError("bad_kind", field="kind")
    if format not in MEETING_FORMATS:
        raise MeetingError("bad_format", field="format")
    if held_on < mentorship.started_on:
        raise MeetingError("before_start", field="held_on")
    if duration_minutes is None or not 1 <= duration_minutes <= 600:
        raise MeetingError("bad_duration", field="duration_minutes")
    others = sa.select(Meeting.id).where(Meeting.mentorship_id == mentorship.id)
    if not new:
        others = others.where(Meeting.id != meeting.id)
    if kind == "final" and db.session.scalar(others.where(Meeting.kind == "final").limit(1)) is not None:
        raise MeetingError("final_exists", field="kind")
    warnings = []
    if kind != "organisational" and db.session.scalar(
        others.where(Meeting.kind == "organisational", Meeting.held_on <= held_on).limit(1)
    ) is None:
        warnings.append("organisational_first")
    meeting.kind, meeting.held_on, meeting.duration_minutes, meeting.format = kind, held_on, duration_minutes, format
    meeting.topic = (topic or "").strip()[:500] or None
    meeting.notes = (notes or "").strip() or None
    if new:
        db.session.add(meeting)
    db.session.flush()
    return warnings


def meetings_stmt(mentorship: Mentorship) -> sa.Select:
    """The pair's meetings in the order they were held."""
    return (sa.select(Meeting).where(Meeting.mentorship_id == mentorship.id)
            .order_by(Meeting.held_on, Meeting.id).options(raiseload("*")))


def sequence_warnings(mentorship: Mentorship) -> list[str]:
    """Warnings about the recorded sequence as a whole (one query)."""
    first = db.session.execute(
        sa.select(Meeting.kind).where(Meeting.mentorship_id == mentorship.id)
        .order_by(Meeting.held_on, Meeting.kind != "organisational", Meeting.id).limit(1)
    ).scalar()
    return ["organisational_first"] if first is not None and first != "organisational" else []


# -- stale pairs: set-based, one statement -------------------------------------------------------

class _days_before(FunctionElement):
    """``day`` minus ``days`` (an integer expression) as a date, in each dialect's idiom."""

    type = sa.Date()
    inherit_cache = True


@compiles(_days_before)
def _days_before_default(element, compiler, **kw):  # PostgreSQL: date - integer = date
    day, days = list(element.clauses)
    return f"(CAST({compiler.process(day, **kw)} AS DATE) - ({compiler.process(days, **kw)}))"


@compiles(_days_before, "sqlite")
def _days_before_sqlite(element, compiler, **kw):  # dates are ISO strings
    day, days = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, '-' || ({compiler.process(days, **kw)}) || ' days')"


def last_meetings(today: date):
    """Subquery: each pair's last meeting held on or before ``today``."""
    return (
        sa.select(Meeting.mentorship_id.label("mentorship_id"), sa.func.max(Meeting.held_on).label("last_on"))
        .where(Meeting.held_on <= today)
        .group_by(Meeting.mentorship_id)
        .subquery("last_meetings")
    )


def stale_condition(today: date, last):
    """The WHERE of a stale pair, over Mentorship joined to Programme and ``last``."""
    threshold = _days_before(sa.literal(today, sa.Date), Programme.meeting_gap_weeks * 7)
    return sa.and_(Mentorship.status == "active", sa.func.coalesce(last.c.last_on, Mentorship.started_on) <= threshold)


def stale_pairs_stmt(org_id: int, today: date, search: str = "") -> sa.Select:
    """The school's stale pairs, longest without a meeting first (a select of Mentorship, for
    pagination), with mentor, mentees and programme loaded: a fixed number of queries;
    ``search`` matches the mentor's or a mentee's name."""
    last = last_meetings(today)
    since = sa.func.coalesce(last.c.last_on, Mentorship.started_on)
    stmt = (
        sa.select(Mentorship)
        .join(Programme, Programme.id == Mentorship.programme_id)
        .outerjoin(last, last.c.mentorship_id == Mentorship.id)
        .where(Mentorship.org_id == org_id, stale_condition(today, last))
        .order_by(since, Mentorship.id)
        .options(
            joinedload(Mentorship.programme), joinedload(Mentorship.mentor),
            selectinload(Mentorship.members).joinedload(MentorshipMentee.participant),
            raiseload("*"),
        )
    )
    if search:
        stmt = stmt.where(Mentorship.id.in_(pairs_matching(search)))
    return stmt


def last_meeting_dates(mentorship_ids, today: date) -> dict[int, date]:
    """The last meeting held by ``today`` of each of the pairs (one query)."""
    ids = list(mentorship_ids)
    if not ids:
        return {}
    return dict(db.session.execute(
        sa.select(Meeting.mentorship_id, sa.func.max(Meeting.held_on))
        .where(Meeting.mentorship_id.in_(ids), Meeting.held_on <= today)
        .group_by(Meeting.mentorship_id)
    ).tuples().all())


def stale_pairs(org_id: int, today: date) -> list[Mentorship]:
    """The school's stale pairs (one query for the pairs themselves)."""
    return list(db.session.scalars(stale_pairs_stmt(org_id, today)).unique())


def count_stale(org_id: int, today: date) -> int:
    """How many of the school's active pairs are stale (for the dashboard; one query)."""
    last = last_meetings(today)
    return db.session.scalar(
        sa.select(sa.func.count(Mentorship.id))
        .join(Programme, Programme.id == Mentorship.programme_id)
        .outerjoin(last, last.c.mentorship_id == Mentorship.id)
        .where(Mentorship.org_id == org_id, stale_condition(today, last))
    ) or 0


def meetings_in_month(org_id: int, year: int, month: int) -> int:
    """Meetings of the school held in a calendar month (for the dashboard)."""
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return db.session.scalar(
        sa.select(sa.func.count(Meeting.id))
        .where(Meeting.org_id == org_id, Meeting.held_on >= start, Meeting.held_on < end)
    ) or 0
