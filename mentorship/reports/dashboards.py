"""Monitoring dashboards (DESIGN §5, §7): one organisation's indicators against the region's
targets, their trend over the periods, the figures of the organisations directly below it
(municipal bodies for the ministry, schools for a municipal body) and the reports' status.

Dashboards read the periods' snapshots (``MetricSnapshot``), never raw rows: a running or
pending period shows its status, and the figures shown are the latest frozen ones. Only
aggregates appear (numerators, denominators, shares, counts of reports) — no person.

A constant number of queries, whatever the number of schools or periods:

1. the region's periods (``region_reference``);
2. the region's own figures over all periods (``region_reference``; not for the ministry,
   whose own figures are the region's);
3. the region's indicators, retired ones included (for the names of old figures);
4. the indicators' targets for every year;
5. the organisation's own figures over all periods (the trend);
6. its children's figures in the period (one outer join, ordered by name);
7. the reports of its subtree in the period, by kind and status (one GROUP BY);
8. the organisations of its subtree by kind (who is expected to report);
9. the region's catalogue of forms, retired ones included (the names of the pairs by form,
   whose counts came with query 5: snapshot codes ``pairs_by_form:<form>``).

**The region reference.** ``MonitoringPeriod`` and the region's own snapshot rows belong to
the ministry (shared upward), so a municipal body or a school cannot read them through its
scope. Every organisation of the region needs them, though — the period picker, and the
region's value to compare with — and they hold no personal data. ``region_reference`` reads
exactly those rows under ``unscoped("dashboard.region_reference")``: the periods of the
caller's own region and the snapshot rows with ``org_kind = 'ministry'`` of that region
itself. The region is derived from the organisation's materialised path (which came through
the scope), never from request input; the rows come back as plain tuples, so no object read
across the scope enters the session.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from core.extensions import db
from mentorship.monitoring.facts import (
    BY_FORM_PREFIX,
    NUMERATOR_FACTS,
    STANDARD_INDICATORS,
    by_form_code,
    indicator_codes_only,
    is_by_form,
)
from mentorship.monitoring.models import Indicator, MetricSnapshot, Target
from mentorship.monitoring.readings import Figure, PeriodInfo, region_periods
from mentorship.region.forms import region_forms
from mentorship.reports.models import Report
from tenants.context import unscoped
from tenants.models import Organization
from tenants.scoping import region_path, subtree_bounds

REFERENCE_LABEL = "dashboard.region_reference"
REPORT_KIND_OF_ORG = {"school": "school", "municipality": "municipal"}


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    numerator_fact: str | None
    figure: Figure | None
    target: float | None  # for the reference date's year
    region: Figure | None = None  # the region's figure, beside a municipal body's or a school's

    @property
    def status(self) -> str:
        """no_data | no_target | met | below."""
        if self.figure is None or self.figure.value is None:
            return "no_data"
        if self.target is None:
            return "no_target"
        return "met" if self.figure.value >= self.target else "below"


@dataclass(frozen=True)
class FormCount:
    """Pairs and groups of one form active in the period's year window (a count, not a share)."""

    code: str
    name: str
    count: int
    retired: bool = False


@dataclass(frozen=True)
class OrgLine:
    id: int
    name: str
    kind: str
    figures: dict[str, Figure]


@dataclass
class Dashboard:
    org_id: int
    org_name: str
    org_kind: str
    region_id: int
    periods: list[PeriodInfo]  # latest first
    period: PeriodInfo | None  # the one shown
    indicators: list[IndicatorLine] = field(default_factory=list)
    children: list[OrgLine] = field(default_factory=list)
    trend_periods: list[PeriodInfo] = field(default_factory=list)  # frozen ones, oldest first
    trend: dict[str, list[Figure | None]] = field(default_factory=dict)
    trend_targets: dict[str, list[float | None]] = field(default_factory=dict)
    region_trend: dict[str, list[Figure | None]] = field(default_factory=dict)
    counts: list[tuple[str, str, int]] = field(default_factory=list)  # (fact, label, numerator)
    reports: dict[str, dict[str, int]] = field(default_factory=dict)  # kind → status → count
    expected_reports: dict[str, int] = field(default_factory=dict)  # kind → organisations
    forms: list[FormCount] = field(default_factory=list)  # pairs and groups by form in the period

    @property
    def forms_total(self) -> int:
        return sum(f.count for f in self.forms)

    @property
    def is_region(self) -> bool:
        return self.org_kind == "ministry"

    @property
    def unfinished(self) -> list[PeriodInfo]:
        """Periods still pending or running (their figures are not final)."""
        return [p for p in self.periods if not p.final]

    @property
    def has_figures(self) -> bool:
        return any(line.figure is not None for line in self.indicators)

    @property
    def warnings(self) -> list[IndicatorLine]:
        return [line for line in self.indicators if line.figure is not None and line.figure.over_100]

    def children_over_100(self) -> list[tuple[OrgLine, str]]:
        return [(child, code) for child in self.children for code, f in child.figures.items() if f.over_100]

    @property
    def children_total(self) -> dict[str, Figure]:
        """Σ numerators / Σ denominators of the organisations below — how a level's share is
        rolled up (never the mean of their percentages)."""
        totals = {}
        for line in self.indicators:
            figures = [c.figures[line.code] for c in self.children if line.code in c.figures]
            if figures:
                n = sum(f.numerator for f in figures)
                d = sum(f.denominator for f in figures)
                totals[line.code] = Figure(n, d, round(100 * n / d, 2) if d else None)
        return totals


