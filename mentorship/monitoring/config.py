"""The ministry's region configuration for the monitoring (DESIGN §5), as services the
views call: the catalogue of mentorship forms, the indicators and their yearly targets, the
region's own reference figures, the monitoring calendar, and the ministry's actions on a
period (run now, re-run, unfreeze).

* **Defaults become rows on the first change.** A region starts with the default catalogue
  of forms (mentorship/region/forms.py) and the four standard indicators of seed 001
  (mentorship/monitoring/facts.py). The first change of either writes the whole default
  list as the region's rows (``materialise_forms`` / ``materialise_indicators``) and then
  applies the change, so the defaults become editable and nothing disappears: the readers
  (``region_forms``, ``region_indicators``) switch from the defaults to the rows at once.
* **All or nothing.** The targets table and the reference figures table are validated in
  full before anything is written; one bad cell means nothing is saved and every problem is
  reported, naming the indicator (or figure) and the year.
* The caller commits (or rolls back on a ``ConfigError`` / a non-empty problem list).

Everything here works through the tenant scope as the ministry (the owner of the rows).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from zoneinfo import available_timezones

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from mentorship.region.forms import CATEGORIES, DEFAULT_FORMS
from mentorship.region.models import MentorshipForm
from mentorship.monitoring.aggregation import request_rerun, unfreeze
from mentorship.monitoring.periods import calendar_problems, latest_reference_date, region_today
from mentorship.monitoring.facts import (
    DENOMINATOR_FACTS, NUMERATOR_FACTS, STANDARD_INDICATORS, indicator_codes_only,
)
from mentorship.monitoring.models import Indicator, MetricSnapshot, MonitoringPeriod, RegionFigure, Target
from mentorship.region.settings import settings_for
from mentorship.region.models import RegionSettings
from tenants import audit
from tenants.models import Organization

FIRST_YEAR, LAST_YEAR = 2020, 2030  # the table's columns (widened by any saved year outside)
MIN_YEAR, MAX_YEAR = 2000, 2100  # the models' check constraints
# A form's code becomes part of a snapshot code ("pairs_by_form:<code>", 40 characters at most).
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,25}$")
MAX_FIGURE = 2_000_000_000  # an INTEGER column

MESSAGES = {
    "code_format": _l("The code must be 2–26 characters: Latin lower-case letters, digits and «_», "
                      "starting with a letter."),
    "code_taken": _l("A form with this code already exists in the region's catalogue."),
    "name_required": _l("Give a name."),
    "name_taken": _l("A form with this name already exists in the region's catalogue."),
    "category": _l("Unknown participant category."),
    "unknown_form": _l("There is no such form in the region's catalogue."),
    "unknown_indicator": _l("There is no such indicator."),
    "numerator": _l("Choose the numerator from the listed facts."),
    "denominator": _l("Choose the denominator from the listed facts."),
    "standard_facts": _l("The facts of a standard indicator cannot be changed; add your own indicator instead."),
    "indicator_name_taken": _l("An indicator with this name already exists."),
    "frozen": _l("The period is frozen: unfreeze it first."),
    "not_frozen": _l("Only a frozen period can be unfrozen."),
    "reason_required": _l("Give the reason for unfreezing."),
    "period_missing": _l("There is no such monitoring period."),
}

TARGET_MESSAGES = {
    "number": _l("«%(indicator)s», %(year)s: «%(raw)s» is not a number."),
    "range": _l("«%(indicator)s», %(year)s: %(raw)s is outside 0–100 %%."),
    "decimals": _l("«%(indicator)s», %(year)s: at most two decimal places (%(raw)s)."),
}

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

# Russian IANA zones first in the calendar's list (tz database's zone1970.tab, country RU).
RUSSIAN_TIME_ZONES = (
    "Europe/Kaliningrad", "Europe/Moscow", "Europe/Kirov", "Europe/Volgograd", "Europe/Astrakhan",
    "Europe/Saratov", "Europe/Ulyanovsk", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
    "Asia/Novosibirsk", "Asia/Barnaul", "Asia/Tomsk", "Asia/Novokuznetsk", "Asia/Krasnoyarsk",
    "Asia/Irkutsk", "Asia/Chita", "Asia/Yakutsk", "Asia/Khandyga", "Asia/Vladivostok", "Asia/Ust-Nera",
    "Asia/Magadan", "Asia/Sakhalin", "Asia/Srednekolymsk", "Asia/Kamchatka", "Asia/Anadyr",
)

CALENDAR_FIELDS = (
    "reference_day_1", "reference_month_1", "reference_day_2", "reference_month_2",
    "school_report_day", "school_report_month", "municipal_report_day", "municipal_report_month", "time_zone",
)


class ConfigError(ValueError):
    """A configuration change that is not allowed; ``code`` → MESSAGES."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return str(MESSAGES.get(self.code, self.code))


