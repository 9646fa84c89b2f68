"""The region's own reference figures (children aged 10–19 and 15–19, young specialists,
enterprises) per year: the ministry's denominators, where it has them, instead of the sum of
the schools' contingent. Saved all or nothing; a share over 100 % is a data-quality warning,
shown, never capped. The caller commits."""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.extensions import db
from mentorship.monitoring.facts import DENOMINATOR_FACTS, indicator_codes_only
from mentorship.monitoring.indicators import indicator_list
from mentorship.monitoring.models import MetricSnapshot, MonitoringPeriod, RegionFigure
from mentorship.monitoring.targets import MAX_YEAR, MIN_YEAR, CellProblem
from mentorship.region.settings import record_change
from tenants.models import Organization

MAX_FIGURE = 2_000_000_000  # an INTEGER column


FIGURE_LABELS = {
    "children_10_19": _l("Children aged 10–19"),
    "children_15_19": _l("Children aged 15–19"),
    "young_specialists": _l("Young specialists (0–3 years)"),
    "enterprises": _l("Enterprises"),
}


FIGURE_COLUMNS = tuple(FIGURE_LABELS)


FIGURE_MESSAGES = {
    "number": _l("%(year)s, %(figure)s: «%(raw)s» is not a whole number."),
    "negative": _l("%(year)s, %(figure)s: the figure cannot be negative (%(raw)s)."),
    "too_large": _l("%(year)s, %(figure)s: the figure is too large (%(raw)s)."),
    "older_than_younger": _l("%(year)s: children aged 15–19 (%(older)s) cannot outnumber those aged 10–19 "
                             "(%(all)s)."),
}


FIGURE_WARNING = _l("Data quality: «%(indicator)s» at %(date)s counted %(numerator)s, more than the reference "
                    "figure «%(figure)s» for %(year)s (%(value)s): the share is over 100 %%. Check the figure "
                    "or the schools' data.")


def figure_rows(region: Organization) -> dict[int, RegionFigure]:
    return {r.year: r for r in db.session.scalars(
        sa.select(RegionFigure).where(RegionFigure.org_path == region.path).order_by(RegionFigure.year))}


def parse_figure(raw: str | None) -> int | None:
    """«12 345» (spaces as thousands separators allowed) → int; empty → None.
    Raises ValueError("number" | "negative" | "too_large")."""
    text = re.sub(r"[\s\u00a0\u202f]", "", raw or "")
    if not text:
        return None
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError("number")
    value = int(text)
    if value < 0:
        raise ValueError("negative")
    if value > MAX_FIGURE:
        raise ValueError("too_large")
    return value


def save_figures(region: Organization, cells: dict[tuple[int, str], str]) -> list[CellProblem]:
    """Save the figures table: ``cells`` maps (year, column) to the typed text; a row whose
    cells are all empty is removed (the schools' sums apply). All or nothing."""
    parsed: dict[int, dict[str, int | None]] = {}
    problems = []
    for (year, column), raw in sorted(cells.items()):
        if column not in FIGURE_COLUMNS or not MIN_YEAR <= year <= MAX_YEAR:
            continue
        try:
            parsed.setdefault(year, {})[column] = parse_figure(raw)
        except ValueError as exc:
            problems.append(CellProblem((year, column), str(FIGURE_MESSAGES[str(exc)] % {
                "year": year, "figure": FIGURE_LABELS[column], "raw": (raw or "").strip()})))
    saved = figure_rows(region)
    for year, values in sorted(parsed.items()):
        merged = {c: getattr(saved[year], c) if year in saved else None for c in FIGURE_COLUMNS}
        merged.update(values)
        young, old = merged["children_10_19"], merged["children_15_19"]
        if young is not None and old is not None and old > young:
            problems.append(CellProblem((year, "children_15_19"), str(FIGURE_MESSAGES["older_than_younger"] % {
                "year": year, "older": old, "all": young})))
    if problems:
        return problems
    changed = 0
    for year, values in sorted(parsed.items()):
        row = saved.get(year)
        merged = {c: getattr(row, c) if row is not None else None for c in FIGURE_COLUMNS}
        if all(merged.get(c) == v for c, v in values.items()):
            continue
        merged.update(values)
        changed += 1
        if all(v is None for v in merged.values()):
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = RegionFigure(org_id=region.id, year=year)
            db.session.add(row)
        for column, value in merged.items():
            setattr(row, column, value)
    if changed:
        db.session.flush()
        record_change(region, "region_figures", years_changed=changed)
    return []


@dataclass(frozen=True)
class FigureWarning:
    indicator: str
    figure: str
    year: int
    value: int
    numerator: int
    date_text: str

    @property
    def message(self) -> str:
        return str(FIGURE_WARNING % {"indicator": self.indicator, "figure": self.figure, "year": self.year,
                                     "value": self.value, "numerator": self.numerator, "date": self.date_text})


def figure_warnings(region: Organization) -> list[FigureWarning]:
    """Data-quality warnings (not errors): in the region's latest frozen period, a region-level
    numerator larger than the reference figure it is divided by (the saved figure for the
    period's year, or the schools' sum the snapshot used when there is none) — a share over
    100 %, kept as counted and shown, never capped. Three queries."""
    period = db.session.scalar(
        sa.select(MonitoringPeriod).where(MonitoringPeriod.org_id == region.id, MonitoringPeriod.status == "frozen")
        .order_by(MonitoringPeriod.reference_date.desc()).limit(1))
    if period is None:
        return []
    year = period.reference_date.year
    figures = figure_rows(region).get(year)
    indicators, _defaults = indicator_list(region)
    by_code = {i.code: i for i in indicators}
    warnings = []
    for snapshot in db.session.scalars(
        sa.select(MetricSnapshot).where(MetricSnapshot.period_id == period.id, MetricSnapshot.org_id == region.id,
                                        indicator_codes_only(MetricSnapshot.indicator_code))  # not pairs by form
        .order_by(MetricSnapshot.indicator_code)
    ):
        indicator = by_code.get(snapshot.indicator_code)
        fact = DENOMINATOR_FACTS.get(indicator.denominator) if indicator else None
        column = fact.region_figure if fact else None
        figure = getattr(figures, column) if figures is not None and column else None
        if figure is not None:
            label = str(FIGURE_LABELS[column])
        else:
            figure, label = snapshot.denominator, str(fact.label) if fact else snapshot.indicator_code
        if snapshot.numerator > figure:
            warnings.append(FigureWarning(indicator.name if indicator else snapshot.indicator_code, label, year,
                                          figure, snapshot.numerator, period.reference_date.strftime("%d.%m.%Y")))
    return warnings