# -- the region reference (crosses the scope: see the module docstring) -------------------

@dataclass(frozen=True)
class RegionReference:
    periods: list[PeriodInfo]  # latest first
    figures: dict[tuple[int, str], Figure]  # (period id, indicator code) → the region's figure


def region_id_of(org: Organization) -> int:
    return int(region_path(org.path).strip("/"))


def region_reference(org: Organization, *, with_figures: bool = True) -> RegionReference:
    """The periods of ``org``'s region and (``with_figures``) the region's own figures."""
    region_id = region_id_of(org)
    with unscoped(REFERENCE_LABEL):
        figures = {}
        if with_figures:
            figures = {(pid, code): Figure(n, d, v) for pid, code, n, d, v in db.session.execute(
                sa.select(MetricSnapshot.period_id, MetricSnapshot.indicator_code, MetricSnapshot.numerator,
                          MetricSnapshot.denominator, MetricSnapshot.value)
                .where(MetricSnapshot.org_id == region_id, MetricSnapshot.org_kind == "ministry",
                       indicator_codes_only(MetricSnapshot.indicator_code))
            )}
    return RegionReference(region_periods(org), figures)


# -- the dashboard -------------------------------------------------------------------------

def choose_period(periods: list[PeriodInfo], requested: int | None) -> PeriodInfo | None:
    """The requested period if it is the region's; else the latest frozen one; else the latest."""
    for period in periods:
        if period.id == requested:
            return period
    return next((p for p in periods if p.final), periods[0] if periods else None)


def _indicators(path: str) -> tuple[list[tuple[str, str, str | None]], dict[str, str]]:
    """(active indicators as (code, name, numerator fact), every known code → name)."""
    rows = db.session.execute(
        sa.select(Indicator.code, Indicator.name, Indicator.numerator_fact, Indicator.retired)
        .where(Indicator.org_path == path).order_by(Indicator.position, Indicator.id)
    ).all()
    if not rows:
        active = [(spec.code, spec.name, spec.numerator) for spec in STANDARD_INDICATORS]
    else:
        active = [(code, name, fact) for code, name, fact, retired in rows if not retired]
    names = {code: name for code, name, _, _ in rows}
    names.update({code: name for code, name, _ in active})
    return active, names


def _targets(path: str) -> dict[tuple[str, int], float]:
    return {(code, year): float(value) for code, year, value in db.session.execute(
        sa.select(Indicator.code, Target.year, Target.value).join(Target.indicator).where(Indicator.org_path == path)
    )}


def _own_figures(org_id: int) -> dict[tuple[int, str], Figure]:
    return {(pid, code): Figure(n, d, v) for pid, code, n, d, v in db.session.execute(
        sa.select(MetricSnapshot.period_id, MetricSnapshot.indicator_code, MetricSnapshot.numerator,
                  MetricSnapshot.denominator, MetricSnapshot.value)
        .where(MetricSnapshot.org_id == org_id)
    )}


def _children(org: Organization, period_id: int | None) -> list[OrgLine]:
    """The organisations directly below ``org`` with their figures in the period (one query)."""
    joined = sa.and_(MetricSnapshot.org_id == Organization.id, MetricSnapshot.period_id == (period_id or 0))
    rows = db.session.execute(
        sa.select(Organization.id, Organization.name, Organization.short_name, Organization.kind,
                  MetricSnapshot.indicator_code, MetricSnapshot.numerator, MetricSnapshot.denominator,
                  MetricSnapshot.value)
        .select_from(Organization).outerjoin(MetricSnapshot, joined)
        .where(Organization.parent_id == org.id)
        .order_by(Organization.name, Organization.id)
    )
    lines: dict[int, OrgLine] = {}
    for oid, name, short, kind, code, n, d, v in rows:
        line = lines.setdefault(oid, OrgLine(oid, short or name, kind, {}))
        if code is not None:
            line.figures[code] = Figure(n, d, v)
    return list(lines.values())


