"""Survey results (mentorship/survey_results.py): distributions, means, the satisfaction index,
the minimum group size (at every level, in breakdowns, with complementary suppression), the
tenant subtree, trends across campaigns and versions, the monitoring facts and the analytical
report's satisfaction section."""
from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.analytical_report import PeriodInfo, ReportData, SatisfactionRow, satisfaction_results
from mentorship.monitoring import aggregate_period, snapshot_rows
from mentorship.monitoring_models import Indicator
from mentorship.survey_models import SurveyCampaign, SurveyTemplate
from mentorship.survey_results import (
    COMPLEMENTARY, SMALL, ResultsNotFound, campaign_results, satisfaction_index, suppress, trends,
)
from tenants.context import tenant_scope, unscoped
from tests.support.monitoring import make_period
from tests.support.surveys import add_response, make_campaign, make_template, survey_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _as(tree, key):
    return tenant_scope(tree.ids[key], tree.paths[key])


def _results(tree, key, campaign_id):
    with _as(tree, key):
        results = campaign_results(campaign_id)
        db.session.remove()
    return results


def _municipal(key: str) -> str:
    return key[:4]


def _respond(tree, key, campaign_id, template_id, count, **kw):
    """``count`` responses at school ``key`` (written as that school)."""
    with _as(tree, key):
        campaign = db.session.get(SurveyCampaign, campaign_id)
        template = db.session.get(SurveyTemplate, template_id)
        for _ in range(count):
            add_response(campaign, template, tree.ids[key], tree.ids[_municipal(key)], **kw)
        db.session.commit()
        db.session.remove()


def _region_campaign(tree, *, family=None, version=1, opens_on=date(2026, 11, 1), title="Опрос"):
    with _as(tree, "r1"):
        template = make_template(tree.ids["r1"], family=family, version=version)
        campaign = make_campaign(tree.ids["r1"], template, title, opens_on=opens_on)
        db.session.commit()
        ids = template.id, campaign.id
        db.session.remove()
    return ids


# -- one campaign -------------------------------------------------------------------------------

def test_distributions_means_index_and_texts(ctx, tree):
    s = survey_world(tree)
    results = _results(tree, "r1m1s1", s.campaign)
    assert results.n == 6 and not results.suppressed
    scale1, scale2, single, multiple, short, long_ = results.questions
    # first scale: 5, 6, 7, 8, 9, 5
    assert [(share.label, share.count) for share in scale1.shares if share.count] == [
        ("5", 2), ("6", 1), ("7", 1), ("8", 1), ("9", 1)]
    assert scale1.shares[4].percent == 33.3 and len(scale1.shares) == 10
    assert scale1.mean == 6.67 and scale1.median == 6.5 and scale1.answered == 6
    assert scale2.mean == 7.17  # 6, 7, 8, 9, 6, 7
    # Σ(value − 1) = 34 + 37 over 12 answers: 71 / 108
    assert results.index == 65.7
    with _as(tree, "r1m1s1"):
        assert satisfaction_index(s.campaign) == 65.7
    assert [(share.label, share.count, share.percent) for share in single.shares] == [
        ("Да", 2, 33.3), ("Нет", 2, 33.3), ("Не знаю", 2, 33.3)]
    # multiple choice: % of respondents (each option chosen by three of six)
    assert [(share.count, share.percent) for share in multiple.shares] == [(3, 50.0), (3, 50.0), (3, 50.0)]
    assert multiple.answered == 6
    assert short.texts == [] and long_.texts == ["Больше встреч"]
    # a school sees the breakdowns by form and role only; 3 mentors and 3 mentees are too few
    assert [b.code for b in results.breakdowns] == ["form", "role"]
    form, role = results.breakdowns
    assert [(row.name, row.n, row.index) for row in form.rows] == [("учитель – ученик", 6, 65.7)]
    assert form.rows[0].means == {scale1.id: 6.67, scale2.id: 7.17}
    assert all(row.hidden == SMALL and row.n is None and row.index is None and not row.means for row in role.rows)


def test_texts_are_sorted_by_text_not_by_time(ctx, tree):
    template_id, campaign_id = _region_campaign(tree)
    for text in ("Яблоко", "Арбуз", "Малина", None, None):
        _respond(tree, "r1m1s1", campaign_id, template_id, 1, text=text)
    long_ = _results(tree, "r1m1s1", campaign_id).questions[5]
    assert long_.texts == ["Арбуз", "Малина", "Яблоко"]


