"""The measurable facts indicators are built from, as set-based SQL over a whole region.

An indicator is *numerator fact / denominator fact* (DESIGN §5). Each fact here is a Core
SELECT of ``(org_id, n)`` over every school of one region at once — never a loop over
schools or rows. The counting rules:

* ages and experience are taken at the reference date (``ref``); a person whose birth date
  was erased keeps the birth year, and counts as born on 1 July of it;
* a person counts once however many pairs they are in (``IN (subquery)`` is a semi-join);
* a pair counts for the year when it was active on any day from 1 January of ``ref``'s year
  up to ``ref``: ``started_on <= ref AND (ended_on IS NULL OR ended_on >= 1 January)``; a
  pair voided as entered by mistake (status ``voided``) counts nowhere, nor do its people,
  plans and meetings (``pair_counted``);
* school-level denominators come from the latest ``ContingentRecord`` (highest id) of the
  school year containing ``ref`` (a school year starts on 1 September), and the school's own
  partner enterprises;
* at the region, a denominator with a ``RegionFigure`` for ``ref``'s year uses that figure.

Besides the indicators, the pairs and groups active in the year window are counted per form
(``pairs_by_form``): stored as snapshot rows whose code is ``pairs_by_form:<form code>``
(``by_form_code``; a count, denominator 0, no share). A form code never holds ``:``, so these
codes cannot collide with an indicator's; readers of indicators filter them out with
``indicator_codes_only``.

Satisfaction (surveys, issue 6): ``satisfaction_points`` is Σ(value − 1) and
``satisfaction_max_points`` Σ 9 over the answers to scale questions counted in the
satisfaction index (``in_index``) of responses submitted from 1 January of ``ref``'s year up
to ``ref``, per school (the response's owner): their ratio in % is the satisfaction index, so a
region may define "Удовлетворённость участников программ наставничества, %" from them, and it
rolls up as sums like every other indicator. A school counts only with at least
``MIN_GROUP_SIZE`` (5) respondents in the window: its snapshot is seen by the levels above.

Training (issue 13): ``mentors_trained`` counts the mentors of a school's mentor bank whose
training is completed (``MentorProfile.training_status``, kept by the training area), and
``bank_mentors`` the mentors of the bank; their ratio is «доля обученных наставников». Both
are the banks' state when counted (a bank has no history).

These statements read other tenants' rows: they run only inside
``tenants.context.unscoped("monitoring.aggregate")`` (mentorship/monitoring/aggregation.py).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from mentorship.monitoring.models import ContingentRecord
from mentorship.pairing.models import VOIDED, IndividualPlan, Meeting, Mentorship, MentorshipMentee, PlanTask
from mentorship.people.models import Enterprise, MentorProfile, Participant
from mentorship.region.forms import EMPLOYER, PUPIL, STUDENT, TEACHER
from mentorship.surveys.models import MIN_GROUP_SIZE, SCALE_MAX, SCALE_MIN, SurveyAnswer, SurveyQuestion, SurveyResponse
from tenants.scoping import subtree_bounds

P = Participant.__table__
MP = MentorProfile.__table__
M = Mentorship.__table__
MM = MentorshipMentee.__table__
C = ContingentRecord.__table__
E = Enterprise.__table__
MT = Meeting.__table__
IP = IndividualPlan.__table__
PT = PlanTask.__table__
SA = SurveyAnswer.__table__
SR = SurveyResponse.__table__
SQ = SurveyQuestion.__table__

CHILD_CATEGORIES = (PUPIL, STUDENT)
YOUNG_SPECIALIST_MAX_YEARS = 3  # 0–3 full years of teaching experience


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def school_year_of(day: date) -> int:
    """The school year containing ``day`` (2026 = 2026/27, from 1 September)."""
    return day.year if day.month >= 9 else day.year - 1


@dataclass(frozen=True)
class FactContext:
    """What every fact needs: the region's path bounds and the reference date."""

    region_path: str
    ref: date

    @property
    def bounds(self) -> tuple[str, str]:
        return subtree_bounds(self.region_path)

    @property
    def year_start(self) -> date:
        return date(self.ref.year, 1, 1)

    @property
    def school_year(self) -> int:
        return school_year_of(self.ref)

    def in_region(self, table) -> sa.ColumnElement[bool]:
        low, high = self.bounds
        return sa.and_(table.c.org_path >= low, table.c.org_path < high)

    def pair_active(self) -> sa.ColumnElement[bool]:
        """The pair counts for the year: not voided, and active on a day of the window."""
        return sa.and_(
            pair_counted(), M.c.started_on <= self.ref,
            sa.or_(M.c.ended_on.is_(None), M.c.ended_on >= self.year_start),
        )

    def aged(self, lowest: int, highest: int) -> sa.ColumnElement[bool]:
        """Aged ``lowest``–``highest`` full years at ``ref`` (birth year only: born 1 July)."""
        latest_birth = years_before(self.ref, lowest)  # the youngest still ``lowest`` today
        earliest_excluded = years_before(self.ref, highest + 1)  # born on it: ``highest + 1`` today
        years = [y for y in range(earliest_excluded.year, latest_birth.year + 1)
                 if earliest_excluded < date(y, 7, 1) <= latest_birth]
        by_year = sa.and_(P.c.birth_date.is_(None), P.c.birth_year.between(min(years), max(years)))
        by_date = sa.and_(P.c.birth_date > earliest_excluded, P.c.birth_date <= latest_birth)
        return sa.or_(by_date, by_year)

    def young_specialist(self) -> sa.ColumnElement[bool]:
        """A teacher with 0–3 full years of experience at ``ref``."""
        return sa.and_(
            P.c.category == TEACHER,
            P.c.teaching_since <= self.ref,
            P.c.teaching_since > years_before(self.ref, YOUNG_SPECIALIST_MAX_YEARS + 1),
        )

    def mentee_ids(self) -> sa.Select:
        return (
            sa.select(MM.c.participant_id)
            .join(M, M.c.id == MM.c.mentorship_id)
            .where(self.in_region(M), self.pair_active())
        )

    def mentor_ids(self) -> sa.Select:
        return sa.select(M.c.mentor_id).where(self.in_region(M), self.pair_active())


