"""The analytical report (информационно-аналитическая справка) of a period and a level: the
data it is made of, and the run that builds its files.

Everything comes from the period's frozen snapshots (``MetricSnapshot``: aggregates only,
never a participant's row), the region's targets, and the roadmap oversight figures; each
part is a fixed number of set-based queries whatever the number of schools. The level is the
organisation the report belongs to: the region (its table goes by municipal body) or a
municipal body (its table goes by school). The assembly reads through the current tenant
scope, which is that organisation's.

Periods are the ministry's rows; a municipal body's scope does not reach them, so the one
narrow read of its region's periods goes through ``unscoped`` with the region's path named
explicitly (``region_periods``).

``build_report`` is the task's work: ``running`` with ``done`` of ``total`` steps, each step's
progress committed on its own (the page polls it), then the DOCX and XLSX stored and
``done``. Exactly once: a report already ``done`` is left alone, and the final write is a
conditional update (``status = 'running'``), so of two runs racing only one stores its
files. A failure marks the report ``failed`` with the message; transient database errors
are raised again for Celery's retry (a failed report may be run again).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError

from core.extensions import db
from core.model import utcnow
from mentorship.monitoring.aggregation import region_indicators
from mentorship.monitoring.facts import IndicatorSpec
from mentorship.monitoring.models import Indicator, MetricSnapshot, MonitoringPeriod, Target
from mentorship.reports.models import AnalyticalReport
from mentorship.roadmaps.oversight import municipal_summaries, school_states
from tenants.context import unscoped
from tenants.models import Organization
from tenants.scoping import region_path

log = logging.getLogger("nastavnik.analytical")

STEPS = ("indicators", "units", "trend", "satisfaction", "roadmaps", "docx", "xlsx")
RUNNABLE = ("queued", "running", "failed")
TREND_PERIODS = 10  # the most recent frozen periods shown in the trend
ROADMAP_STATES = {
    "missing": "нет дорожной карты",
    "draft": "черновик",
    "submitted": "на согласовании",
    "returned": "возвращена на доработку",
    "approved": "утверждена",
}


class AnalyticalError(ValueError):
    """A report that cannot be built: ``period_missing`` or ``not_frozen`` (see MESSAGES)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# -- periods of the level's region ----------------------------------------------------------

@dataclass(frozen=True)
class PeriodInfo:
    id: int
    reference_date: date
    status: str

    @property
    def frozen(self) -> bool:
        return self.status == "frozen"


def region_periods(org: Organization) -> list[PeriodInfo]:
    """The monitoring periods of ``org``'s region, newest first (plain values, no ORM rows:
    a municipal body's scope does not reach the ministry's period rows)."""
    with unscoped("analytical.region_periods"):
        rows = db.session.execute(
            sa.select(MonitoringPeriod.id, MonitoringPeriod.reference_date, MonitoringPeriod.status)
            .where(MonitoringPeriod.org_path == region_path(org.path))
            .order_by(MonitoringPeriod.reference_date.desc(), MonitoringPeriod.id.desc())
        ).all()
    return [PeriodInfo(*row) for row in rows]


def period_of(org: Organization, period_id: int | None) -> PeriodInfo | None:
    """Period ``period_id`` if it belongs to ``org``'s region, else None."""
    return next((p for p in region_periods(org) if p.id == period_id), None)


# -- the report's data ------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    numerator: int
    denominator: int
    value: float | None  # % (None: denominator 0)


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


# -- the run ------------------------------------------------------------------------------------

R = AnalyticalReport


def _update(report_id: int, *statuses: str):
    return (sa.update(R).where(R.id == report_id, R.status.in_(statuses))
            .execution_options(synchronize_session=False))


def _progress(report_id: int, **values) -> None:
    """One short transaction of its own: the status page sees it at once."""
    db.session.commit()  # end the reads so far (they wrote nothing)
    db.session.execute(_update(report_id, "running").values(**values))
    db.session.commit()


def _claim(report_id: int) -> str | None:
    """Put the report in ``running`` if it may run; its status otherwise (None: not visible)."""
    status = db.session.scalar(sa.select(AnalyticalReport.status).where(AnalyticalReport.id == report_id))
    if status is None or status not in RUNNABLE:
        db.session.rollback()
        return status or None
    db.session.execute(
        _update(report_id, *RUNNABLE).values(status="running", total=len(STEPS), done=0, error=None)
    )
    db.session.commit()
    return "claimed"


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