def _changed(region: Organization, change: str, obj=None, **details) -> None:
    audit.record("region.settings_changed", org=region, obj=obj, details={"change": change, **details})


# -- the catalogue of mentorship forms ------------------------------------------------------

def form_rows(region: Organization) -> list[MentorshipForm]:
    """The region's saved catalogue, in order (empty: the defaults apply)."""
    return list(db.session.scalars(
        sa.select(MentorshipForm).where(MentorshipForm.org_path == region.path)
        .order_by(MentorshipForm.position, MentorshipForm.id)
    ))


@dataclass(frozen=True)
class FormRow:
    """One line of the catalogue page: a saved row (with ``id``) or a default (``id`` None)."""

    id: int | None
    code: str
    name: str
    mentor_category: str
    mentee_category: str
    mentee_special_needs: bool
    retired: bool


def catalogue(region: Organization) -> tuple[list[FormRow], bool]:
    """(the forms, retired included; whether they are still the defaults)."""
    rows = form_rows(region)
    if rows:
        return [FormRow(r.id, r.code, r.name, r.mentor_category, r.mentee_category, r.mentee_special_needs,
                        r.retired) for r in rows], False
    return [FormRow(None, f.code, f.name, f.mentor_category, f.mentee_category, f.mentee_special_needs,
                    f.retired) for f in DEFAULT_FORMS], True