def test_fewer_than_five_respondents_show_nothing(ctx, tree):
    template_id, campaign_id = _region_campaign(tree)
    _respond(tree, "r1m1s1", campaign_id, template_id, 4, text="секрет")
    results = _results(tree, "r1m1s1", campaign_id)
    assert results.n == 4 and results.suppressed
    assert results.questions == [] and results.breakdowns == [] and results.index is None
    with _as(tree, "r1m1s1"):
        assert satisfaction_index(campaign_id) is None
    _respond(tree, "r1m1s1", campaign_id, template_id, 1)
    assert not _results(tree, "r1m1s1", campaign_id).suppressed


def test_no_responses_at_all(ctx, tree):
    _template_id, campaign_id = _region_campaign(tree)
    results = _results(tree, "r1", campaign_id)
    assert results.n == 0 and results.suppressed and results.index is None


def test_each_organisation_sees_its_own_subtree_and_breakdowns_hide_small_groups(ctx, tree):
    template_id, campaign_id = _region_campaign(tree)
    _respond(tree, "r1m1s1", campaign_id, template_id, 7, scales=(10, 10))
    _respond(tree, "r1m1s2", campaign_id, template_id, 3, scales=(1, 1), role="mentor")
    _respond(tree, "r1m2s1", campaign_id, template_id, 6, scales=(4, 7), form_code="pupil_pupil")

    school = _results(tree, "r1m1s1", campaign_id)
    assert school.n == 7 and school.index == 100.0 and school.org_name == "Школа 1.1.1"
    assert [b.code for b in school.breakdowns] == ["form", "role"]
    sibling = _results(tree, "r1m1s2", campaign_id)  # its own three: nothing shown
    assert sibling.n == 3 and sibling.suppressed
    assert _results(tree, "r1m2s2", campaign_id).n == 0  # a school with no answers

    body = _results(tree, "r1m1", campaign_id)
    assert body.n == 10 and body.index == round(100 * 7 * 18 / (9 * 20), 1)
    assert [b.code for b in body.breakdowns] == ["form", "role", "school"]
    by_school = {row.name: row for row in body.breakdowns[2].rows}
    # 3 at school 2 are too few; then school 1 alone would give them away (10 − 7): hidden too
    assert by_school["Школа 1.1.2"].hidden == SMALL
    assert by_school["Школа 1.1.1"].hidden == COMPLEMENTARY and by_school["Школа 1.1.1"].n is None
    by_role = {row.key: row for row in body.breakdowns[1].rows}
    assert by_role["mentor"].hidden == SMALL and by_role["mentee"].hidden == COMPLEMENTARY

    region = _results(tree, "r1", campaign_id)
    assert region.n == 16
    assert [b.code for b in region.breakdowns] == ["form", "role", "school", "municipality"]
    by_body = {row.name: row for row in region.breakdowns[3].rows}
    assert (by_body["Управление 1.1"].n, by_body["Управление 1.2"].n) == (10, 6)
    assert by_body["Управление 1.2"].index == round(100 * 6 * 9 / (9 * 12), 1)
    first_scale = region.questions[0].id
    assert by_body["Управление 1.2"].means[first_scale] == 4.0
    by_school = {row.name: row for row in region.breakdowns[2].rows}
    assert by_school["Школа 1.1.2"].hidden == SMALL
    assert by_school["Школа 1.2.1"].hidden == COMPLEMENTARY  # the smallest other school (6 < 7)
    assert by_school["Школа 1.1.1"].n == 7 and by_school["Школа 1.1.1"].index == 100.0
    by_form = {row.key: row for row in region.breakdowns[0].rows}
    assert (by_form["teacher_pupil"].n, by_form["pupil_pupil"].n) == (10, 6)
    assert by_form["pupil_pupil"].name == "ученик – ученик"


def test_another_region_cannot_read_the_campaign(ctx, tree):
    _template_id, campaign_id = _region_campaign(tree)
    with _as(tree, "r2"), pytest.raises(ResultsNotFound):
        campaign_results(campaign_id)
    s_world = survey_world(tree)
    with _as(tree, "r1m1s2"), pytest.raises(ResultsNotFound):  # a sibling school's own campaign
        campaign_results(s_world.campaign)


