"""The ministry's region configuration (mentorship/monitoring/config.py): the forms catalogue
and indicators written as rows on the first change, the targets table all-or-nothing with the
decimal comma and seed 001's table, the reference figures and their data-quality warning,
the calendar, and the ministry's actions on periods."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.errors import DomainError
from core.extensions import db
from mentorship.monitoring import figures, indicators, periods, targets
from mentorship.monitoring.aggregation import aggregate_period, region_indicators
from mentorship.monitoring.models import Indicator, MonitoringPeriod, RegionFigure, Target
from mentorship.region import calendar as region_calendar
from mentorship.region import forms as catalogue
from mentorship.region.forms import DEFAULT_FORMS, form_by_code, region_forms
from mentorship.region.models import MentorshipForm, RegionSettings
from mentorship.region.settings import settings_for
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent, Organization
from tests.support.monitoring import SchoolFacts, make_period

pytestmark = pytest.mark.backends("sqlite", "postgresql")

# Seed 001 (mentorship/roadmaps/seed_roadmaps/kirov-region-2020-2024.yaml, ``indicators:``), as printed.
SEED_001 = {
    "mentees_10_19": ["10", "30", "40", "55", "70"],
    "mentors_15_19": ["2", "4", "6", "8", "10"],
    "young_specialists": ["10", "30", "40", "55", "70"],
    "enterprises": ["2", "10", "20", "25", "30"],
}


@pytest.fixture
def ministry(ctx, tree):
    """Acting as the ministry of region r1: yields its Organization."""
    with tenant_scope(tree.ids["r1"], tree.paths["r1"]):
        yield db.session.get(Organization, tree.ids["r1"])
    db.session.remove()


def _count(model, **where) -> int:
    with unscoped("tests.count"):
        stmt = sa.select(sa.func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return db.session.scalar(stmt)


def _seed_cells() -> dict[tuple[str, int], str]:
    return {(code, 2020 + i): v for code, values in SEED_001.items() for i, v in enumerate(values)}


# -- forms ----------------------------------------------------------------------------------

def test_the_first_change_writes_the_default_catalogue_as_rows(ministry):
    forms, defaults = catalogue.catalogue(ministry)
    assert defaults and [f.code for f in forms] == [f.code for f in DEFAULT_FORMS] and forms[0].id is None
    catalogue.add_form(ministry, code="parent_pupil", name="родитель – ученик", mentor_category="employer",
                    mentee_category="pupil")
    db.session.commit()
    forms, defaults = catalogue.catalogue(ministry)
    assert not defaults and all(f.id for f in forms)
    assert [f.code for f in forms] == [f.code for f in DEFAULT_FORMS] + ["parent_pupil"]
    assert [f.code for f in region_forms(ministry.path)][-1] == "parent_pupil"
    assert _count(MentorshipForm) == len(DEFAULT_FORMS) + 1


def test_a_renamed_and_retired_default_stays_on_old_pairs(ministry, tree):
    catalogue.edit_form(ministry, "student_pupil", name="студент вуза – школьник", retired=True)
    db.session.commit()
    assert _count(MentorshipForm) == len(DEFAULT_FORMS)  # materialised, one changed
    school_path = tree.paths["r1m1s1"]
    assert "student_pupil" not in {f.code for f in region_forms(school_path)}
    kept = form_by_code(school_path, "student_pupil")
    assert kept.retired and kept.name == "студент вуза – школьник"
    catalogue.edit_form(ministry, "student_pupil", name="студент – ученик", retired=False)
    db.session.commit()
    assert "student_pupil" in {f.code for f in region_forms(school_path)}
    # the other region still has the defaults
    assert form_by_code(tree.paths["r2"], "student_pupil").name == "студент – ученик"


@pytest.mark.parametrize("kwargs,code", [
    ({"code": "teacher_pupil"}, "code_taken"),
    ({"code": "Bad code"}, "code_format"),
    ({"code": "x"}, "code_format"),
    ({"code": "a" * 27}, "code_format"),  # "pairs_by_form:" + code must fit the snapshot code
    ({"name": "  Ученик – ученик "}, "name_taken"),
    ({"name": "   "}, "name_required"),
    ({"mentor_category": "parent"}, "category"),
])
def test_a_bad_new_form_is_refused(ministry, kwargs, code):
    values = {"code": "new_form", "name": "Новая форма", "mentor_category": "teacher", "mentee_category": "pupil",
              **kwargs}
    with pytest.raises(DomainError) as caught:
        catalogue.add_form(ministry, **values)
    assert caught.value.code == code
    db.session.rollback()
    assert _count(MentorshipForm) == 0


def test_renaming_to_another_forms_name_is_refused(ministry):
    with pytest.raises(DomainError) as caught:
        catalogue.edit_form(ministry, "teacher_pupil", name="учитель – учитель", retired=False)
    assert caught.value.code == "name_taken"
    with pytest.raises(DomainError) as caught:
        catalogue.edit_form(ministry, "no_such_form", name="Что-то", retired=False)
    assert caught.value.code == "unknown_form"


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
    assert _count(Indicator) == 6


@pytest.mark.parametrize("numerator,denominator,code", [
    ("pupils_10_19", "teachers", "numerator"), ("mentors", "mentors", "denominator"), ("", "teachers", "numerator"),
])
def test_an_indicator_takes_only_the_listed_facts(ministry, numerator, denominator, code):
    with pytest.raises(DomainError) as caught:
        indicators.add_indicator(ministry, name="Показатель", numerator=numerator, denominator=denominator)
    assert caught.value.code == code
    db.session.rollback()
    assert _count(Indicator) == 0


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
    assert _count(Indicator) == 4 and _count(Target) == 20  # standard ones materialised on first save
    rows, years = targets.targets_table(ministry)
    assert years == list(range(2020, 2031))
    for row in rows:
        assert [targets.format_target(row.targets.get(year)) for year in range(2020, 2025)] == SEED_001[row.code]
        assert row.targets.get(2025) is None
    # saving the same table again changes nothing (no audit either)
    events = _count(AuditEvent)
    assert targets.save_targets(ministry, _seed_cells()) == []
    db.session.commit()
    assert _count(AuditEvent) == events


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
    assert _count(Indicator) == 0 and _count(Target) == 0


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
    assert _count(Target) == 20


# -- reference figures ----------------------------------------------------------------------

def test_figures_are_whole_non_negative_numbers(ministry):
    problems = figures.save_figures(ministry, {
        (2026, "children_10_19"): "1 000", (2026, "children_15_19"): "2 000", (2025, "enterprises"): "-3",
        (2024, "young_specialists"): "12,5",
    })
    assert {p.key for p in problems} == {(2026, "children_15_19"), (2025, "enterprises"), (2024, "young_specialists")}
    db.session.rollback()
    assert _count(RegionFigure) == 0
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


# -- calendar -------------------------------------------------------------------------------

def _calendar(**changes):
    values = {"reference_day_1": 20, "reference_month_1": 6, "reference_day_2": 20, "reference_month_2": 12,
              "school_report_day": 20, "school_report_month": 11, "municipal_report_day": 30,
              "municipal_report_month": 11, "time_zone": "Europe/Kirov"}
    return {**values, **changes}


@pytest.mark.parametrize("changes,fragment", [
    ({"reference_day_1": 31}, "31"),
    ({"municipal_report_day": 31}, "31"),
    ({"reference_day_2": 29, "reference_month_2": 2}, "29"),
    ({"reference_day_2": 20, "reference_month_2": 6}, None),
    ({"time_zone": "Mars/Olympus"}, "Mars/Olympus"),
])
def test_an_impossible_calendar_saves_nothing(ministry, changes, fragment):
    problems = region_calendar.save_calendar(ministry, _calendar(**changes))
    assert len(problems) == 1
    if fragment:
        assert fragment in problems[0]
    db.session.rollback()
    assert _count(RegionSettings) == 0 and _count(AuditEvent, action="region.settings_changed") == 0


def test_the_calendar_is_saved_and_audited(ministry):
    assert region_calendar.save_calendar(ministry, _calendar(reference_day_1=25, reference_month_1=5)) == []
    db.session.commit()
    saved = settings_for(ministry)
    assert (saved.reference_month_1, saved.reference_day_1, saved.time_zone) == (5, 25, "Europe/Kirov")
    assert _count(AuditEvent, action="region.settings_changed") == 1
    assert periods.due_reference_date(ministry, date(2027, 6, 1)) == date(2027, 5, 25)
    assert periods.due_reference_date(ministry, date(2027, 5, 24)) == date(2026, 12, 20)


def test_russian_time_zones_come_first():
    zones = region_calendar.time_zone_choices()
    assert zones[:2] == ["Europe/Kaliningrad", "Europe/Moscow"]
    assert zones.index("Asia/Anadyr") < zones.index("Africa/Abidjan")
    assert len(zones) == len(set(zones)) > 300


# -- periods --------------------------------------------------------------------------------

def test_run_now_creates_the_due_period_once(ministry, tree):
    user = None
    period = periods.run_now(ministry, user, today=date(2027, 1, 5))
    db.session.commit()
    assert period.reference_date == date(2026, 12, 20) and period.status == "pending"
    again = periods.run_now(ministry, user, today=date(2027, 1, 6))
    db.session.commit()
    assert again.id == period.id and _count(MonitoringPeriod) == 1
    assert _count(AuditEvent, action="monitoring.rerun") == 2


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
    assert _count(AuditEvent, action="monitoring.unfrozen") == 1
    db.session.remove()
