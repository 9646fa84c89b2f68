"""The monitoring's configuration (mentorship/monitoring/indicators.py, targets.py, figures.py,
periods.py): indicators written as rows on the first change, the targets table all-or-nothing
with the decimal comma and seed 001's table, the reference figures and their data-quality
warning, and the ministry's actions on periods. (The catalogue of forms and the calendar:
tests/unit/region/.)"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import DomainError
from core.extensions import db
from mentorship.monitoring import figures, indicators, periods, targets
from mentorship.monitoring.aggregation import aggregate_period, region_indicators
from mentorship.monitoring.models import Indicator, MonitoringPeriod, RegionFigure, Target
from tenants.context import tenant_scope
from tenants.models import AuditEvent, Organization
from tests.support.ministry import count_rows
from tests.support.monitoring import SchoolFacts, make_period

pytestmark = pytest.mark.backends("sqlite", "postgresql")

# Seed 001 (mentorship/roadmaps/seed_roadmaps/kirov-region-2020-2024.yaml, ``indicators:``), as printed.
SEED_001 = {
    "mentees_10_19": ["10", "30", "40", "55", "70"],
    "mentors_15_19": ["2", "4", "6", "8", "10"],
    "young_specialists": ["10", "30", "40", "55", "70"],
    "enterprises": ["2", "10", "20", "25", "30"],
}


def _seed_cells() -> dict[tuple[str, int], str]:
    return {(code, 2020 + i): v for code, values in SEED_001.items() for i, v in enumerate(values)}


# -- indicators -----------------------------------------------------------------------------

def test_a_custom_indicator_keeps_the_standard_ones(ministry):
    indicators.add_indicator(ministry, name="Доля педагогов-наставников", numerator="mentors", denominator="teachers")
    db.session.commit()
    codes = [spec.code for spec in region_indicators(ministry.path)]
    assert codes == ["mentees_10_19", "mentors_15_19", "young_specialists", "enterprises", "custom_1"]
    indicators.add_indicator(ministry, name="Пары на педагога", numerator="pairs", denominator="teachers")
    indicators.edit_indicator(ministry, "custom_1", name="Доля педагогов-наставников", retired=True)
    db.session.commit()
    assert [spec.code for spec in region_indicators(ministry.path)][-1] == "custom_2"
    assert "custom_1" not in {spec.code for spec in region_indicators(ministry.path)}
    assert count_rows(Indicator) == 6


@pytest.mark.parametrize("numerator,denominator,code", [
    ("pupils_10_19", "teachers", "numerator"), ("mentors", "mentors", "denominator"), ("", "teachers", "numerator"),
])
def test_an_indicator_takes_only_the_listed_facts(ministry, numerator, denominator, code):
    with pytest.raises(DomainError) as caught:
        indicators.add_indicator(ministry, name="Показатель", numerator=numerator, denominator=denominator)
    assert caught.value.code == code
    db.session.rollback()
    assert count_rows(Indicator) == 0


def test_a_standard_indicator_may_be_renamed_but_not_redefined(ministry):
    with pytest.raises(DomainError) as caught:
        indicators.edit_indicator(ministry, "enterprises", name="Доля предприятий", retired=False, numerator="mentors")
    assert caught.value.code == "standard_facts"
    db.session.rollback()
    indicators.edit_indicator(ministry, "enterprises", name="Доля предприятий-партнёров", retired=False)
    db.session.commit()
    assert region_indicators(ministry.path)[3].name == "Доля предприятий-партнёров"


# -- targets --------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,value", [
    ("55", Decimal("55")), ("55,5", Decimal("55.5")), ("55.5", Decimal("55.5")), (" 70 % ", Decimal("70")),
    ("0", Decimal("0")), ("100", Decimal("100")), ("12,25", Decimal("12.25")), ("", None), ("  ", None),
])
def test_target_values_accept_the_decimal_comma(raw, value):
    assert targets.parse_target(raw) == value


@pytest.mark.parametrize("raw,code", [
    ("100.01", "range"), ("100,01", "range"), ("-1", "range"), ("abc", "number"),
    ("1.234", "decimals"), ("55,5,5", "number"), ("1e2", "number"),
])
def test_bad_target_values_are_named(raw, code):
    with pytest.raises(ValueError) as caught:
        targets.parse_target(raw)
    assert str(caught.value) == code


def test_seed_001_table_round_trips(ministry):
    assert targets.save_targets(ministry, _seed_cells()) == []
    db.session.commit()
    assert count_rows(Indicator) == 4 and count_rows(Target) == 20  # standard ones materialised on first save
    rows, years = targets.targets_table(ministry)
    assert years == list(range(2020, 2031))
    for row in rows:
        assert [targets.format_target(row.targets.get(year)) for year in range(2020, 2025)] == SEED_001[row.code]
        assert row.targets.get(2025) is None
    # saving the same table again changes nothing (no audit either)
    events = count_rows(AuditEvent)
    assert targets.save_targets(ministry, _seed_cells()) == []
    db.session.commit()
    assert count_rows(AuditEvent) == events


def test_one_bad_cell_saves_nothing(ministry):
    cells = _seed_cells()
    cells[("mentors_15_19", 2023)] = "100,01"
    cells[("enterprises", 2021)] = "-1"
    cells[("mentees_10_19", 2024)] = "abc"
    problems = targets.save_targets(ministry, cells)
    assert {p.key for p in problems} == {("mentors_15_19", 2023), ("enterprises", 2021), ("mentees_10_19", 2024)}
    message = next(p.message for p in problems if p.key == ("mentors_15_19", 2023))
    assert "2023" in message and "от 15 до 19 лет" in message and "100,01" in message
    db.session.rollback()
    assert count_rows(Indicator) == 0 and count_rows(Target) == 0


def test_an_emptied_cell_removes_the_target_and_a_decimal_comma_is_kept(ministry):
    targets.save_targets(ministry, _seed_cells())
    db.session.commit()
    assert targets.save_targets(ministry, {("mentees_10_19", 2020): "", ("mentees_10_19", 2021): "30,5",
                                          ("enterprises", 2030): "33.33"}) == []
    db.session.commit()
    rows = {r.code: r for r in targets.targets_table(ministry)[0]}
    assert 2020 not in rows["mentees_10_19"].targets
    assert rows["mentees_10_19"].targets[2021] == Decimal("30.5")
    assert targets.format_target(rows["mentees_10_19"].targets[2021]) == "30,5"
    assert targets.format_target(rows["enterprises"].targets[2030]) == "33,33"
    assert rows["mentors_15_19"].targets[2020] == Decimal("2")  # untouched cells stay
    assert count_rows(Target) == 20


# -- reference figures ----------------------------------------------------------------------

def test_figures_are_whole_non_negative_numbers(ministry):
    problems = figures.save_figures(ministry, {
        (2026, "children_10_19"): "1 000", (2026, "children_15_19"): "2 000", (2025, "enterprises"): "-3",
        (2024, "young_specialists"): "12,5",
    })
    assert {p.key for p in problems} == {(2026, "children_15_19"), (2025, "enterprises"), (2024, "young_specialists")}
    db.session.rollback()
    assert count_rows(RegionFigure) == 0
    assert figures.save_figures(ministry, {
        (2026, "children_10_19"): "12 345", (2026, "children_15_19"): "5000", (2026, "enterprises"): "",
        (2027, "enterprises"): "40",
    }) == []
    db.session.commit()
    rows = figures.figure_rows(ministry)
    assert (rows[2026].children_10_19, rows[2026].children_15_19, rows[2026].enterprises) == (12345, 5000, None)
    # 15–19 is checked against the saved 10–19 too; emptying a whole year removes it
    assert figures.save_figures(ministry, {(2026, "children_15_19"): "20000"})[0].key == (2026, "children_15_19")
    db.session.rollback()
    assert figures.save_figures(ministry, {(2027, "enterprises"): " "}) == []
    db.session.commit()
    assert set(figures.figure_rows(ministry)) == {2026}


def test_a_figure_below_the_counted_number_is_a_warning(ctx, tree):
    with SchoolFacts(tree, "r1m1s1") as s:
        s.contingent(2026, pupils_10_19=100)
        s.pair(s.teacher(), [s.pupil(date(2012, 3, 1)) for _ in range(3)])
    with tenant_scope(tree.ids["r1"], tree.paths["r1"]):
        region = db.session.get(Organization, tree.ids["r1"])
        assert figures.figure_warnings(region) == []  # no frozen period yet
        figures.save_figures(region, {(2026, "children_10_19"): "50"})
        db.session.commit()
    period_id = make_period(tree.ids["r1"], date(2026, 12, 20))
    assert aggregate_period(period_id)
    with tenant_scope(tree.ids["r1"], tree.paths["r1"]):
        region = db.session.get(Organization, tree.ids["r1"])
        assert figures.figure_warnings(region) == []  # 3 of 50
        figures.save_figures(region, {(2026, "children_10_19"): "2"})
        db.session.commit()
        warnings = figures.figure_warnings(region)
        assert [(w.year, w.value, w.numerator) for w in warnings] == [(2026, 2, 3)]
        assert "20.12.2026" in warnings[0].message and "от 10 до 19 лет" in warnings[0].message
        # a warning, not a refusal: the figure is saved as typed
        assert figures.figure_rows(region)[2026].children_10_19 == 2
    db.session.remove()


# -- periods --------------------------------------------------------------------------------

def test_run_now_creates_the_due_period_once(ministry, tree):
    user = None
    period = periods.run_now(ministry, user, today=date(2027, 1, 5))
    db.session.commit()
    assert period.reference_date == date(2026, 12, 20) and period.status == "pending"
    again = periods.run_now(ministry, user, today=date(2027, 1, 6))
    db.session.commit()
    assert again.id == period.id and count_rows(MonitoringPeriod) == 1
    assert count_rows(AuditEvent, action="monitoring.rerun") == 2


def test_a_frozen_period_needs_a_reason_to_unfreeze_before_a_rerun(ctx, tree):
    period_id = make_period(tree.ids["r1"], date(2026, 12, 20))
    assert aggregate_period(period_id)
    with tenant_scope(tree.ids["r1"], tree.paths["r1"]):
        period = db.session.get(MonitoringPeriod, period_id)
        with pytest.raises(DomainError) as caught:
            periods.rerun(period, None)
        assert caught.value.code == "frozen"
        with pytest.raises(DomainError) as caught:
            periods.unfreeze_period(period, "  ", None)
        assert caught.value.code == "reason_required"
        db.session.rollback()
        periods.unfreeze_period(period, "Школа исправила данные", None)
        db.session.commit()
        assert periods.period_progress(period)["status"] == "pending"
        with pytest.raises(DomainError) as caught:
            periods.unfreeze_period(period, "ещё раз", None)
        assert caught.value.code == "not_frozen"
        db.session.rollback()
        periods.rerun(period, None)
        db.session.commit()
    assert count_rows(AuditEvent, action="monitoring.unfrozen") == 1
    db.session.remove()