@pytest.mark.parametrize("sizes, hidden", [
    ({"a": 3, "b": 10, "c": 20}, {"a": SMALL, "b": COMPLEMENTARY}),
    ({"a": 3, "b": 2, "c": 10}, {"a": SMALL, "b": SMALL}),  # 5 together: not derivable as a small group
    ({"a": 2, "b": 2, "c": 10, "d": 11}, {"a": SMALL, "b": SMALL, "c": COMPLEMENTARY}),
    ({"a": 0, "b": 10, "c": 5}, {}),
    ({"a": 4}, {"a": SMALL}),
    ({"a": 5, "b": 5}, {}),
])
def test_suppression_rules(sizes, hidden):
    assert suppress(sizes) == hidden


def test_the_results_cost_the_same_queries_for_10_and_1000_responses(ctx, tree):
    template_id, campaign_id = _region_campaign(tree)

    def count() -> int:
        statements = []

        def listener(*args):
            statements.append(args[2])

        with _as(tree, "r1"):
            sa.event.listen(db.engine, "before_cursor_execute", listener)
            try:
                results = campaign_results(campaign_id)
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", listener)
            assert not results.suppressed and results.breakdowns
            db.session.remove()
        return len(statements)

    _respond(tree, "r1m1s1", campaign_id, template_id, 5, text="a")
    _respond(tree, "r1m2s1", campaign_id, template_id, 5, text="b", role="mentor")
    small = count()
    for key, n in (("r1m1s1", 400), ("r1m1s2", 300), ("r1m2s1", 290)):
        _respond(tree, key, campaign_id, template_id, n, text="c")
    assert count() == small
    assert small <= 10


# -- trends --------------------------------------------------------------------------------------

def test_trends_group_versions_of_a_questionnaire_and_hide_small_points(ctx, tree):
    family = "f" * 32
    v1, spring = _region_campaign(tree, family=family, version=1, opens_on=date(2026, 3, 1), title="Весна")
    v2, autumn = _region_campaign(tree, family=family, version=2, opens_on=date(2026, 10, 1), title="Осень")
    _other_template, winter = _region_campaign(tree, opens_on=date(2026, 12, 1), title="Другая анкета")
    _unanswered_template, _unanswered = _region_campaign(tree, opens_on=date(2026, 5, 1))
    _respond(tree, "r1m1s1", autumn, v2, 5, scales=(10, 10))
    _respond(tree, "r1m1s1", spring, v1, 5, scales=(1, 10))
    _respond(tree, "r1m1s2", spring, v1, 2, scales=(1, 1))  # a sibling school's answers
    _respond(tree, "r1m1s1", winter, _other_template, 3)
    with _as(tree, "r1m1s1"):
        series = trends()
        only = trends(family=family)
        by_purpose = trends(purpose="start")
        db.session.remove()
    assert len(series) == 2
    mine = next(s for s in series if s.family == family)
    assert [(p.title, p.version, p.n, p.index) for p in mine.points] == [("Весна", 1, 5, 50.0), ("Осень", 2, 5, 100.0)]
    other = next(s for s in series if s.family != family)
    assert [(p.n, p.index, p.suppressed) for p in other.points] == [(3, None, True)]
    assert [s.family for s in only] == [family] and by_purpose == []

    with _as(tree, "r1m1"):
        body = next(s for s in trends() if s.family == family)
        db.session.remove()
    assert [(p.n, p.index) for p in body.points] == [(7, round(100 * 45 / (9 * 14), 1)), (5, 100.0)]


# -- monitoring ----------------------------------------------------------------------------------

def test_satisfaction_facts_make_an_indicator_that_rolls_up_as_sums(ctx, tree):
    template_id, campaign_id = _region_campaign(tree)
    _respond(tree, "r1m1s1", campaign_id, template_id, 4, scales=(10, 10))  # 72 points of 72
    _respond(tree, "r1m1s1", campaign_id, template_id, 1, scales=(1, 4))  # 0 + 3 of 18
    # Four respondents in the window: fewer than the minimum group size, the school is left out.
    _respond(tree, "r1m2s1", campaign_id, template_id, 4, scales=(5, 5))
    _respond(tree, "r1m2s1", campaign_id, template_id, 1, scales=(10, 10), submitted_on=date(2025, 12, 31))
    _respond(tree, "r1m2s1", campaign_id, template_id, 1, scales=(10, 10), submitted_on=date(2026, 12, 21))
    with unscoped("tests.indicators"):
        db.session.add(Indicator(
            org_id=tree.ids["r1"], code="satisfaction", name="Удовлетворённость участников программ наставничества",
            kind="custom", numerator_fact="satisfaction_points", denominator_fact="satisfaction_max_points",
            position=1))
        db.session.commit()
    period_id = make_period(tree.ids["r1"], date(2026, 12, 20))
    assert aggregate_period(period_id) is True
    with unscoped("tests.monitoring"):
        rows = {(org, code): (num, den, value) for org, code, num, den, value in snapshot_rows(period_id)}
        db.session.remove()
    assert rows[(tree.ids["r1m1s1"], "satisfaction")] == (75, 90, pytest.approx(83.33))
    assert rows[(tree.ids["r1m2s1"], "satisfaction")][:2] == (0, 0)
    assert rows[(tree.ids["r1m1s2"], "satisfaction")][:2] == (0, 0)
    assert rows[(tree.ids["r1m1"], "satisfaction")][:2] == (75, 90)
    assert rows[(tree.ids["r1"], "satisfaction")] == (75, 90, pytest.approx(83.33))