def pair_counted() -> sa.ColumnElement[bool]:
    """A pair any figure may count: every one but those voided as entered by mistake (the
    same rule as ``Mentorship.counted``, over the table)."""
    return M.c.status != VOIDED


def _people(ctx: FactContext, ids: sa.Select, *conditions) -> sa.Select:
    """Distinct people per school: each participant is one row, so COUNT(*) counts them once."""
    return (
        sa.select(P.c.org_id, sa.func.count().label("n"))
        .where(ctx.in_region(P), P.c.id.in_(ids), *conditions)
        .group_by(P.c.org_id)
    )


def _mentees_10_19(ctx: FactContext) -> sa.Select:
    return _people(ctx, ctx.mentee_ids(), P.c.category.in_(CHILD_CATEGORIES), ctx.aged(10, 19))


def _mentors_15_19(ctx: FactContext) -> sa.Select:
    return _people(ctx, ctx.mentor_ids(), P.c.category.in_(CHILD_CATEGORIES), ctx.aged(15, 19))


def _young_specialist_mentees(ctx: FactContext) -> sa.Select:
    return _people(ctx, ctx.mentee_ids(), ctx.young_specialist())


def _mentees(ctx: FactContext) -> sa.Select:
    return _people(ctx, ctx.mentee_ids())


def _mentors(ctx: FactContext) -> sa.Select:
    return _people(ctx, ctx.mentor_ids())


def _enterprises_with_mentors(ctx: FactContext) -> sa.Select:
    return (
        sa.select(P.c.org_id, sa.func.count(sa.distinct(P.c.enterprise_id)).label("n"))
        .where(ctx.in_region(P), P.c.category == EMPLOYER, P.c.enterprise_id.is_not(None),
               P.c.id.in_(ctx.mentor_ids()))
        .group_by(P.c.org_id)
    )


def _bank_mentors(ctx: FactContext, *conditions) -> sa.Select:
    """Mentors in the school's mentor bank (not erased) with a questionnaire, per school."""
    return (
        sa.select(P.c.org_id, sa.func.count().label("n"))
        .select_from(P.join(MP, MP.c.participant_id == P.c.id))
        .where(ctx.in_region(P), P.c.in_mentor_bank.is_(True), P.c.anonymised_at.is_(None), *conditions)
        .group_by(P.c.org_id)
    )


def _mentors_trained(ctx: FactContext) -> sa.Select:
    """Mentors of the bank whose training (the school of mentors, a course) is completed: the
    status the training area keeps on the questionnaire. It is the status when counted."""
    return _bank_mentors(ctx, MP.c.training_status == "completed")


def _pairs(ctx: FactContext) -> sa.Select:
    return (
        sa.select(M.c.org_id, sa.func.count().label("n"))
        .where(ctx.in_region(M), ctx.pair_active())
        .group_by(M.c.org_id)
    )


def _mentees_of(category: str) -> Callable[[FactContext], sa.Select]:
    def fact(ctx: FactContext) -> sa.Select:
        return _people(ctx, ctx.mentee_ids(), P.c.category == category)

    return fact


