"""The targets table (целевые значения): indicators × years, typed as the ministry types them
(«55», «55,5», «55 %»). All or nothing: every cell is checked before anything is written; one
bad cell means nothing is saved and every problem is reported, naming the indicator and the
year. The caller commits."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.extensions import db
from mentorship.monitoring.indicators import IndicatorRow, indicator_list, materialise_indicators
from mentorship.monitoring.models import Target
from mentorship.region.settings import record_change
from tenants.models import Organization

FIRST_YEAR, LAST_YEAR = 2020, 2030  # the table's columns (widened by any saved year outside)
MIN_YEAR, MAX_YEAR = 2000, 2100  # the models' check constraints

TARGET_MESSAGES = {
    "number": _l("«%(indicator)s», %(year)s: «%(raw)s» is not a number."),
    "range": _l("«%(indicator)s», %(year)s: %(raw)s is outside 0–100 %%."),
    "decimals": _l("«%(indicator)s», %(year)s: at most two decimal places (%(raw)s)."),
}


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
    record_change(region, "targets", cells_changed=len(changes))
    return []
