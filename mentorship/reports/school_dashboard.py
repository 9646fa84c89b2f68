"""The school's dashboard: its mentorship at a glance.

Every figure is one set-based query (GROUP BY / COUNT over the school's rows), so the page
costs the same number of queries for ten pairs or ten thousand. Each query names the school
explicitly (``org_id``) besides the automatic tenant scope: it is cheaper for the planner
and keeps the intent visible.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from core.extensions import db
from mentorship.monitoring.contingent import current_contingent, school_year_of
from mentorship.monitoring.models import ContingentRecord
from mentorship.pairing.meetings import count_stale, meetings_in_month
from mentorship.pairing.models import Mentorship, MentorshipMentee, Programme
from mentorship.pairing.plans import plans_behind_schedule
from mentorship.people.models import Consent, MenteeProfile, Participant
from mentorship.region.forms import region_forms


@dataclass(frozen=True)
class FormFigures:
    """One form's active mentorships and the distinct people in them."""

    code: str
    name: str
    pairs: int  # one mentee
    groups: int  # several mentees
    mentors: int
    mentees: int


@dataclass
class Dashboard:
    today: date
    school_year: int
    has_programmes: bool
    forms: list[FormFigures] = field(default_factory=list)
    mentors: int = 0  # distinct people, however many forms they are in
    mentees: int = 0
    unpaired_mentees: int = 0  # in the mentee bank, without an active pair
    in_follow_up: int = 0  # of those, in psychological support or continued search
    meetings_this_month: int = 0
    plans_behind: int = 0
    stale_pairs: int = 0
    consents_withdrawn: int = 0  # this school year
    contingent: ContingentRecord | None = None
    mentees_10_19: int = 0  # mentees aged 10–19 in a pair active this calendar year

    @property
    def active_pairs(self) -> int:
        return sum(f.pairs for f in self.forms)

    @property
    def active_groups(self) -> int:
        return sum(f.groups for f in self.forms)

    @property
    def coverage_percent(self) -> float | None:
        """Mentees aged 10–19 as a share of the school's pupils aged 10–19 (None: no figure)."""
        if self.contingent is None or not self.contingent.pupils_10_19:
            return None
        return round(100.0 * self.mentees_10_19 / self.contingent.pupils_10_19, 1)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def _active(org_id: int):
    return sa.and_(Mentorship.org_id == org_id, Mentorship.status == "active")


def _forms(org) -> list[FormFigures]:
    groups = (
        sa.select(MentorshipMentee.mentorship_id).where(MentorshipMentee.org_id == org.id)
        .group_by(MentorshipMentee.mentorship_id).having(sa.func.count(MentorshipMentee.id) > 1)
    )
    rows = db.session.execute(
        sa.select(
            Mentorship.form_code,
            sa.func.count(sa.distinct(Mentorship.id)),
            sa.func.count(sa.distinct(sa.case((Mentorship.id.in_(groups), Mentorship.id)))),
            sa.func.count(sa.distinct(Mentorship.mentor_id)),
            sa.func.count(sa.distinct(MentorshipMentee.participant_id)),
        )
        .join(MentorshipMentee, MentorshipMentee.mentorship_id == Mentorship.id)
        .where(_active(org.id))
        .group_by(Mentorship.form_code)
    ).all()
    by_code = {code: (total, grouped, mentors, mentees) for code, total, grouped, mentors, mentees in rows}
    catalogue = region_forms(org.path, include_retired=True)
    order = [f.code for f in catalogue] + sorted(set(by_code) - {f.code for f in catalogue})
    names = {f.code: f.name for f in catalogue}
    return [
        FormFigures(code, names.get(code, code), total - grouped, grouped, mentors, mentees)
        for code in order if code in by_code
        for total, grouped, mentors, mentees in [by_code[code]]
    ]


def _people(org_id: int) -> tuple[int, int]:
    row = db.session.execute(
        sa.select(sa.func.count(sa.distinct(Mentorship.mentor_id)),
                  sa.func.count(sa.distinct(MentorshipMentee.participant_id)))
        .join(MentorshipMentee, MentorshipMentee.mentorship_id == Mentorship.id)
        .where(_active(org_id))
    ).one()
    return row[0], row[1]


def _unpaired(org_id: int) -> tuple[int, int]:
    paired = (
        sa.select(MentorshipMentee.participant_id)
        .join(Mentorship, Mentorship.id == MentorshipMentee.mentorship_id)
        .where(_active(org_id))
    )
    row = db.session.execute(
        sa.select(sa.func.count(Participant.id),
                  sa.func.count(sa.case((MenteeProfile.follow_up != "none", Participant.id))))
        .select_from(Participant)
        .outerjoin(MenteeProfile, MenteeProfile.participant_id == Participant.id)
        .where(Participant.org_id == org_id, Participant.in_mentee_bank.is_(True),
               Participant.anonymised_at.is_(None), Participant.id.not_in(paired))
    ).one()
    return row[0], row[1]


def _consents_withdrawn(org_id: int, today: date) -> int:
    since = date(school_year_of(today), 9, 1)
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Consent.participant_id)))
        .where(Consent.org_id == org_id, Consent.withdrawn_on.is_not(None),
               Consent.withdrawn_on >= since, Consent.withdrawn_on <= today)
    ) or 0


def _mentees_10_19(org_id: int, today: date) -> int:
    """Distinct mentees aged 10–19 today in a pair active on any day of this calendar year
    (the indicator's rule, DESIGN §5); after anonymisation the birth year stands in."""
    oldest, youngest = _years_before(today, 20), _years_before(today, 10)
    aged = sa.or_(
        sa.and_(Participant.birth_date > oldest, Participant.birth_date <= youngest),
        sa.and_(Participant.birth_date.is_(None),
                Participant.birth_year.between(today.year - 19, today.year - 10)),
    )
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(MentorshipMentee.participant_id)))
        .join(Mentorship, Mentorship.id == MentorshipMentee.mentorship_id)
        .join(Participant, Participant.id == MentorshipMentee.participant_id)
        .where(Mentorship.org_id == org_id, Mentorship.counted(), Mentorship.started_on <= today,
               sa.or_(Mentorship.ended_on.is_(None), Mentorship.ended_on >= date(today.year, 1, 1)),
               aged)
    ) or 0


def _has_programmes(org_id: int) -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count(Programme.id)).where(Programme.org_id == org_id)))


def school_dashboard(org, today: date) -> Dashboard:
    """Every figure of the school's dashboard as of ``today`` (the region's date)."""
    year = school_year_of(today)
    board = Dashboard(today=today, school_year=year, has_programmes=_has_programmes(org.id))
    board.forms = _forms(org)
    board.mentors, board.mentees = _people(org.id)
    board.unpaired_mentees, board.in_follow_up = _unpaired(org.id)
    board.meetings_this_month = meetings_in_month(org.id, today.year, today.month)
    # "Behind" and "stale" are the plans' and the meetings' own rules (mentorship.pairing.plans, .meetings).
    board.plans_behind = plans_behind_schedule(org.id, today)
    board.stale_pairs = count_stale(org.id, today)
    board.consents_withdrawn = _consents_withdrawn(org.id, today)
    board.contingent = current_contingent(org.id, year)
    board.mentees_10_19 = _mentees_10_19(org.id, today)
    return board
