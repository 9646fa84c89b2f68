"""What the analytical report (информационно-аналитическая справка) of a period and a level is
made of, as plain values (aggregates only: no participant's row ever reaches a report).

Everything comes from the period's frozen snapshots (``MetricSnapshot``), the region's
targets, the survey results as published and the roadmap oversight figures; each part is a
fixed number of set-based queries whatever the number of schools. The level is the
organisation the report belongs to: the region (its table goes by municipal body) or a
municipal body (its table goes by school). The assembly reads through the current tenant
scope, which is that organisation's; the region's periods come from
mentorship/monitoring/readings.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from core.extensions import db
from mentorship.monitoring.aggregation import region_indicators
from mentorship.monitoring.facts import IndicatorSpec
from mentorship.monitoring.models import Indicator, MetricSnapshot, Target
from mentorship.monitoring.readings import Figure, PeriodInfo, region_periods
from mentorship.roadmaps.oversight import municipal_summaries, school_states
from tenants.models import Organization
from tenants.scoping import region_path

TREND_PERIODS = 10  # the most recent frozen periods shown in the trend


ROADMAP_STATES = {
    "missing": "нет дорожной карты",
    "draft": "черновик",
    "submitted": "на согласовании",
    "returned": "возвращена на доработку",
    "approved": "утверждена",
}


@dataclass(frozen=True)
class IndicatorLine:
    number: int
    code: str
    name: str
    target: Decimal | None
    figure: Figure | None

    @property
    def value(self) -> float | None:
        return self.figure.value if self.figure else None

    @property
    def deviation(self) -> float | None:
        """Value minus target, in percentage points."""
        if self.value is None or self.target is None:
            return None
        return round(self.value - float(self.target), 2)


@dataclass(frozen=True)
class UnitRow:
    """A municipal body (region level) or a school (municipal level): aggregates only."""

    name: str
    figures: dict[str, Figure]


@dataclass(frozen=True)
class TrendPoint:
    reference_date: date
    values: dict[str, float | None]


@dataclass(frozen=True)
class SatisfactionRow:
    group: str  # a municipal body (region level), a school (municipal level), or «Итого»
    responses: int | None  # None: hidden (fewer than five respondents, or to protect such a group)
    index: float | None  # satisfaction index, %
    suppressed: bool = False


@dataclass(frozen=True)
class RoadmapLine:
    name: str
    state: str  # a municipal body: schools with an approved roadmap; a school: its roadmap's state
    done: int
    total: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class ReportData:
    org_name: str
    level: str  # "ministry" | "municipality"
    reference_date: date
    today: date
    indicators: list[IndicatorLine] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    satisfaction: list[SatisfactionRow] | None = None  # None: no survey data yet
    roadmaps: list[RoadmapLine] = field(default_factory=list)

    @property
    def by_school(self) -> bool:
        return self.level == "municipality"


def _targets(org: Organization, codes: list[str], year: int) -> dict[str, Decimal]:
    rows = db.session.execute(
        sa.select(Indicator.code, Target.value).join(Target, Target.indicator_id == Indicator.id)
        .where(Indicator.org_path == region_path(org.path), Indicator.code.in_(codes), Target.year == year)
    )
    return {code: value for code, value in rows}


def _figures(period_ids: list[int], org_ids: list[int]) -> dict[tuple[int, int, str], Figure]:
    """(period, organisation, indicator) → figure, in one query."""
    if not period_ids or not org_ids:
        return {}
    rows = db.session.execute(
        sa.select(MetricSnapshot.period_id, MetricSnapshot.org_id, MetricSnapshot.indicator_code,
                  MetricSnapshot.numerator, MetricSnapshot.denominator, MetricSnapshot.value)
        .where(MetricSnapshot.period_id.in_(period_ids), MetricSnapshot.org_id.in_(org_ids))
    )
    return {(p, o, code): Figure(n, d, v) for p, o, code, n, d, v in rows}


def indicator_lines(org: Organization, period: PeriodInfo, specs: list[IndicatorSpec]) -> list[IndicatorLine]:
    """The level's own figure of each indicator against its target for the period's year."""
    codes = [spec.code for spec in specs]
    targets = _targets(org, codes, period.reference_date.year)
    figures = _figures([period.id], [org.id])
    return [
        IndicatorLine(number, spec.code, spec.name, targets.get(spec.code), figures.get((period.id, org.id, spec.code)))
        for number, spec in enumerate(specs, 1)
    ]


def unit_rows(org: Organization, period: PeriodInfo) -> list[UnitRow]:
    """Each child organisation's figures (active ones, and any counted in the period)."""
    children = db.session.execute(
        sa.select(Organization.id, Organization.name, Organization.is_active)
        .where(Organization.parent_id == org.id).order_by(Organization.name, Organization.id)
    ).all()
    figures = _figures([period.id], [child.id for child in children])
    rows = []
    for child in children:
        own = {code: figure for (_p, org_id, code), figure in figures.items() if org_id == child.id}
        if child.is_active or own:
            rows.append(UnitRow(child.name, own))
    return rows