# -- the analytical report -------------------------------------------------------------------

def _period(ref=date(2026, 12, 20)) -> PeriodInfo:
    return PeriodInfo(1, ref, "frozen")


def _satisfaction_as(tree, key, period=None):
    with _as(tree, key):
        from tenants.models import Organization

        rows = satisfaction_results(db.session.get(Organization, tree.ids[key]), period or _period())
        db.session.remove()
    return rows


def test_analytical_satisfaction_by_body_and_by_school(ctx, tree):
    assert _satisfaction_as(tree, "r1") is None  # no survey data yet
    template_id, campaign_id = _region_campaign(tree)
    _respond(tree, "r1m1s1", campaign_id, template_id, 6, scales=(10, 10))
    _respond(tree, "r1m1s2", campaign_id, template_id, 2, scales=(1, 1))
    _respond(tree, "r1m2s1", campaign_id, template_id, 5, scales=(1, 10))
    _respond(tree, "r1m2s2", campaign_id, template_id, 9, scales=(1, 10), submitted_on=date(2025, 6, 1))

    region = _satisfaction_as(tree, "r1")
    assert region == [
        SatisfactionRow("Управление 1.1", 8, round(100 * 6 * 18 / (9 * 16), 1)),
        SatisfactionRow("Управление 1.2", 5, 50.0),
        SatisfactionRow("Итого", 13, round(100 * (108 + 45) / (9 * 26), 1)),
    ]
    body = _satisfaction_as(tree, "r1m1")
    assert body == [
        SatisfactionRow("Школа 1.1.1", None, None, suppressed=True),  # complementary
        SatisfactionRow("Школа 1.1.2", None, None, suppressed=True),  # 2 respondents
        SatisfactionRow("Итого", 8, 75.0),
    ]
    small_body = _satisfaction_as(tree, "r1m2")  # 5 in the window at school 1, none at school 2
    assert small_body == [SatisfactionRow("Школа 1.2.1", 5, 50.0), SatisfactionRow("Школа 1.2.2", 0, None),
                          SatisfactionRow("Итого", 5, 50.0)]
    # the year window: last year's period sees only the 2025 answers
    assert _satisfaction_as(tree, "r1m2", _period(date(2025, 6, 20)))[-1] == SatisfactionRow("Итого", 9, 50.0)


def test_the_report_files_render_the_satisfaction_section(ctx):
    import zipfile

    from openpyxl import load_workbook

    from mentorship.analytical_document import to_docx
    from mentorship.analytical_workbook import to_xlsx

    data = ReportData(org_name="Управление 1.1", level="municipality", reference_date=date(2026, 12, 20),
                      today=date(2026, 12, 21))
    data.satisfaction = [SatisfactionRow("Школа 1.1.1", 12, 81.5), SatisfactionRow("=Школа 2", None, None, True),
                         SatisfactionRow("Итого", 15, 80.0)]
    with zipfile.ZipFile(io.BytesIO(to_docx(data))) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "Школа 1.1.1" in xml and ("81,5" in xml or "81.5" in xml)
    assert "менее 5" in xml and "Респондентов" in xml
    workbook = load_workbook(io.BytesIO(to_xlsx(data)))
    values = [[cell.value for cell in row] for ws in workbook.worksheets for row in ws.iter_rows()]
    assert ["Школа 1.1.1", 12, 81.5] in values
    assert ["=Школа 2", "менее 5", "не показывается"] in [row[:3] for row in values]
