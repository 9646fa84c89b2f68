"""Monitoring dashboards over real snapshots of a small known region: figures against the
targets, sums not means, the region's reference figures, > 100 % warnings, the trend over two
periods, the periods' status, report counts, what each level can see, the region reference
read across the scope, the XLSX export, and the new SVG charts."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from core.extensions import db
from mentorship.monitoring.aggregation import aggregate_period
from mentorship.monitoring.facts import STANDARD_INDICATORS
from mentorship.monitoring.models import Indicator, MetricSnapshot, RegionFigure, Target
from mentorship.monitoring.readings import PeriodInfo
from mentorship.region.models import MentorshipForm
from mentorship.reports.dashboard_export import to_xlsx
from mentorship.reports.dashboards import build_dashboard, choose_period, region_reference
from mentorship.reports.models import Report
from tenants.context import current_scope, tenant_scope, unscoped
from tenants.models import Organization
from tests.support.monitoring import SchoolFacts, make_period

pytestmark = pytest.mark.backends("sqlite", "postgresql")

JUNE, DECEMBER, NEXT = date(2026, 6, 20), date(2026, 12, 20), date(2027, 6, 20)
CODE = "mentees_10_19"


def build_region(tree) -> SimpleNamespace:
    """Region r1 with two frozen periods (June and December 2026) and a pending one.

    mentees aged 10–19 / pupils aged 10–19, December: r1m1s1 1/2 (50 %), r1m1s2 1/8 (12.5 %),
    so r1m1 2/10 = 20 % (the mean of the schools would be 31.25 %); r1m2s1 2/1 = 200 % (a
    data-quality problem); the region 4 / 100 (its own reference figure), 4 %; Σ of the bodies
    4/11. June: r1m1s1 1/2, r1m1s2 0/8, r1m1 1/10, the region 1/100. Target 2026: 30 %."""
    with SchoolFacts(tree, "r1m1s1") as s:
        s.contingent(2025, pupils_10_19=2)
        s.contingent(2026, pupils_10_19=2)
        s.pair(s.teacher(), [s.pupil(date(2014, 3, 1))], started=date(2026, 1, 15))
    with SchoolFacts(tree, "r1m1s2") as s:
        s.contingent(2025, pupils_10_19=8)
        s.contingent(2026, pupils_10_19=8)
    with SchoolFacts(tree, "r1m2s1") as s:
        s.contingent(2026, pupils_10_19=1)
        s.pair(s.teacher(), [s.pupil(date(2012, 5, 1)), s.pupil(date(2012, 6, 1))])
    with unscoped("tests.dashboards"):
        for i, spec in enumerate(STANDARD_INDICATORS):
            indicator = Indicator(org_id=tree.ids["r1"], code=spec.code, name=spec.name, kind="standard",
                                  numerator_fact=spec.numerator, denominator_fact=spec.denominator, position=i)
            if spec.code == CODE:
                indicator.targets = [Target(org_id=tree.ids["r1"], year=2026, value=Decimal("30.00")),
                                     Target(org_id=tree.ids["r1"], year=2027, value=Decimal("35.00"))]
            db.session.add(indicator)
        db.session.add(RegionFigure(org_id=tree.ids["r1"], year=2026, children_10_19=100))
        db.session.commit()
        db.session.remove()
    june = make_period(tree.ids["r1"], JUNE)
    assert aggregate_period(june)
    with SchoolFacts(tree, "r1m1s2") as s:  # joins after June
        s.pair(s.teacher(), [s.pupil(date(2013, 3, 1))], started=date(2026, 9, 15))
    december = make_period(tree.ids["r1"], DECEMBER)
    assert aggregate_period(december)
    pending = make_period(tree.ids["r1"], NEXT)
    with unscoped("tests.dashboards"):
        db.session.add_all([
            Report(org_id=tree.ids["r1m1s1"], period_id=december, kind="school", status="submitted",
                   due_on=date(2027, 1, 10)),
            Report(org_id=tree.ids["r1m1s2"], period_id=december, kind="school", status="draft",
                   due_on=date(2027, 1, 10)),
            Report(org_id=tree.ids["r1m2s1"], period_id=december, kind="school", status="accepted",
                   due_on=date(2027, 1, 10)),
            Report(org_id=tree.ids["r1m1"], period_id=december, kind="municipal", status="draft",
                   due_on=date(2027, 1, 20)),
        ])
        db.session.commit()
        db.session.remove()
    return SimpleNamespace(june=june, december=december, pending=pending)


def board_for(tree, viewer: str, org: str | None = None, period: int | None = None):
    """The dashboard of ``org`` (default: the viewer's own) as the viewer's organisation."""
    with tenant_scope(tree.ids[viewer], tree.paths[viewer]):
        target = db.session.get(Organization, tree.ids[org or viewer])
        assert target is not None
        board = build_dashboard(target, period)
        db.session.remove()
    return board


def line(board, code=CODE):
    return next(item for item in board.indicators if item.code == code)


def test_ministry_figures_targets_sums_and_reference_figure(ctx, tree):
    ids = build_region(tree)
    board = board_for(tree, "r1")
    assert board.period.id == ids.december and board.period.final  # the latest frozen, not the pending one
    assert [p.reference_date for p in board.periods] == [NEXT, DECEMBER, JUNE]
    assert [p.reference_date for p in board.unfinished] == [NEXT]
    region = line(board)
    assert (region.figure.numerator, region.figure.denominator, region.figure.value) == (4, 100, 4.0)
    assert region.target == 30.0 and region.status == "below" and region.region is None
    assert line(board, "mentors_15_19").target is None and line(board, "mentors_15_19").status in ("no_target",
                                                                                                   "no_data")
    by_name = {c.name: c for c in board.children}
    assert list(by_name) == ["Управление 1.1", "Управление 1.2"]
    body = by_name["Управление 1.1"].figures[CODE]
    assert (body.numerator, body.denominator, body.value) == (2, 10, 20.0)  # not (50 + 12.5) / 2
    total = board.children_total[CODE]
    assert (total.numerator, total.denominator) == (4, 11) and total.value == 36.36
    assert [(code, n) for code, _label, n in board.counts][0] == ("mentees_10_19", 4)


def test_a_share_over_100_is_a_warning_not_capped(ctx, tree):
    build_region(tree)
    board = board_for(tree, "r1")
    flagged = [(c.name, code) for c, code in board.children_over_100()]
    assert flagged == [("Управление 1.2", CODE)]
    assert board.children[1].figures[CODE].value == 200.0
    school = board_for(tree, "r1m2s1")
    assert line(school).figure.value == 200.0 and line(school).figure.over_100
    assert [w.code for w in school.warnings] == [CODE]


def test_trend_over_two_periods_with_targets_and_the_region_beside(ctx, tree):
    ids = build_region(tree)
    ministry = board_for(tree, "r1")
    assert [p.id for p in ministry.trend_periods] == [ids.june, ids.december]  # frozen only, oldest first
    assert [f.value for f in ministry.trend[CODE]] == [1.0, 4.0]
    assert ministry.trend_targets[CODE] == [30.0, 30.0]
    assert ministry.region_trend == {}
    body = board_for(tree, "r1m1")
    assert [f.value for f in body.trend[CODE]] == [10.0, 20.0]
    assert [f.value for f in body.region_trend[CODE]] == [1.0, 4.0]
    assert line(body).region.value == 4.0


def test_an_older_period_and_a_pending_one_can_be_chosen(ctx, tree):
    ids = build_region(tree)
    june = board_for(tree, "r1m1", period=ids.june)
    assert june.period.id == ids.june and line(june).figure.value == 10.0
    assert {c.name: c.figures[CODE].value for c in june.children} == {"Школа 1.1.1": 50.0, "Школа 1.1.2": 0.0}
    pending = board_for(tree, "r1", period=ids.pending)
    assert not pending.period.final and not pending.has_figures and pending.reports == {}
    assert board_for(tree, "r1", period=10**6).period.id == ids.december  # unknown id: the default


def test_choose_period_prefers_the_latest_frozen():
    periods = [PeriodInfo(3, NEXT, "running", 1, done=1, total=4), PeriodInfo(2, DECEMBER, "frozen", 1),
               PeriodInfo(1, JUNE, "frozen", 1)]
    assert choose_period(periods, None).id == 2
    assert choose_period(periods, 3).id == 3
    assert choose_period([PeriodInfo(3, NEXT, "pending", 1)], None).id == 3
    assert choose_period([], 5) is None


def test_municipal_body_sees_its_schools_only_and_report_counts(ctx, tree):
    build_region(tree)
    body = board_for(tree, "r1m1")
    assert [c.name for c in body.children] == ["Школа 1.1.1", "Школа 1.1.2"]
    assert {c.name: (c.figures[CODE].numerator, c.figures[CODE].denominator) for c in body.children} == {
        "Школа 1.1.1": (1, 2), "Школа 1.1.2": (1, 8)}
    assert body.children_total[CODE].value == line(body).figure.value == 20.0
    assert body.reports == {"school": {"submitted": 1, "draft": 1}, "municipal": {"draft": 1}}
    assert body.expected_reports == {"school": 2, "municipal": 1}
    ministry = board_for(tree, "r1")
    assert ministry.reports["school"] == {"submitted": 1, "draft": 1, "accepted": 1}
    assert ministry.expected_reports == {"school": 4, "municipal": 2}
    drilled = board_for(tree, "r1", org="r1m1")  # the ministry's drill-down is the body's view
    assert [c.name for c in drilled.children] == [c.name for c in body.children]
    assert drilled.reports == body.reports


def test_a_school_sees_its_own_figures_the_targets_and_the_region(ctx, tree):
    build_region(tree)
    school = board_for(tree, "r1m1s1")
    assert school.children == [] and school.org_kind == "school"
    mine = line(school)
    assert (mine.figure.numerator, mine.figure.denominator, mine.target, mine.status) == (1, 2, 30.0, "met")
    assert mine.region.value == 4.0
    assert school.reports == {"school": {"submitted": 1}} and school.expected_reports == {"school": 1}
    with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        # the scope itself still hides the other schools' and the levels above's snapshots
        visible = set(db.session.scalars(sa.select(MetricSnapshot.org_id).distinct()))
        assert visible == {tree.ids["r1m1s1"]}
        assert db.session.get(Organization, tree.ids["r1m1s2"]) is None
        db.session.remove()


def test_the_region_reference_reads_only_the_regions_own_rows_and_restores_the_scope(ctx, tree):
    ids = build_region(tree)
    make_period(tree.ids["r2"], DECEMBER)  # another region's period: never read
    with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]) as scope:
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        reference = region_reference(school)
        assert current_scope() is scope
        assert [p.id for p in reference.periods] == [ids.pending, ids.december, ids.june]
        assert set(reference.figures) == {(pid, spec.code) for pid in (ids.june, ids.december)
                                          for spec in STANDARD_INDICATORS}
        assert reference.figures[(ids.december, CODE)].value == 4.0
        assert not any(isinstance(o, MetricSnapshot) for o in db.session.identity_map.values())
        db.session.remove()


def test_pairs_by_form_at_each_level_with_the_catalogues_names(ctx, tree):
    ids = build_region(tree)
    with unscoped("tests.dashboards"):  # the ministry renamed a form and retired another
        db.session.add_all([
            MentorshipForm(org_id=tree.ids["r1"], code="teacher_pupil", name="Учитель и ученик", position=1,
                           mentor_category="teacher", mentee_category="pupil"),
            MentorshipForm(org_id=tree.ids["r1"], code="pupil_pupil", name="ученик – ученик", position=2,
                           mentor_category="pupil", mentee_category="pupil"),
            MentorshipForm(org_id=tree.ids["r1"], code="student_pupil", name="студент – ученик", position=3,
                           mentor_category="student", mentee_category="pupil", retired=True),
        ])
        db.session.commit()
        db.session.remove()
    ministry = board_for(tree, "r1")
    # December: r1m1s1's pair, r1m1s2's (since September), r1m2s1's group (counted once)
    assert [(f.code, f.name, f.count) for f in ministry.forms] == [
        ("teacher_pupil", "Учитель и ученик", 3), ("pupil_pupil", "ученик – ученик", 0)]  # retired, 0: hidden
    assert ministry.forms_total == 3
    assert not any(code.startswith("pairs_by_form:") for code in (i.code for i in ministry.indicators))
    assert {f.code: f.count for f in board_for(tree, "r1m1").forms}["teacher_pupil"] == 2
    assert {f.code: f.count for f in board_for(tree, "r1m1", period=ids.june).forms}["teacher_pupil"] == 1
    assert {f.code: f.count for f in board_for(tree, "r1m2s1").forms}["teacher_pupil"] == 1
    assert board_for(tree, "r1", period=ids.pending).forms == []  # not counted yet: no table of zeros


def test_a_region_with_no_period_yet(ctx, tree):
    board = board_for(tree, "r2m1")
    assert board.period is None and board.periods == [] and not board.has_figures
    assert [c.name for c in board.children] == ["Школа 2.1.1", "Школа 2.1.2"]
    assert [item.code for item in board.indicators] == [s.code for s in STANDARD_INDICATORS]
    assert all(item.target is None for item in board.indicators)


def test_the_xlsx_export_holds_the_tables(ctx, tree):
    from openpyxl import load_workbook

    build_region(tree)
    board = board_for(tree, "r1m1")
    with ctx.test_request_context(), force_locale("en"):
        data = to_xlsx(board, kind_labels={"school": "School reports", "municipal": "Municipal reports"},
                       status_labels={"draft": "Draft", "submitted": "Submitted", "returned": "Returned",
                                      "accepted": "Accepted"})
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Indicators", "Schools", "Trend", "Pairs by form", "Reports"]
    sheet = book["Indicators"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=5)]
    first = next(r for r in rows if r[0] and r[0].startswith("Доля детей в возрасте от 10"))
    assert first[1:6] == [2, 10, 20, 30, 4]
    assert len(sheet._charts) == 1
    schools = [[c.value for c in r] for r in book["Schools"].iter_rows(min_row=6)]
    assert schools[0][:4] == ["Школа 1.1.1", 1, 2, 50] and schools[1][:4] == ["Школа 1.1.2", 1, 8, 12.5]
    trend = [[c.value for c in r] for r in book["Trend"].iter_rows(min_row=5)]
    assert [r[0].date() for r in trend] == [JUNE, DECEMBER] and [r[1:3] for r in trend] == [[10, 30], [20, 30]]
    forms = {r[1].value: r[2].value for r in book["Pairs by form"].iter_rows(min_row=5) if r[1].value}
    assert forms["teacher_pupil"] == 2 and forms["pupil_pupil"] == 0 and len(book["Pairs by form"]._charts) == 1
    reports = {r[0].value: [c.value for c in r[1:]] for r in book["Reports"].iter_rows(min_row=5)}
    assert reports["School reports"] == [1, 1, 0, 0, 0, 2] and reports["Municipal reports"] == [1, 0, 0, 0, 0, 1]


def test_names_that_look_like_formulas_stay_text(ctx, tree):
    from openpyxl import load_workbook

    with unscoped("tests.dashboards"):
        org = db.session.get(Organization, tree.ids["r1m1s1"])
        org.short_name = "=HYPERLINK(\"http://x\")"
        db.session.commit()
        db.session.remove()
    build_region(tree)
    board = board_for(tree, "r1m1")
    with ctx.test_request_context(), force_locale("en"):
        data = to_xlsx(board, kind_labels={}, status_labels={})
    cell = load_workbook(io.BytesIO(data))["Schools"]["A6"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix


# The charts (target_chart, line_chart) are tested in tests/unit/core/test_svg_charts.py.