def _mentors_of(category: str) -> Callable[[FactContext], sa.Select]:
    def fact(ctx: FactContext) -> sa.Select:
        return _people(ctx, ctx.mentor_ids(), P.c.category == category)

    return fact


def _meetings_held(ctx: FactContext) -> sa.Select:
    """Meetings held from 1 January of the reference date's year up to the reference date
    (a voided pair's meetings are not counted)."""
    return (
        sa.select(MT.c.org_id, sa.func.count().label("n"))
        .join(M, M.c.id == MT.c.mentorship_id)
        .where(ctx.in_region(MT), MT.c.held_on >= ctx.year_start, MT.c.held_on <= ctx.ref, pair_counted())
        .group_by(MT.c.org_id)
    )


def _plans_completed(ctx: FactContext) -> sa.Select:
    """Individual plans of the year's pairs with at least one task, every task done or
    cancelled and at least one done."""
    open_tasks = sa.select(PT.c.plan_id).where(PT.c.status.in_(("planned", "in_progress")))
    done_tasks = sa.select(PT.c.plan_id).where(PT.c.status == "done")
    return (
        sa.select(IP.c.org_id, sa.func.count().label("n"))
        .join(M, M.c.id == IP.c.mentorship_id)
        .where(ctx.in_region(IP), ctx.pair_active(), IP.c.id.in_(done_tasks), IP.c.id.not_in(open_tasks))
        .group_by(IP.c.org_id)
    )


def _plans(ctx: FactContext) -> sa.Select:
    return (
        sa.select(IP.c.org_id, sa.func.count().label("n"))
        .join(M, M.c.id == IP.c.mentorship_id)
        .where(ctx.in_region(IP), ctx.pair_active())
        .group_by(IP.c.org_id)
    )


def _contingent(column: str) -> Callable[[FactContext], sa.Select]:
    def fact(ctx: FactContext) -> sa.Select:
        latest = (
            sa.select(sa.func.max(C.c.id))
            .where(ctx.in_region(C), C.c.school_year == ctx.school_year)
            .group_by(C.c.org_id)
        )
        return sa.select(C.c.org_id, C.c[column].label("n")).where(C.c.id.in_(latest))

    return fact


def _partner_enterprises(ctx: FactContext) -> sa.Select:
    return (
        sa.select(E.c.org_id, sa.func.count().label("n")).where(ctx.in_region(E)).group_by(E.c.org_id)
    )


def _satisfaction(measure) -> Callable[[FactContext], sa.Select]:
    """Per school, ``measure`` over the year window's answers counted in the satisfaction index."""

    def fact(ctx: FactContext) -> sa.Select:
        return (
            sa.select(SA.c.org_id, measure().label("n"))
            .select_from(SA)
            .join(SR, SR.c.id == SA.c.response_id)
            .join(SQ, SQ.c.id == SA.c.question_id)
            .where(ctx.in_region(SA), SQ.c.kind == "scale", SQ.c.in_index.is_(True),
                   SA.c.value.between(SCALE_MIN, SCALE_MAX),
                   SR.c.submitted_on >= ctx.year_start, SR.c.submitted_on <= ctx.ref)
            .group_by(SA.c.org_id)
            # A school with fewer respondents than the minimum group size is left out: its
            # snapshot is seen above it, and a mean of two answers is nearly their answers.
            .having(sa.func.count(sa.distinct(SA.c.response_id)) >= MIN_GROUP_SIZE)
        )

    return fact


_satisfaction_points = _satisfaction(lambda: sa.func.sum(SA.c.value - SCALE_MIN))
_satisfaction_max_points = _satisfaction(lambda: sa.func.count() * (SCALE_MAX - SCALE_MIN))


# -- pairs and groups by form (not an indicator: a plain count per form) --------------------

BY_FORM_PREFIX = "pairs_by_form:"
CODE_LENGTH = 40  # MetricSnapshot.indicator_code; a form code may have up to 40 characters too


def by_form_code(form_code: str) -> str:
    """The snapshot code of a form's count. A form code longer than 26 characters is cut to
    fit the column (the SQL below cuts it the same way)."""
    return (BY_FORM_PREFIX + form_code)[:CODE_LENGTH]


def is_by_form(code: str) -> bool:
    return code.startswith(BY_FORM_PREFIX)


def by_form_codes_only(column) -> sa.ColumnElement[bool]:
    return column.startswith(BY_FORM_PREFIX, autoescape=True)


def indicator_codes_only(column) -> sa.ColumnElement[bool]:
    """Snapshot rows of indicators, not the per-form counts."""
    return sa.not_(by_form_codes_only(column))