def build_report(report_id: int, today: date) -> str:
    """Build report ``report_id`` as the current tenant (its organisation); returns the status
    it ends in (a report that was not runnable is left as it was)."""
    from mentorship.reports.analytical.document import to_docx
    from mentorship.reports.analytical.workbook import to_xlsx

    claimed = _claim(report_id)
    if claimed != "claimed":
        return claimed or "missing"
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        _progress(report_id, done=done)

    try:
        org_id, period_id = db.session.execute(
            sa.select(AnalyticalReport.org_id, AnalyticalReport.period_id).where(AnalyticalReport.id == report_id)
        ).one()
        org = db.session.get(Organization, org_id)
        period = period_of(org, period_id)
        if period is None:
            raise AnalyticalError("period_missing")
        if not period.frozen:
            raise AnalyticalError("not_frozen")
        data = assemble(org, period, today, step)
        docx = to_docx(data)
        step()
        xlsx = to_xlsx(data)
        step()
        finished = db.session.execute(
            _update(report_id, "running")
            .values(status="done", docx=docx, xlsx=xlsx, done=len(STEPS), finished_at=utcnow(), error=None)
        )
        if finished.rowcount != 1:  # another run stored its files first
            db.session.rollback()
            return _status(report_id)
        db.session.commit()
        log.info("analytical report %s built (%s bytes docx, %s bytes xlsx)", report_id, len(docx), len(xlsx))
        return "done"
    except Exception as exc:
        db.session.rollback()
        log.exception("analytical report %s failed", report_id)
        _mark_failed(report_id, exc)
        if isinstance(exc, OperationalError):
            raise  # transient: Celery retries, and a failed report may run again
        return "failed"


def _status(report_id: int) -> str:
    return db.session.scalar(sa.select(AnalyticalReport.status).where(AnalyticalReport.id == report_id)) or "missing"


MESSAGES = {
    "period_missing": _l("The period does not exist in your region."),
    "not_frozen": _l("The period is not frozen yet: the analytical report is built from frozen figures only."),
}


def _mark_failed(report_id: int, exc: Exception) -> None:
    # a domain refusal keeps its code (the page translates it); anything else its text
    message = exc.code if isinstance(exc, AnalyticalError) else f"{type(exc).__name__}: {exc}"
    try:
        db.session.execute(
            _update(report_id, "queued", "running")
            .values(status="failed", error=(message or "")[:2000], finished_at=utcnow())
        )
        db.session.commit()
    except Exception:  # noqa: BLE001 - the original error matters more
        db.session.rollback()
        log.exception("could not record the failure of analytical report %s", report_id)


# -- the request side -------------------------------------------------------------------------

def request_report(org: Organization, period_id: int | None, user) -> AnalyticalReport:
    """A new report of ``org`` for a frozen period of its region, queued (added and flushed,
    not committed: the caller commits, then the task is sent). Raises AnalyticalError."""
    from tenants import audit

    period = period_of(org, period_id)
    if period is None:
        raise AnalyticalError("period_missing")
    if not period.frozen:
        raise AnalyticalError("not_frozen")
    report = AnalyticalReport(org_id=org.id, period_id=period.id, status="queued", total=len(STEPS), done=0,
                              created_by_id=getattr(user, "id", None))
    db.session.add(report)
    db.session.flush()
    audit.record("analytical.requested", org=org, obj=report, user=user,
                 details={"reference_date": period.reference_date.isoformat()})
    return report


def pending_report(org: Organization, period_id: int) -> AnalyticalReport | None:
    """A report of ``org`` for the period still queued or running (a second request waits for it)."""
    return db.session.scalar(
        sa.select(AnalyticalReport)
        .where(AnalyticalReport.org_id == org.id, AnalyticalReport.period_id == period_id,
               AnalyticalReport.status.in_(("queued", "running")))
        .limit(1)
    )


def progress_of(report: AnalyticalReport) -> dict:
    return {"status": report.status, "done": report.done, "total": report.total}