def _report_counts(org: Organization, period_id: int) -> dict[str, dict[str, int]]:
    low, high = subtree_bounds(org.path)
    counts: dict[str, dict[str, int]] = {}
    for kind, status, n in db.session.execute(
        sa.select(Report.kind, Report.status, sa.func.count())
        .where(Report.period_id == period_id, Report.org_path >= low, Report.org_path < high)
        .group_by(Report.kind, Report.status)
    ):
        counts.setdefault(kind, {})[status] = n
    return counts


def _expected_reports(org: Organization) -> dict[str, int]:
    low, high = subtree_bounds(org.path)
    rows = db.session.execute(
        sa.select(Organization.kind, sa.func.count())
        .where(Organization.path >= low, Organization.path < high, Organization.is_active.is_(True))
        .group_by(Organization.kind)
    )
    return {REPORT_KIND_OF_ORG[kind]: n for kind, n in rows if kind in REPORT_KIND_OF_ORG}


def _form_counts(path: str, figures: dict[str, int]) -> list[FormCount]:
    """Every active form of the catalogue (0 when no pair), then retired or unknown forms that
    were counted; names from the region's catalogue (one query). ``figures``: code → numerator."""
    counts = {code: n for code, n in figures.items() if is_by_form(code)}
    lines = []
    for form in region_forms(path, include_retired=True):
        n = counts.pop(by_form_code(form.code), 0)
        if n or not form.retired:
            lines.append(FormCount(form.code, form.name, n, form.retired))
    for code, n in sorted(counts.items()):  # a form no longer in the catalogue: its code
        lines.append(FormCount(code[len(BY_FORM_PREFIX):], code[len(BY_FORM_PREFIX):], n))
    return lines


def build_dashboard(org: Organization, requested_period: int | None = None) -> Dashboard:
    """The dashboard of ``org`` (the current organisation, or one below it that came through
    the scope) for the requested period, or the latest frozen one."""
    path = region_path(org.path)
    reference = region_reference(org, with_figures=org.kind != "ministry")
    period = choose_period(reference.periods, requested_period)
    board = Dashboard(org_id=org.id, org_name=org.display_name, org_kind=org.kind, region_id=region_id_of(org),
                      periods=reference.periods, period=period)
    active, names = _indicators(path)
    targets = _targets(path)
    own = _own_figures(org.id)
    region = own if org.kind == "ministry" else reference.figures
    year = period.reference_date.year if period else None

    lines = [(code, name, fact) for code, name, fact in active]
    if period is not None:  # figures of indicators retired since: still shown for their period
        known = {code for code, _, _ in lines}
        extra = sorted({code for (pid, code) in own
                        if pid == period.id and code not in known and not is_by_form(code)})
        lines += [(code, names.get(code, code), None) for code in extra]
    for code, name, fact in lines:
        board.indicators.append(IndicatorLine(
            code=code, name=name, numerator_fact=fact,
            figure=own.get((period.id, code)) if period else None,
            target=targets.get((code, year)),
            region=None if org.kind == "ministry" or period is None else region.get((period.id, code)),
        ))

    board.trend_periods = [p for p in reversed(reference.periods) if p.final]
    for code, _, _ in active:
        board.trend[code] = [own.get((p.id, code)) for p in board.trend_periods]
        board.trend_targets[code] = [targets.get((code, p.reference_date.year)) for p in board.trend_periods]
        if org.kind != "ministry":
            board.region_trend[code] = [region.get((p.id, code)) for p in board.trend_periods]

    seen = set()
    for line in board.indicators:
        fact = line.numerator_fact
        if fact and fact not in seen and fact in NUMERATOR_FACTS and line.figure is not None:
            seen.add(fact)
            board.counts.append((fact, str(NUMERATOR_FACTS[fact].label), line.figure.numerator))

    counted = {code: f.numerator for (pid, code), f in own.items() if period is not None and pid == period.id}
    if counted:  # a period not counted yet shows no zeros
        board.forms = _form_counts(path, counted)

    if org.kind != "school":
        board.children = _children(org, period.id if period else None)
    if period is not None:
        board.reports = _report_counts(org, period.id)
    board.expected_reports = _expected_reports(org)
    return board
