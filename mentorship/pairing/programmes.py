"""A school's mentorship programmes (программы наставничества): one form of the region's
catalogue and one school year each, with goals and expected results.

A programme's form is fixed once it has pairs (they keep the form's code); its school year is
the year the school year starts (2026 = «2026/27»)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import DomainError
from core.extensions import db
from mentorship.pairing.models import Mentorship, MentorshipMentee, Programme
from mentorship.region.forms import FormSpec, region_forms
from tenants import audit

MIN_GAP_WEEKS, MAX_GAP_WEEKS = 1, 26
STATUSES = ("active", "closed")
STATUS_LABELS = {"active": _l("Active"), "closed": _l("Closed")}
YEARS_BACK, YEARS_AHEAD = 3, 2


class ProgrammeError(DomainError):
    """A programme that cannot be saved; each problem names its field of ``ProgrammeData``."""

    MESSAGES = {
        "unknown_form": _l("Choose a form from the region's catalogue."),
        "form_locked": _l("The form cannot change: the programme already has pairs."),
        "bad_year": _l("Choose a school year."),
        "bad_gap": _l("The meeting interval is 1 to 26 weeks."),
        "bad_status": _l("Unknown status."),
        "title_required": _l("Enter the title."),
    }


def school_year_of(day: date) -> int:
    """The school year ``day`` falls in, by its first year (it starts on 1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def school_year_choices(today: date, keep: int | None = None) -> list[tuple[int, str]]:
    """Recent and coming school years, newest first (plus ``keep``, a programme's own year)."""
    current = school_year_of(today)
    years = set(range(current - YEARS_BACK, current + YEARS_AHEAD + 1))
    if keep is not None:
        years.add(keep)
    return [(y, school_year_label(y)) for y in sorted(years, reverse=True)]


@dataclass
class ProgrammeData:
    title: str
    form_code: str
    school_year: int
    goals: str | None = None
    expected_results: str | None = None
    meeting_gap_weeks: int = 3
    status: str = "active"


def form_choices(org_path: str, keep: str | None = None) -> list[FormSpec]:
    """The region's current forms, plus a retired one a programme already has."""
    forms = region_forms(org_path)
    if keep and all(f.code != keep for f in forms):
        retired = [f for f in region_forms(org_path, include_retired=True) if f.code == keep]
        forms = forms + retired
    return forms


def _validate(data: ProgrammeData, org_path: str, keep_form: str | None = None) -> None:
    if not (data.title or "").strip():
        raise ProgrammeError("title_required", field="title")
    if data.form_code not in {f.code for f in form_choices(org_path, keep_form)}:
        raise ProgrammeError("unknown_form", field="form_code")
    if not 2000 <= data.school_year <= 2100:
        raise ProgrammeError("bad_year", field="school_year")
    if not MIN_GAP_WEEKS <= data.meeting_gap_weeks <= MAX_GAP_WEEKS:
        raise ProgrammeError("bad_gap", field="meeting_gap_weeks")
    if data.status not in STATUSES:
        raise ProgrammeError("bad_status", field="status")


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def create_programme(data: ProgrammeData, *, org) -> Programme:
    _validate(data, org.path)
    programme = Programme(
        org_id=org.id, title=data.title.strip(), form_code=data.form_code, school_year=data.school_year,
        goals=_clean(data.goals), expected_results=_clean(data.expected_results),
        meeting_gap_weeks=data.meeting_gap_weeks, status=data.status,
    )
    db.session.add(programme)
    db.session.flush()
    audit.record("programme.created", org=org, obj=programme, details={"form": data.form_code,
                                                                       "school_year": data.school_year})
    return programme


def has_pairs(programme: Programme) -> bool:
    return db.session.scalar(sa.select(Mentorship.id).where(Mentorship.programme_id == programme.id).limit(1)) is not None


def update_programme(programme: Programme, data: ProgrammeData, *, org) -> None:
    _validate(data, org.path, keep_form=programme.form_code)
    if data.form_code != programme.form_code and has_pairs(programme):
        raise ProgrammeError("form_locked", field="form_code")
    programme.title = data.title.strip()
    programme.form_code = data.form_code
    programme.school_year = data.school_year
    programme.goals, programme.expected_results = _clean(data.goals), _clean(data.expected_results)
    programme.meeting_gap_weeks, programme.status = data.meeting_gap_weeks, data.status
    db.session.flush()
    audit.record("programme.updated", org=org, obj=programme)


def programmes_query(search: str = "") -> sa.Select:
    """The school's programmes, newest school year first; ``search`` in the title."""
    stmt = sa.select(Programme).order_by(Programme.school_year.desc(), Programme.title, Programme.id)
    if search:
        stmt = stmt.where(Programme.title.ilike(f"%{search.replace('%', '').replace('_', '')}%"))
    return stmt


def active_pair_counts(programme_ids) -> dict[int, tuple[int, int]]:
    """Programme id → (active mentorships, mentees in them), one query for a whole page."""
    ids = list(programme_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Mentorship.programme_id, sa.func.count(sa.distinct(Mentorship.id)), sa.func.count(MentorshipMentee.id))
        .join(MentorshipMentee, MentorshipMentee.mentorship_id == Mentorship.id)
        .where(Mentorship.programme_id.in_(ids), Mentorship.status == "active")
        .group_by(Mentorship.programme_id)
    ).all()
    return {pid: (pairs, mentees) for pid, pairs, mentees in rows}


@dataclass
class ProgrammeFigures:
    active: int = 0  # active mentorships
    groups: int = 0  # of them, groups (several mentees)
    mentees: int = 0  # mentees in active mentorships
    completed: int = 0
    ended_early: int = 0


def programme_figures(programme: Programme) -> ProgrammeFigures:
    sizes = (
        sa.select(Mentorship.id.label("id"), Mentorship.status.label("status"),
                  sa.func.count(MentorshipMentee.id).label("size"))
        .join(MentorshipMentee, MentorshipMentee.mentorship_id == Mentorship.id)
        .where(Mentorship.programme_id == programme.id)
        .group_by(Mentorship.id, Mentorship.status)
        .subquery()
    )
    figures = ProgrammeFigures()
    for status, size in db.session.execute(sa.select(sizes.c.status, sizes.c.size)):
        if status == "active":
            figures.active += 1
            figures.groups += size > 1
            figures.mentees += size
        elif status == "completed":
            figures.completed += 1
        elif status == "ended_early":
            figures.ended_early += 1
    return figures
