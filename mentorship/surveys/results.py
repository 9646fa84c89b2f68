"""Results of the surveys (issue 6, "Results" and "Anonymity by design").

Everything here reads through the current tenant scope: responses and answers are
``SharedUpward`` (owned by the respondent's school), so a school sees its own respondents, a
municipal body those of its schools, the ministry all of its region — for a region campaign
too. No ``unscoped`` here.

Anonymity: results of fewer than ``MIN_GROUP_SIZE`` (5) respondents are not shown at all
(no distributions, means, texts or breakdowns). In a breakdown (by form, role, school,
municipal body) a group below five is shown as "fewer than 5" with no figures, and —
*complementary suppression* — as long as the hidden groups are a single group or fewer than
five respondents together, the smallest shown group is hidden too (otherwise the total minus
the shown groups would give the small group's figures away).

The satisfaction index is the mean of (value − 1) / 9 × 100 over every answer to a scale
question counted in the index (``in_index``): Σ(value − 1) / (9 × answers) × 100.

Cost: a fixed number of GROUP BY queries whatever the number of responses
(``campaign_results``: campaign, questions, groups, answer counts, scale sums per group,
texts, names; ``trends``: two).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from core.errors import NotFound
from core.extensions import db
from mentorship.region.forms import region_forms
from mentorship.surveys.models import (
    MIN_GROUP_SIZE,
    SCALE_MAX,
    SCALE_MIN,
    SurveyAnswer,
    SurveyCampaign,
    SurveyQuestion,
    SurveyResponse,
    SurveyTemplate,
)
from tenants.context import require_tenant_scope
from tenants.models import Organization

SCALE_VALUES = tuple(range(SCALE_MIN, SCALE_MAX + 1))
SCALE_SPAN = SCALE_MAX - SCALE_MIN  # 9
ROLE_LABELS = {
    "mentor": _l("Mentors"), "mentee": _l("Mentees"), "representative": _l("Legal representatives"),
    "curator": _l("Curators"),
}
BREAKDOWN_TITLES = {
    "form": _l("By form of mentorship"), "role": _l("By role"), "school": _l("By school"),
    "municipality": _l("By municipal body"),
}
NOT_SPECIFIED = _l("Not specified")

# why a group's figures are hidden
SMALL, COMPLEMENTARY = "small", "complementary"


def index_of(points: int | float | None, answers: int | None) -> float | None:
    """Σ(value − 1) over ``answers`` answers as a 0–100 index, one decimal; None without data."""
    if not answers:
        return None
    return round(100 * float(points or 0) / (SCALE_SPAN * answers), 1)


# -- results of one campaign -----------------------------------------------------------------

@dataclass(frozen=True)
class Share:
    label: str
    count: int
    percent: float  # of the question's respondents (scale) or of all respondents (choices)


@dataclass
class QuestionResult:
    id: int
    position: int
    kind: str
    text: str
    in_index: bool
    answered: int = 0  # respondents who answered it
    shares: list[Share] = field(default_factory=list)  # scale 1–10, or the options
    mean: float | None = None
    median: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def is_scale(self) -> bool:
        return self.kind == "scale"

    @property
    def is_choice(self) -> bool:
        return self.kind in ("single", "multiple")

    @property
    def is_text(self) -> bool:
        return self.kind in ("short_text", "long_text")


@dataclass(frozen=True)
class GroupRow:
    key: object
    name: str
    n: int | None  # None when hidden
    index: float | None = None
    means: dict[int, float | None] = field(default_factory=dict)  # scale question id → mean
    hidden: str | None = None  # SMALL or COMPLEMENTARY

    @property
    def suppressed(self) -> bool:
        return self.hidden is not None


@dataclass(frozen=True)
class Breakdown:
    code: str  # form | role | school | municipality
    title: str
    rows: list[GroupRow]

    @property
    def any_hidden(self) -> bool:
        return any(row.suppressed for row in self.rows)


@dataclass
class Results:
    campaign_id: int
    title: str
    template_title: str
    org_name: str
    org_kind: str
    n: int  # respondents published (all of them while fewer than five)
    index: float | None = None
    questions: list[QuestionResult] = field(default_factory=list)
    waiting: int = 0  # responses not yet published (the step of five is not full)
    breakdowns: list[Breakdown] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.n < MIN_GROUP_SIZE

    @property
    def scale_questions(self) -> list[QuestionResult]:
        return [q for q in self.questions if q.is_scale]


def published_cutoffs(campaign_ids) -> dict[int, tuple[int, int]]:
    """Per campaign, over the current subtree: (respondents published, the id of the last
    published response). Results are published in steps of ``MIN_GROUP_SIZE``: the first 5,
    10, 15 … responses in the order they came, the rest wait for the step to fill. A school
    sees on its invitations page who has answered; were every response counted at once, the
    change in the results after one named person answered would be that person's answers.
    Stepping makes every change the answers of at least five. A campaign with fewer than five
    has no entry. One query (a window over the responses)."""
    ids = list(campaign_ids)
    if not ids:
        return {}
    ranked = (
        sa.select(SurveyResponse.campaign_id.label("campaign_id"), SurveyResponse.id.label("id"),
                  sa.func.row_number().over(partition_by=SurveyResponse.campaign_id,
                                            order_by=SurveyResponse.id).label("rn"),
                  sa.func.count().over(partition_by=SurveyResponse.campaign_id).label("n"))
        .where(SurveyResponse.campaign_id.in_(ids))
        .subquery()
    )
    rows = db.session.execute(
        sa.select(ranked.c.campaign_id, sa.func.count(), sa.func.max(ranked.c.id))
        .where(ranked.c.rn <= ranked.c.n - ranked.c.n % MIN_GROUP_SIZE)
        .group_by(ranked.c.campaign_id)
    ).all()
    return {campaign_id: (published, cutoff) for campaign_id, published, cutoff in rows}


class ResultsNotFound(NotFound):
    """The campaign is not visible from the current organisation (a 404 like any other)."""

    MESSAGES = {"campaign_unknown": _l("Page not found.")}


def _median(counts: dict[int, int]) -> float | None:
    """The median of values given as ``value → count``."""
    total = sum(counts.values())
    if not total:
        return None

    def nth(k: int) -> int:  # the k-th value (from 0) in ascending order
        seen = 0
        for value in sorted(counts):
            seen += counts[value]
            if seen > k:
                return value
        raise ValueError(k)

    middle = total // 2
    return float(nth(middle)) if total % 2 else (nth(middle - 1) + nth(middle)) / 2


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def suppress(sizes: dict[object, int]) -> dict[object, str]:
    """Which groups to hide, and why: groups of 1–4 respondents (``SMALL``), then, while the
    hidden groups are a single group or fewer than five together, the smallest shown group
    (``COMPLEMENTARY``), so no small group's figures follow from the total by subtraction.
    Empty groups (0) are not hidden (they have no figures)."""
    hidden = {key: SMALL for key, n in sizes.items() if 0 < n < MIN_GROUP_SIZE}
    while hidden:
        hidden_n = sum(sizes[key] for key in hidden)
        if len(hidden) > 1 and hidden_n >= MIN_GROUP_SIZE:
            break
        shown = sorted((n, str(key), key) for key, n in sizes.items() if key not in hidden and n > 0)
        if not shown:
            break
        hidden[shown[0][2]] = COMPLEMENTARY
    return hidden


def _load_campaign(campaign_id: int) -> SurveyCampaign:
    campaign = db.session.scalar(
        sa.select(SurveyCampaign).where(SurveyCampaign.id == campaign_id)
        .options(joinedload(SurveyCampaign.template).selectinload(SurveyTemplate.questions))
    )
    if campaign is None:
        raise ResultsNotFound("campaign_unknown", campaign_id=campaign_id)
    return campaign


def campaign_results(campaign_id: int) -> Results:
    """The campaign's results for the current organisation's subtree (raises ResultsNotFound
    for a campaign the current organisation cannot see)."""
    scope = require_tenant_scope()
    campaign = _load_campaign(campaign_id)
    org = db.session.get(Organization, scope.org_id)
    questions = list(campaign.template.questions)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(SurveyResponse).where(SurveyResponse.campaign_id == campaign_id))
    published, cutoff = published_cutoffs([campaign_id]).get(campaign_id, (0, 0))
    results = Results(campaign_id=campaign.id, title=campaign.title, template_title=campaign.template.title,
                      org_name=org.name, org_kind=org.kind, n=published or total, waiting=total - published)
    if results.suppressed:
        return results  # nothing else is shown, so nothing else is read
    # respondents per (form, role, school, municipal body): bounded by the groups, not the rows
    group_rows = db.session.execute(
        sa.select(SurveyResponse.form_code, SurveyResponse.role, SurveyResponse.org_id, SurveyResponse.municipal_id,
                  sa.func.count())
        .where(SurveyResponse.campaign_id == campaign_id, SurveyResponse.id <= cutoff)
        .group_by(SurveyResponse.form_code, SurveyResponse.role, SurveyResponse.org_id, SurveyResponse.municipal_id)
    ).all()

    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for question_id, value, count in db.session.execute(
        sa.select(SurveyAnswer.question_id, SurveyAnswer.value, sa.func.count())
        .where(SurveyAnswer.campaign_id == campaign_id, SurveyAnswer.response_id <= cutoff,
               SurveyAnswer.value.is_not(None))
        .group_by(SurveyAnswer.question_id, SurveyAnswer.value)
    ):
        counts[question_id][value] = count
    # respondents per question (a multiple choice has one row per chosen option)
    answered = dict(db.session.execute(
        sa.select(SurveyAnswer.question_id, sa.func.count(sa.distinct(SurveyAnswer.response_id)))
        .where(SurveyAnswer.campaign_id == campaign_id, SurveyAnswer.response_id <= cutoff)
        .group_by(SurveyAnswer.question_id)
    ).all())
    texts: dict[int, list[str]] = defaultdict(list)
    for question_id, text in db.session.execute(
        sa.select(SurveyAnswer.question_id, SurveyAnswer.text)
        .where(SurveyAnswer.campaign_id == campaign_id, SurveyAnswer.response_id <= cutoff,
               SurveyAnswer.text.is_not(None), SurveyAnswer.text != "")
        .order_by(SurveyAnswer.question_id, SurveyAnswer.text)
    ):
        texts[question_id].append(text)

    index_points = index_answers = 0
    for question in questions:
        result = QuestionResult(question.id, question.position, question.kind, question.text, question.in_index,
                                answered=answered.get(question.id, 0))
        own = counts.get(question.id, {})
        if question.kind == "scale":
            values = {v: c for v, c in own.items() if SCALE_MIN <= v <= SCALE_MAX}
            total = sum(values.values())
            result.shares = [Share(str(v), values.get(v, 0), _percent(values.get(v, 0), total)) for v in SCALE_VALUES]
            if total:
                result.mean = round(sum(v * c for v, c in values.items()) / total, 2)
                result.median = _median(values)
            if question.in_index:
                index_points += sum((v - SCALE_MIN) * c for v, c in values.items())
                index_answers += total
        elif question.kind in ("single", "multiple"):
            options = list(question.options or [])
            result.shares = [Share(label, own.get(i, 0), _percent(own.get(i, 0), results.n))
                             for i, label in enumerate(options)]
        else:
            result.texts = texts.get(question.id, [])
        results.questions.append(result)
    results.index = index_of(index_points, index_answers)
    results.breakdowns = _breakdowns(campaign_id, org, questions, group_rows, cutoff)
    return results


def _breakdowns(campaign_id: int, org: Organization, questions, group_rows, cutoff: int) -> list[Breakdown]:
    scale_ids = [q.id for q in questions if q.kind == "scale"]
    index_ids = {q.id for q in questions if q.kind == "scale" and q.in_index}
    # Σ value and answers per group and scale question, in one GROUP BY
    sums = []
    if scale_ids:
        sums = db.session.execute(
            sa.select(SurveyResponse.form_code, SurveyResponse.role, SurveyResponse.org_id,
                      SurveyResponse.municipal_id, SurveyAnswer.question_id,
                      sa.func.sum(SurveyAnswer.value), sa.func.count())
            .select_from(SurveyAnswer)
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(SurveyAnswer.campaign_id == campaign_id, SurveyAnswer.question_id.in_(scale_ids),
                   SurveyAnswer.response_id <= cutoff, SurveyAnswer.value.between(SCALE_MIN, SCALE_MAX))
            .group_by(SurveyResponse.form_code, SurveyResponse.role, SurveyResponse.org_id,
                      SurveyResponse.municipal_id, SurveyAnswer.question_id)
        ).all()
    # By the viewer's direct children only: a municipal body by school, the ministry by
    # municipal body. A ministry table by school beside the one by body would give a hidden
    # school away (its body's row minus its shown siblings).
    dimensions = {"form": 0, "role": 1}
    if org.kind == "municipality":
        dimensions["school"] = 2
    if org.kind == "ministry":
        dimensions["municipality"] = 3
    names = _names(org, dimensions, group_rows)
    breakdowns = []
    for code, position in dimensions.items():
        sizes: dict[object, int] = defaultdict(int)
        for row in group_rows:
            sizes[row[position]] += row[4]
        totals: dict[object, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        for row in sums:
            cell = totals[row[position]][row[4]]
            cell[0] += int(row[5] or 0)
            cell[1] += row[6]
        hidden = suppress(dict(sizes))
        rows = []
        for key in sizes:
            name = names[code].get(key) or str(NOT_SPECIFIED)
            if key in hidden:
                rows.append(GroupRow(key, name, None, hidden=hidden[key]))
                continue
            per_question = totals.get(key, {})
            means = {qid: (round(s / c, 2) if c else None) for qid, (s, c) in
                     ((qid, per_question.get(qid, (0, 0))) for qid in scale_ids)}
            points = sum(per_question[qid][0] - SCALE_MIN * per_question[qid][1] for qid in index_ids
                         if qid in per_question)
            answers = sum(per_question[qid][1] for qid in index_ids if qid in per_question)
            rows.append(GroupRow(key, name, sizes[key], index_of(points, answers), means))
        rows.sort(key=lambda r: (r.name.casefold(), str(r.key)))
        breakdowns.append(Breakdown(code, str(BREAKDOWN_TITLES[code]), rows))
    return breakdowns


def _names(org: Organization, dimensions: dict, group_rows) -> dict[str, dict]:
    names: dict[str, dict] = {
        "form": {spec.code: spec.name for spec in region_forms(org.path, include_retired=True)},
        "role": {code: str(label) for code, label in ROLE_LABELS.items()},
        "school": {}, "municipality": {},
    }
    ids = set()
    if "school" in dimensions:
        ids |= {row[2] for row in group_rows}
    if "municipality" in dimensions:
        ids |= {row[3] for row in group_rows if row[3] is not None}
    if ids:
        found = dict(db.session.execute(
            sa.select(Organization.id, Organization.name).where(Organization.id.in_(ids))
        ).all())
        names["school"] = found
        names["municipality"] = found
    return names


def satisfaction_index(campaign_id: int) -> float | None:
    """The campaign's satisfaction index over the current organisation's subtree and its
    published responses; None without data or with fewer than five respondents (two queries)."""
    published = published_cutoffs([campaign_id]).get(campaign_id)
    if published is None:
        return None
    points, answers = db.session.execute(
        sa.select(sa.func.sum(SurveyAnswer.value - SCALE_MIN), sa.func.count())
        .select_from(SurveyAnswer)
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .where(SurveyAnswer.campaign_id == campaign_id, SurveyAnswer.response_id <= published[1],
               SurveyQuestion.kind == "scale", SurveyQuestion.in_index.is_(True),
               SurveyAnswer.value.between(SCALE_MIN, SCALE_MAX))
    ).one()
    return index_of(points, answers)


# -- trends across campaigns ------------------------------------------------------------------

@dataclass(frozen=True)
class TrendPoint:
    campaign_id: int
    title: str
    opens_on: date
    version: int
    n: int
    index: float | None  # None: no index answers, or hidden

    @property
    def suppressed(self) -> bool:
        return self.n < MIN_GROUP_SIZE


@dataclass
class TrendSeries:
    family: str
    title: str  # the latest version's title
    purpose: str
    points: list[TrendPoint] = field(default_factory=list)


def trends(family: str | None = None, purpose: str | None = None) -> list[TrendSeries]:
    """The satisfaction index and respondents per campaign, one series per questionnaire
    (every version of a template family together), points by opening date. Only campaigns
    the current organisation sees with responses in its subtree; a point of fewer than five
    respondents has no index. Two queries."""
    n = sa.func.count(sa.distinct(SurveyResponse.id))
    stmt = (
        sa.select(SurveyCampaign.id, SurveyCampaign.title, SurveyCampaign.opens_on, SurveyTemplate.family,
                  SurveyTemplate.version, SurveyTemplate.title, SurveyTemplate.purpose, n)
        .select_from(SurveyCampaign)
        .join(SurveyTemplate, SurveyTemplate.id == SurveyCampaign.template_id)
        .join(SurveyResponse, SurveyResponse.campaign_id == SurveyCampaign.id)
        .group_by(SurveyCampaign.id, SurveyCampaign.title, SurveyCampaign.opens_on, SurveyTemplate.family,
                  SurveyTemplate.version, SurveyTemplate.title, SurveyTemplate.purpose)
    )
    if family:
        stmt = stmt.where(SurveyTemplate.family == family)
    if purpose:
        stmt = stmt.where(SurveyTemplate.purpose == purpose)
    rows = db.session.execute(stmt).all()
    if not rows:
        return []
    cutoffs = published_cutoffs([row[0] for row in rows])
    sums = {
        campaign_id: (points, answers) for campaign_id, points, answers in db.session.execute(
            sa.select(SurveyAnswer.campaign_id, sa.func.sum(SurveyAnswer.value - SCALE_MIN), sa.func.count())
            .select_from(SurveyAnswer)
            .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
            .where(SurveyAnswer.campaign_id.in_(list(cutoffs)), SurveyQuestion.kind == "scale",
                   SurveyQuestion.in_index.is_(True), SurveyAnswer.value.between(SCALE_MIN, SCALE_MAX),
                   SurveyAnswer.response_id <= sa.case(
                       {campaign_id: cutoff for campaign_id, (_n, cutoff) in cutoffs.items()},
                       value=SurveyAnswer.campaign_id, else_=0))
            .group_by(SurveyAnswer.campaign_id)
        )
    } if cutoffs else {}
    series: dict[str, TrendSeries] = {}
    latest: dict[str, int] = {}
    for campaign_id, title, opens_on, fam, version, template_title, template_purpose, count in rows:
        count = cutoffs[campaign_id][0] if campaign_id in cutoffs else count  # published respondents
        entry = series.setdefault(fam, TrendSeries(fam, template_title, template_purpose))
        if version >= latest.get(fam, 0):
            latest[fam] = version
            entry.title, entry.purpose = template_title, template_purpose
        index = index_of(*sums[campaign_id]) if campaign_id in sums and count >= MIN_GROUP_SIZE else None
        entry.points.append(TrendPoint(campaign_id, title, opens_on, version, count, index))
    for entry in series.values():
        entry.points.sort(key=lambda p: (p.opens_on, p.campaign_id))
    return sorted(series.values(), key=lambda s: (s.title.casefold(), s.family))
