"""The region's indicators (показатели эффективности): the four standard ones of seed 001
until the ministry changes one, then its own rows — renamed, retired, or added as a
numerator fact over a denominator fact (mentorship/monitoring/facts.py). The first change
writes the standard list as rows (``materialise_indicators``). The caller commits."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import DomainError
from core.extensions import db
from mentorship.monitoring.facts import DENOMINATOR_FACTS, NUMERATOR_FACTS, STANDARD_INDICATORS
from mentorship.monitoring.models import Indicator, Target
from mentorship.region.settings import record_change
from tenants.models import Organization


class IndicatorError(DomainError):
    """A change of the indicators that is not allowed."""

    MESSAGES = {
        "name_required": _l("Give a name."),
        "unknown_indicator": _l("There is no such indicator."),
        "numerator": _l("Choose the numerator from the listed facts."),
        "denominator": _l("Choose the denominator from the listed facts."),
        "standard_facts": _l("The facts of a standard indicator cannot be changed; add your own indicator "
                             "instead."),
        "indicator_name_taken": _l("An indicator with this name already exists."),
    }


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
        raise IndicatorError("numerator", "numerator")
    if denominator not in DENOMINATOR_FACTS:
        raise IndicatorError("denominator", "denominator")


def _check_indicator_name(rows: list[Indicator], name: str, but: Indicator | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise IndicatorError("name_required", "name")
    if any(r.name.casefold() == name.casefold() for r in rows if r is not but):
        raise IndicatorError("indicator_name_taken", "name")
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
    record_change(region, "indicator_added", row, code=row.code, numerator=numerator, denominator=denominator)
    return row


def edit_indicator(region: Organization, code: str, *, name: str, retired: bool,
                   numerator: str | None = None, denominator: str | None = None) -> Indicator:
    """Rename, retire / bring back an indicator; a custom one may also change its facts.
    Retired indicators are no longer aggregated; their targets and past snapshots stay."""
    rows = materialise_indicators(region)
    row = next((r for r in rows if r.code == code), None)
    if row is None:
        raise IndicatorError("unknown_indicator")
    name = _check_indicator_name(rows, name, but=row)
    numerator = numerator or row.numerator_fact
    denominator = denominator or row.denominator_fact
    if row.kind == "standard" and (numerator, denominator) != (row.numerator_fact, row.denominator_fact):
        raise IndicatorError("standard_facts", "numerator")
    _check_facts(numerator, denominator)
    row.name, row.retired = name, bool(retired)
    row.numerator_fact, row.denominator_fact = numerator, denominator
    record_change(region, "indicator_edited", row, code=code, retired=row.retired)
    return row