def trend(org: Organization, period: PeriodInfo, specs: list[IndicatorSpec]) -> list[TrendPoint]:
    """The level's values over the region's frozen periods up to this one, oldest first."""
    periods = [p for p in region_periods(org) if p.frozen and p.reference_date <= period.reference_date]
    periods = sorted(periods[:TREND_PERIODS], key=lambda p: p.reference_date)
    figures = _figures([p.id for p in periods], [org.id])
    return [
        TrendPoint(p.reference_date, {
            spec.code: (figures[(p.id, org.id, spec.code)].value if (p.id, org.id, spec.code) in figures else None)
            for spec in specs
        })
        for p in periods
    ]


def satisfaction_results(org: Organization, period: PeriodInfo) -> list[SatisfactionRow] | None:
    """The satisfaction index and respondents by municipal body (region level) or by school
    (municipal level), over the responses submitted in the period's year window (1 January of
    its year up to the reference date), with a last row for the whole level; None while no
    such response exists. Read through the current scope (``org``'s subtree), two queries.

    Respondents are those who answered a scale question counted in the index. A unit of 1–4
    respondents is hidden ("fewer than 5"), with the complementary suppression of
    mentorship/surveys/results.py (``suppress``); so is the whole level below five."""
    from mentorship.surveys.models import MIN_GROUP_SIZE, SurveyAnswer, SurveyQuestion, SurveyResponse
    from mentorship.surveys.results import SCALE_MAX, SCALE_MIN, index_of, suppress

    unit = SurveyResponse.municipal_id if org.kind == "ministry" else SurveyResponse.org_id
    rows = db.session.execute(
        sa.select(unit, sa.func.count(sa.distinct(SurveyAnswer.response_id)),
                  sa.func.sum(SurveyAnswer.value - SCALE_MIN), sa.func.count())
        .select_from(SurveyAnswer)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .where(SurveyQuestion.kind == "scale", SurveyQuestion.in_index.is_(True),
               SurveyAnswer.value.between(SCALE_MIN, SCALE_MAX),
               SurveyResponse.submitted_on >= date(period.reference_date.year, 1, 1),
               SurveyResponse.submitted_on <= period.reference_date)
        .group_by(unit)
    ).all()
    if not rows:
        return None
    figures = {key: (n, points, answers) for key, n, points, answers in rows}
    children = db.session.execute(
        sa.select(Organization.id, Organization.name, Organization.is_active)
        .where(Organization.parent_id == org.id).order_by(Organization.name, Organization.id)
    ).all()
    shown = [(child_id, name) for child_id, name, active in children if active or child_id in figures]
    sizes = {key: n for key, (n, _p, _a) in figures.items()}  # units not listed count too (no differencing)
    sizes.update({child_id: sizes.get(child_id, 0) for child_id, _name in shown})
    hidden = suppress(sizes)
    result = []
    for child_id, name in shown:
        n, points, answers = figures.get(child_id, (0, 0, 0))
        if child_id in hidden:
            result.append(SatisfactionRow(name, None, None, suppressed=True))
        else:
            result.append(SatisfactionRow(name, n, index_of(points, answers)))
    total_n = sum(n for n, _p, _a in figures.values())
    if total_n < MIN_GROUP_SIZE:
        result.append(SatisfactionRow("Итого", None, None, suppressed=True))
    else:
        result.append(SatisfactionRow("Итого", total_n, index_of(sum(int(p or 0) for _n, p, _a in figures.values()),
                                                                sum(a for _n, _p, a in figures.values()))))
    return result


def roadmap_lines(org: Organization, today: date) -> list[RoadmapLine]:
    """Roadmap completion by municipal body (region level) or by school (municipal level),
    from mentorship/roadmaps/oversight.py (a fixed number of queries)."""
    children = list(db.session.scalars(
        sa.select(Organization).where(Organization.parent_id == org.id, Organization.is_active.is_(True))
        .order_by(Organization.name, Organization.id)
    ))
    if org.kind == "municipality":
        return [RoadmapLine(s.org.name, ROADMAP_STATES.get(s.state, s.state), s.done, s.total, s.overdue)
                for s in school_states(children, today)]
    return [
        RoadmapLine(s.org.name, f"утверждена у {s.by_state['approved']} из {s.schools}", s.done, s.total, s.overdue)
        for s in municipal_summaries(children, today)
    ]


def assemble(org: Organization, period: PeriodInfo, today: date, step=lambda: None) -> ReportData:
    """The report's data for ``org`` (the current tenant) and ``period``; ``step()`` after each part."""
    specs = region_indicators(region_path(org.path))
    data = ReportData(org_name=org.name, level=org.kind, reference_date=period.reference_date, today=today)
    data.indicators = indicator_lines(org, period, specs)
    step()
    data.units = unit_rows(org, period)
    step()
    data.trend = trend(org, period, specs)
    step()
    data.satisfaction = satisfaction_results(org, period)
    step()
    data.roadmaps = roadmap_lines(org, today)
    step()
    return data