def pairs_by_form(ctx: FactContext) -> sa.Select:
    """``(org_id, code, n)``: pairs and groups active in the year window, per school and form.
    The prefix is a literal (not a bound parameter) so that GROUP BY repeats the very
    expression of the SELECT list on PostgreSQL."""
    code = sa.func.substr(sa.literal_column(f"'{BY_FORM_PREFIX}'", sa.String) + M.c.form_code, 1, CODE_LENGTH)
    return (
        sa.select(M.c.org_id, code.label("code"), sa.func.count().label("n"))
        .where(ctx.in_region(M), ctx.pair_active())
        .group_by(M.c.org_id, code)
    )


@dataclass(frozen=True)
class Fact:
    code: str
    label: object
    query: Callable[[FactContext], sa.Select]
    region_figure: str | None = None  # RegionFigure column used as this fact at the region


NUMERATOR_FACTS: dict[str, Fact] = {f.code: f for f in (
    Fact("mentees_10_19", _l("Mentees aged 10–19"), _mentees_10_19),
    Fact("mentors_15_19", _l("Mentors aged 15–19"), _mentors_15_19),
    Fact("young_specialist_mentees", _l("Young specialists (0–3 years) who are mentees"), _young_specialist_mentees),
    Fact("enterprises_with_mentors", _l("Enterprises that provided mentors"), _enterprises_with_mentors),
    Fact("mentees", _l("Mentees"), _mentees),
    Fact("mentors", _l("Mentors"), _mentors),
    Fact("pairs", _l("Mentorships (pairs and groups)"), _pairs),
    Fact("mentee_pupils", _l("Mentees who are pupils"), _mentees_of(PUPIL)),
    Fact("mentee_students", _l("Mentees who are students"), _mentees_of(STUDENT)),
    Fact("mentee_teachers", _l("Mentees who are teachers"), _mentees_of(TEACHER)),
    Fact("mentor_pupils", _l("Mentors who are pupils"), _mentors_of(PUPIL)),
    Fact("mentor_students", _l("Mentors who are students"), _mentors_of(STUDENT)),
    Fact("mentor_teachers", _l("Mentors who are teachers"), _mentors_of(TEACHER)),
    Fact("mentor_employers", _l("Mentors who are employers' representatives"), _mentors_of(EMPLOYER)),
    Fact("meetings_held", _l("Meetings held this year"), _meetings_held),
    Fact("plans_completed", _l("Individual plans completed"), _plans_completed),
    Fact("satisfaction_points", _l("Satisfaction points (survey scale answers in the index)"), _satisfaction_points),
    Fact("mentors_trained", _l("Mentors of the bank who completed training"), _mentors_trained),
)}

DENOMINATOR_FACTS: dict[str, Fact] = {f.code: f for f in (
    Fact("pupils_10_19", _l("Pupils aged 10–19"), _contingent("pupils_10_19"), "children_10_19"),
    Fact("pupils_15_19", _l("Pupils aged 15–19"), _contingent("pupils_15_19"), "children_15_19"),
    Fact("young_specialists", _l("Young specialists"), _contingent("young_specialists"), "young_specialists"),
    Fact("teachers", _l("Teachers"), _contingent("teachers")),
    Fact("enterprises", _l("Partner enterprises"), _partner_enterprises, "enterprises"),
    Fact("plans", _l("Individual plans of the year's pairs"), _plans),
    Fact("satisfaction_max_points", _l("Satisfaction points possible (survey scale answers in the index)"),
         _satisfaction_max_points),
    Fact("bank_mentors", _l("Mentors in the mentor bank"), _bank_mentors),
)}


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    numerator: str
    denominator: str


# Seed 001's four indicators (DESIGN §5): they apply until the ministry saves its own list.
STANDARD_INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("mentees_10_19", "Доля детей в возрасте от 10 до 19 лет, вовлечённых в программы наставничества "
                  "в роли наставляемого", "mentees_10_19", "pupils_10_19"),
    IndicatorSpec("mentors_15_19", "Доля детей в возрасте от 15 до 19 лет, вовлечённых в программы наставничества "
                  "в роли наставника", "mentors_15_19", "pupils_15_19"),
    IndicatorSpec("young_specialists", "Доля молодых специалистов с опытом работы от 0 до 3 лет, вошедших в "
                  "программы наставничества в роли наставляемого", "young_specialist_mentees", "young_specialists"),
    IndicatorSpec("enterprises", "Доля предприятий, вошедших в программы наставничества, предоставив своих "
                  "наставников", "enterprises_with_mentors", "enterprises"),
)