def materialise_forms(region: Organization) -> list[MentorshipForm]:
    """The region's rows, writing the default catalogue as rows first if it has none."""
    rows = form_rows(region)
    if rows:
        return rows
    rows = [
        MentorshipForm(org_id=region.id, code=f.code, name=f.name, mentor_category=f.mentor_category,
                       mentee_category=f.mentee_category, mentee_special_needs=f.mentee_special_needs,
                       retired=f.retired, position=position)
        for position, f in enumerate(DEFAULT_FORMS)
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def _clean_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ConfigError("name_required")
    return name[:200]


def _check_name_free(rows: list[MentorshipForm], name: str, but: MentorshipForm | None = None) -> None:
    if any(r.name.casefold() == name.casefold() for r in rows if r is not but):
        raise ConfigError("name_taken")


def add_form(region: Organization, *, code: str, name: str, mentor_category: str, mentee_category: str,
             mentee_special_needs: bool = False) -> MentorshipForm:
    """Add a form to the region's catalogue (the defaults are written as rows first)."""
    code = (code or "").strip()
    if not CODE_PATTERN.match(code):
        raise ConfigError("code_format")
    name = _clean_name(name)
    if mentor_category not in CATEGORIES or mentee_category not in CATEGORIES:
        raise ConfigError("category")
    rows = materialise_forms(region)
    if any(r.code == code for r in rows):
        raise ConfigError("code_taken")
    _check_name_free(rows, name)
    row = MentorshipForm(org_id=region.id, code=code, name=name, mentor_category=mentor_category,
                         mentee_category=mentee_category, mentee_special_needs=bool(mentee_special_needs),
                         retired=False, position=max(r.position for r in rows) + 1)
    db.session.add(row)
    db.session.flush()
    _changed(region, "form_added", row, code=code, name=name)
    return row


def edit_form(region: Organization, code: str, *, name: str, retired: bool) -> MentorshipForm:
    """Rename a form or retire / bring it back, by code (a default is written as a row first).
    Pairs and programmes keep the code, so a retired form stays on them."""
    name = _clean_name(name)
    rows = materialise_forms(region)
    row = next((r for r in rows if r.code == code), None)
    if row is None:
        raise ConfigError("unknown_form")
    _check_name_free(rows, name, but=row)
    before = (row.name, row.retired)
    row.name, row.retired = name, bool(retired)
    if before != (row.name, row.retired):
        _changed(region, "form_edited", row, code=code, name=name, retired=row.retired)
    return row


# -- indicators ---------------------------------------------------------------------------

def indicator_rows(region: Organization) -> list[Indicator]:
    return list(db.session.scalars(
        sa.select(Indicator).where(Indicator.org_path == region.path).order_by(Indicator.position, Indicator.id)
    ))


@dataclass
class IndicatorRow:
    """One indicator of the page: a saved row (``id``) or a standard one not saved yet."""

    id: int | None
    code: str
    name: str
    kind: str
    numerator: str
    denominator: str
    retired: bool
    targets: dict[int, Decimal] = field(default_factory=dict)

    @property
    def numerator_label(self) -> str:
        fact = NUMERATOR_FACTS.get(self.numerator)
        return str(fact.label) if fact else self.numerator

    @property
    def denominator_label(self) -> str:
        fact = DENOMINATOR_FACTS.get(self.denominator)
        return str(fact.label) if fact else self.denominator


def indicator_list(region: Organization) -> tuple[list[IndicatorRow], bool]:
    """(every indicator with its targets, retired included; whether they are the standard
    defaults not saved yet). Two queries whatever the number of indicators and years."""
    rows = indicator_rows(region)
    if not rows:
        return [IndicatorRow(None, s.code, s.name, "standard", s.numerator, s.denominator, False)
                for s in STANDARD_INDICATORS], True
    targets: dict[int, dict[int, Decimal]] = {}
    for indicator_id, year, value in db.session.execute(
        sa.select(Target.indicator_id, Target.year, Target.value).join(Indicator, Indicator.id == Target.indicator_id)
        .where(Indicator.org_path == region.path)
    ):
        targets.setdefault(indicator_id, {})[year] = value
    return [IndicatorRow(r.id, r.code, r.name, r.kind, r.numerator_fact, r.denominator_fact, r.retired,
                         targets.get(r.id, {})) for r in rows], False


def materialise_indicators(region: Organization) -> list[Indicator]:
    """The region's indicator rows, writing the four standard ones first if it has none."""
    rows = indicator_rows(region)
    if rows:
        return rows
    rows = [
        Indicator(org_id=region.id, code=s.code, name=s.name, kind="standard", numerator_fact=s.numerator,
                  denominator_fact=s.denominator, unit="%", position=position, retired=False)
        for position, s in enumerate(STANDARD_INDICATORS)
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def _check_facts(numerator: str, denominator: str) -> None:
    if numerator not in NUMERATOR_FACTS:
        raise ConfigError("numerator")
    if denominator not in DENOMINATOR_FACTS:
        raise ConfigError("denominator")


def _check_indicator_name(rows: list[Indicator], name: str, but: Indicator | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ConfigError("name_required")
    if any(r.name.casefold() == name.casefold() for r in rows if r is not but):
        raise ConfigError("indicator_name_taken")
    return name[:300]


def add_indicator(region: Organization, *, name: str, numerator: str, denominator: str) -> Indicator:
    """A region-defined indicator: numerator fact / denominator fact, in %."""
    _check_facts(numerator, denominator)
    rows = materialise_indicators(region)
    name = _check_indicator_name(rows, name)
    codes = {r.code for r in rows}
    number = 1
    while f"custom_{number}" in codes:
        number += 1
    row = Indicator(org_id=region.id, code=f"custom_{number}", name=name, kind="custom", numerator_fact=numerator,
                    denominator_fact=denominator, unit="%", position=max(r.position for r in rows) + 1,
                    retired=False)
    db.session.add(row)
    db.session.flush()
    _changed(region, "indicator_added", row, code=row.code, numerator=numerator, denominator=denominator)
    return row


def edit_indicator(region: Organization, code: str, *, name: str, retired: bool,
                   numerator: str | None = None, denominator: str | None = None) -> Indicator:
    """Rename, retire / bring back an indicator; a custom one may also change its facts.
    Retired indicators are no longer aggregated; their targets and past snapshots stay."""
    rows = materialise_indicators(region)
    row = next((r for r in rows if r.code == code), None)
    if row is None:
        raise ConfigError("unknown_indicator")
    name = _check_indicator_name(rows, name, but=row)
    numerator = numerator or row.numerator_fact
    denominator = denominator or row.denominator_fact
    if row.kind == "standard" and (numerator, denominator) != (row.numerator_fact, row.denominator_fact):
        raise ConfigError("standard_facts")
    _check_facts(numerator, denominator)
    row.name, row.retired = name, bool(retired)
    row.numerator_fact, row.denominator_fact = numerator, denominator
    _changed(region, "indicator_edited", row, code=code, retired=row.retired)
    return row


# -- targets ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CellProblem:
    key: tuple  # (indicator code, year) or (year, figure column)
    message: str


def table_years(saved_years) -> list[int]:
    """The table's columns: 2020–2030, widened to any year that has a saved value."""
    years = set(range(FIRST_YEAR, LAST_YEAR + 1)) | {y for y in saved_years if MIN_YEAR <= y <= MAX_YEAR}
    return list(range(min(years), max(years) + 1))


def parse_target(raw: str | None) -> Decimal | None:
    """«55», «55,5» (decimal comma), «55.5» or «55 %» → Decimal; empty → None (no target).
    Raises ValueError("number" | "range" | "decimals")."""
    text = (raw or "").strip().replace("\u00a0", "").replace(" ", "")
    if text.endswith("%"):
        text = text[:-1]
    if not text:
        return None
    if not re.fullmatch(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)", text):
        raise ValueError("number")
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError("number") from None
    if value < 0 or value > 100:
        raise ValueError("range")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("decimals")
    return value.quantize(Decimal("0.01"))


def format_target(value: Decimal | None) -> str:
    """A target as the ministry types it: «55», «55,5» (Russian decimal comma); empty if None."""
    if value is None:
        return ""
    text = f"{Decimal(value):.2f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def targets_table(region: Organization) -> tuple[list[IndicatorRow], list[int]]:
    """The active indicators (rows of the table) and the years (columns)."""
    indicators, _defaults = indicator_list(region)
    active = [i for i in indicators if not i.retired]
    years = table_years(y for i in active for y in i.targets)
    return active, years


def save_targets(region: Organization, cells: dict[tuple[str, int], str]) -> list[CellProblem]:
    """Save the targets table: ``cells`` maps (indicator code, year) to the typed text; a
    cell left out is unchanged, an empty one removes the target. Every cell is checked
    first; with any problem nothing is written and the problems are returned."""
    indicators, _defaults = indicator_list(region)
    by_code = {i.code: i for i in indicators}
    parsed: dict[tuple[str, int], Decimal | None] = {}
    problems = []
    for (code, year), raw in cells.items():
        indicator = by_code.get(code)
        if indicator is None or not MIN_YEAR <= year <= MAX_YEAR:
            continue  # not a cell of the table
        try:
            parsed[(code, year)] = parse_target(raw)
        except ValueError as exc:
            problems.append(CellProblem((code, year), str(TARGET_MESSAGES[str(exc)] % {
                "indicator": indicator.name, "year": year, "raw": (raw or "").strip()})))
    if problems:
        return problems
    changes = {key: value for key, value in parsed.items() if by_code[key[0]].targets.get(key[1]) != value}
    if not changes:
        return []
    rows = {r.code: r for r in materialise_indicators(region)}
    existing = {(t.indicator_id, t.year): t for t in db.session.scalars(
        sa.select(Target).where(Target.indicator_id.in_([r.id for r in rows.values()])))}
    for (code, year), value in sorted(changes.items()):
        row = rows[code]
        target = existing.get((row.id, year))
        if value is None:
            if target is not None:
                db.session.delete(target)
        elif target is None:
            db.session.add(Target(org_id=region.id, indicator_id=row.id, year=year, value=value))
        else:
            target.value = value
    db.session.flush()
    _changed(region, "targets", cells_changed=len(changes))
    return []


# -- the region's reference figures ---------------------------------------------------------

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
        _changed(region, "region_figures", years_changed=changed)
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


# -- the monitoring calendar ----------------------------------------------------------------

def time_zone_choices() -> list[str]:
    """Every zone of the system's tz database, Russian ones first (west to east)."""
    available = available_timezones()
    russian = [z for z in RUSSIAN_TIME_ZONES if z in available]
    return russian + sorted(available - set(russian))


def calendar_values(region: Organization) -> dict:
    settings = settings_for(region)
    return {name: getattr(settings, name) for name in CALENDAR_FIELDS}


def save_calendar(region: Organization, values: dict) -> list[str]:
    """Validate the calendar (``calendar_problems``: 31 June, equal reference dates, an
    unknown zone…) and save it, audited; the messages of its problems if not (nothing saved)."""
    candidate = RegionSettings(**{name: values.get(name) for name in CALENDAR_FIELDS})
    problems = calendar_problems(candidate)
    if problems:
        return [p.message for p in problems]
    settings = settings_for(region)
    if settings.id is None:
        settings = RegionSettings(org_id=region.id, municipal_roadmaps_need_approval=False)
        db.session.add(settings)
    before = {name: getattr(settings, name) for name in CALENDAR_FIELDS}
    for name in CALENDAR_FIELDS:
        setattr(settings, name, values[name])
    after = {name: getattr(settings, name) for name in CALENDAR_FIELDS}
    if before != after:
        db.session.flush()
        audit.record("region.settings_changed", org=region, obj=settings,
                     details={"change": "calendar", "before": before, "after": after})
    return []


# -- periods ------------------------------------------------------------------------------

def due_reference_date(region: Organization, today: date | None = None) -> date:
    """The region's most recent reference date on or before ``today`` (the region's today)."""
    settings = settings_for(region)
    return latest_reference_date(settings, today or region_today(settings))


def period_on(region: Organization, reference_date: date) -> MonitoringPeriod | None:
    return db.session.scalar(sa.select(MonitoringPeriod).where(
        MonitoringPeriod.org_id == region.id, MonitoringPeriod.reference_date == reference_date))


def snapshot_counts(period_ids: list[int]) -> dict[int, int]:
    """Snapshots per period, in one query."""
    if not period_ids:
        return {}
    return dict(db.session.execute(
        sa.select(MetricSnapshot.period_id, sa.func.count()).where(MetricSnapshot.period_id.in_(period_ids))
        .group_by(MetricSnapshot.period_id)).all())


def region_snapshots(period: MonitoringPeriod) -> list[MetricSnapshot]:
    """The period's figures of the region itself (the ministry level), by indicator code."""
    return list(db.session.scalars(
        sa.select(MetricSnapshot).where(MetricSnapshot.period_id == period.id, MetricSnapshot.org_id == period.org_id,
                                        indicator_codes_only(MetricSnapshot.indicator_code))  # not pairs by form
        .order_by(MetricSnapshot.indicator_code)))


def counts_by_level(period: MonitoringPeriod) -> dict[str, int]:
    return dict(db.session.execute(
        sa.select(MetricSnapshot.org_kind, sa.func.count(sa.distinct(MetricSnapshot.org_id)))
        .where(MetricSnapshot.period_id == period.id).group_by(MetricSnapshot.org_kind)).all())


def run_now(region: Organization, user, today: date | None = None) -> MonitoringPeriod:
    """The period of the latest due reference date, created if missing and marked for a run
    (audited). The caller commits, then enqueues the aggregation after the commit.

    No savepoint (SQLite's driver would commit it on release): the new period rides in the
    caller's transaction; a concurrent twin (a double click, the daily tick) hits the unique
    key, and then the whole request starts over on the period that now exists."""
    reference_date = due_reference_date(region, today)
    period = period_on(region, reference_date)
    if period is None:
        period = MonitoringPeriod(org_id=region.id, reference_date=reference_date, status="pending")
        db.session.add(period)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            period = period_on(region, reference_date)
    return rerun(period, user)


def rerun(period: MonitoringPeriod, user) -> MonitoringPeriod:
    """Ask for a new aggregation of an unfrozen period (audited); ConfigError("frozen") if frozen."""
    try:
        return request_rerun(period, user)
    except ValueError as exc:
        raise ConfigError(getattr(exc, "code", "frozen")) from None


def unfreeze_period(period: MonitoringPeriod, reason: str, user) -> MonitoringPeriod:
    """Reopen a frozen period with a reason (audited by ``monitoring.unfreeze``)."""
    try:
        return unfreeze(period, reason, user)
    except ValueError as exc:
        raise ConfigError(getattr(exc, "code", "not_frozen")) from None


def period_progress(period: MonitoringPeriod) -> dict:
    """The JSON the period page polls."""
    return {"status": period.status, "done": period.done, "total": period.total}
