"""Survey results (mentorship/surveys/results.py): distributions, means, the satisfaction index,
the minimum group size (at every level, in breakdowns, with complementary suppression),
publication in steps of five, breakdowns by the viewer's direct children, the tenant subtree,
trends across campaigns and versions, the monitoring facts and the analytical report's
satisfaction section."""
from __future__ import annotations

import io
from datetime import date

import pytest

from core.extensions import db
from mentorship.monitoring.aggregation import aggregate_period, snapshot_rows
from mentorship.monitoring.models import Indicator
from mentorship.monitoring.readings import PeriodInfo
from mentorship.reports.analytical.data import ReportData, SatisfactionRow, satisfaction_results
from mentorship.surveys.models import SurveyCampaign, SurveyTemplate
from mentorship.surveys.results import (
    COMPLEMENTARY,
    SMALL,
    ResultsNotFound,
    campaign_results,
    satisfaction_index,
    suppress,
    trends,
)
from tenants.context import tenant_scope, unscoped
from tests.support.monitoring import make_period
from tests.support.queries import counting_queries
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
    s = survey_world(tree)  # six responses: the first five are published, the sixth waits
    results = _results(tree, "r1m1s1", s.campaign)
    assert results.n == 5 and results.waiting == 1 and not results.suppressed
    scale1, scale2, single, multiple, short, long_ = results.questions
    # first scale: 5, 6, 7, 8, 9 (the waiting sixth answered 5)
    assert [(share.label, share.count) for share in scale1.shares if share.count] == [
        ("5", 1), ("6", 1), ("7", 1), ("8", 1), ("9", 1)]
    assert scale1.shares[4].percent == 20.0 and len(scale1.shares) == 10
    assert scale1.mean == 7.0 and scale1.median == 7.0 and scale1.answered == 5
    assert scale2.mean == 7.2 and scale2.median == 7.0  # 6, 7, 8, 9, 6
    # Σ(value − 1) = 30 + 31 over 10 answers: 61 / 90
    assert results.index == 67.8
    with _as(tree, "r1m1s1"):
        assert satisfaction_index(s.campaign) == 67.8
    assert [(share.label, share.count, share.percent) for share in single.shares] == [
        ("Да", 2, 40.0), ("Нет", 2, 40.0), ("Не знаю", 1, 20.0)]
    # multiple choice: % of respondents (options 1 and 3 chosen by two of five, option 2 by three)
    assert [(share.count, share.percent) for share in multiple.shares] == [(2, 40.0), (3, 60.0), (2, 40.0)]
    assert multiple.answered == 5
    assert short.texts == [] and long_.texts == ["Больше встреч"]
    # a school sees the breakdowns by form and role only; 3 mentors and 2 mentees are too few
    assert [b.code for b in results.breakdowns] == ["form", "role"]
    form, role = results.breakdowns
    assert [(row.name, row.n, row.index) for row in form.rows] == [("учитель – ученик", 5, 67.8)]
    assert form.rows[0].means == {scale1.id: 7.0, scale2.id: 7.2}
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
    assert results.n == 4 and results.suppressed and results.waiting == 4
    assert results.questions == [] and results.breakdowns == [] and results.index is None
    with _as(tree, "r1m1s1"):
        assert satisfaction_index(campaign_id) is None
    _respond(tree, "r1m1s1", campaign_id, template_id, 1)
    assert not _results(tree, "r1m1s1", campaign_id).suppressed


def test_results_are_published_in_steps_of_five_in_the_order_the_responses_came(ctx, tree):
    template_id, campaign_id = _region_campaign(tree)
    _respond(tree, "r1m1s1", campaign_id, template_id, 4, scales=(6, 8), text="первые")
    four = _results(tree, "r1m1s1", campaign_id)
    assert (four.n, four.waiting, four.suppressed) == (4, 4, True) and four.questions == []

    _respond(tree, "r1m1s1", campaign_id, template_id, 1, scales=(6, 8), text="первые")
    five = _results(tree, "r1m1s1", campaign_id)
    assert (five.n, five.waiting, five.suppressed) == (5, 0, False)
    assert five.index == round(100 * 5 * (5 + 7) / (9 * 10), 1)  # 66.7
    assert [(q.mean, q.answered) for q in five.scale_questions] == [(6.0, 5), (8.0, 5)]

    # the sixth, extreme in every way (and dated earlier: the order is that of arrival), waits
    _respond(tree, "r1m1s1", campaign_id, template_id, 1, scales=(1, 1), choice=2, chosen=(2,), text="шестой",
             role="mentor", form_code="pupil_pupil", submitted_on=date(2026, 11, 1))
    six = _results(tree, "r1m1s1", campaign_id)
    assert (six.n, six.waiting, six.suppressed) == (5, 1, False)
    assert six.questions == five.questions and six.breakdowns == five.breakdowns and six.index == five.index
    assert "шестой" not in six.questions[5].texts and six.questions[2].shares[2].count == 0
    assert [row.key for b in six.breakdowns for row in b.rows] == ["teacher_pupil", "mentee"]
    with _as(tree, "r1m1s1"):
        assert satisfaction_index(campaign_id) == five.index
        assert [(p.n, p.index) for p in trends()[0].points] == [(5, five.index)]
        db.session.remove()

    _respond(tree, "r1m1s1", campaign_id, template_id, 3, scales=(1, 1))
    nine = _results(tree, "r1m1s1", campaign_id)
    assert (nine.n, nine.waiting) == (5, 4) and nine.questions == five.questions

    _respond(tree, "r1m1s1", campaign_id, template_id, 1, scales=(1, 1))
    ten = _results(tree, "r1m1s1", campaign_id)
    assert (ten.n, ten.waiting) == (10, 0)
    assert ten.index == round(100 * 5 * 12 / (9 * 20), 1)  # the five newer answered 1, 1: 33.3
    assert ten.questions[0].mean == 3.5 and ten.questions[0].answered == 10
    assert ten.questions[5].texts == ["первые"] * 5 + ["шестой"]
    with _as(tree, "r1m1s1"):
        assert satisfaction_index(campaign_id) == ten.index
        db.session.remove()


def test_the_steps_are_counted_within_the_viewers_subtree(ctx, tree):
    template_id, campaign_id = _region_campaign(tree)
    _respond(tree, "r1m1s1", campaign_id, template_id, 3, scales=(10, 10))
    _respond(tree, "r1m1s2", campaign_id, template_id, 5, scales=(1, 1))
    _respond(tree, "r1m1s1", campaign_id, template_id, 2, scales=(10, 10))

    def summary(key):
        results = _results(tree, key, campaign_id)
        return results.n, results.waiting, results.index

    # each school: its own five (the first school's arrived around the sibling's), all published
    assert summary("r1m1s2") == (5, 0, 0.0)
    assert summary("r1m1s1") == (5, 0, 100.0)
    assert summary("r1m1") == (10, 0, 50.0)
    _respond(tree, "r1m1s2", campaign_id, template_id, 1, scales=(10, 10))
    assert summary("r1m1s2") == (5, 1, 0.0)  # the sixth of the school waits there
    assert summary("r1m1s1") == (5, 0, 100.0)
    assert summary("r1") == (10, 1, 50.0)  # and above it


def test_no_responses_at_all(ctx, tree):
    _template_id, campaign_id = _region_campaign(tree)
    results = _results(tree, "r1", campaign_id)
    assert results.n == 0 and results.suppressed and results.index is None


def test_each_organisation_sees_its_own_subtree_and_breakdowns_hide_small_groups(ctx, tree):
    template_id, campaign_id = _region_campaign(tree)
    _respond(tree, "r1m1s1", campaign_id, template_id, 7, scales=(10, 10))
    _respond(tree, "r1m1s2", campaign_id, template_id, 3, scales=(1, 1), role="mentor")
    _respond(tree, "r1m2s1", campaign_id, template_id, 5, scales=(4, 7), form_code="pupil_pupil")

    school = _results(tree, "r1m1s1", campaign_id)  # seven: five published, two wait
    assert (school.n, school.waiting) == (5, 2)
    assert school.index == 100.0 and school.org_name == "Школа 1.1.1"
    assert [b.code for b in school.breakdowns] == ["form", "role"]
    sibling = _results(tree, "r1m1s2", campaign_id)  # its own three: nothing shown
    assert sibling.n == 3 and sibling.suppressed
    assert _results(tree, "r1m2s2", campaign_id).n == 0  # a school with no answers

    body = _results(tree, "r1m1", campaign_id)
    assert (body.n, body.waiting) == (10, 0) and body.index == round(100 * 7 * 18 / (9 * 20), 1)
    assert [b.code for b in body.breakdowns] == ["form", "role", "school"]
    by_school = {row.name: row for row in body.breakdowns[2].rows}
    # 3 at school 2 are too few; then school 1 alone would give them away (10 − 7): hidden too
    assert by_school["Школа 1.1.2"].hidden == SMALL
    assert by_school["Школа 1.1.1"].hidden == COMPLEMENTARY and by_school["Школа 1.1.1"].n is None
    by_role = {row.key: row for row in body.breakdowns[1].rows}
    assert by_role["mentor"].hidden == SMALL and by_role["mentee"].hidden == COMPLEMENTARY

    region = _results(tree, "r1", campaign_id)
    assert (region.n, region.waiting) == (15, 0)
    # the ministry: by municipal body, not by school (that would give school 1.1.2 away: 10 − 7)
    assert [b.code for b in region.breakdowns] == ["form", "role", "municipality"]
    by_body = {row.name: row for row in region.breakdowns[2].rows}
    assert (by_body["Управление 1.1"].n, by_body["Управление 1.2"].n) == (10, 5)
    assert by_body["Управление 1.1"].index == body.index
    assert by_body["Управление 1.2"].index == round(100 * 5 * 9 / (9 * 10), 1)
    first_scale = region.questions[0].id
    assert by_body["Управление 1.2"].means[first_scale] == 4.0
    by_form = {row.key: row for row in region.breakdowns[0].rows}
    assert (by_form["teacher_pupil"].n, by_form["pupil_pupil"].n) == (10, 5)
    assert by_form["pupil_pupil"].name == "ученик – ученик"


def test_breakdowns_are_by_the_viewers_direct_children_only(ctx, tree):
    template_id, campaign_id = _region_campaign(tree)
    for key, scales in (("r1m1s1", (10, 10)), ("r1m1s2", (1, 1)), ("r1m2s1", (4, 7)), ("r1m2s2", (1, 10))):
        _respond(tree, key, campaign_id, template_id, 5, scales=scales)
    school_names = {"Школа 1.1.1", "Школа 1.1.2", "Школа 1.2.1", "Школа 1.2.2"}

    region = _results(tree, "r1", campaign_id)
    assert region.n == 20 and [b.code for b in region.breakdowns] == ["form", "role", "municipality"]
    by_body = region.breakdowns[2]
    assert [(row.name, row.n, row.key) for row in by_body.rows] == [
        ("Управление 1.1", 10, tree.ids["r1m1"]), ("Управление 1.2", 10, tree.ids["r1m2"])]
    assert not school_names & {row.name for b in region.breakdowns for row in b.rows}
    assert not {tree.ids[key] for key in ("r1m1s1", "r1m1s2", "r1m2s1", "r1m2s2")} & {
        row.key for b in region.breakdowns for row in b.rows}

    for body_key, schools in (("r1m1", ["Школа 1.1.1", "Школа 1.1.2"]), ("r1m2", ["Школа 1.2.1", "Школа 1.2.2"])):
        body = _results(tree, body_key, campaign_id)
        assert [b.code for b in body.breakdowns] == ["form", "role", "school"]
        assert [(row.name, row.n) for row in body.breakdowns[2].rows] == [(name, 5) for name in schools]
        # the ministry's row of the body is the body's own total
        row = next(r for r in by_body.rows if r.key == tree.ids[body_key])
        assert (row.n, row.index) == (body.n, body.index)

    school = _results(tree, "r1m2s1", campaign_id)
    assert [b.code for b in school.breakdowns] == ["form", "role"]


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
        with _as(tree, "r1"):
            with counting_queries(db.engine) as statements:
                results = campaign_results(campaign_id)
            assert not results.suppressed and results.breakdowns
            db.session.remove()
        return len(statements)

    _respond(tree, "r1m1s1", campaign_id, template_id, 5, text="a")
    _respond(tree, "r1m2s1", campaign_id, template_id, 5, text="b", role="mentor")
    small = count()
    for key, n in (("r1m1s1", 400), ("r1m1s2", 300), ("r1m2s1", 290)):
        _respond(tree, key, campaign_id, template_id, n, text="c")
    assert count() == small
    assert small <= 12  # with the total and the published cutoff (a window over the responses)


# -- trends --------------------------------------------------------------------------------------

def test_trends_group_versions_of_a_questionnaire_and_hide_small_points(ctx, tree):
    family = "f" * 32
    v1, spring = _region_campaign(tree, family=family, version=1, opens_on=date(2026, 3, 1), title="Весна")
    v2, autumn = _region_campaign(tree, family=family, version=2, opens_on=date(2026, 10, 1), title="Осень")
    _other_template, winter = _region_campaign(tree, opens_on=date(2026, 12, 1), title="Другая анкета")
    _unanswered_template, _unanswered = _region_campaign(tree, opens_on=date(2026, 5, 1))
    _respond(tree, "r1m1s1", autumn, v2, 5, scales=(10, 10))
    _respond(tree, "r1m1s1", spring, v1, 5, scales=(1, 10))
    _respond(tree, "r1m1s2", spring, v1, 5, scales=(1, 1))  # a sibling school's answers
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
    assert [(p.n, p.index) for p in body.points] == [(10, round(100 * 45 / (9 * 20), 1)), (5, 100.0)]


def test_trends_and_the_index_count_only_the_published_responses_of_each_campaign(ctx, tree):
    family = "e" * 32
    v1, first = _region_campaign(tree, family=family, version=1, opens_on=date(2026, 3, 1), title="Первый")
    v2, second = _region_campaign(tree, family=family, version=2, opens_on=date(2026, 10, 1), title="Второй")
    _v3, third = _region_campaign(tree, family=family, version=3, opens_on=date(2026, 12, 1), title="Третий")
    # ids interleave: the first campaign's waiting sixth comes before the second's five
    _respond(tree, "r1m1s1", first, v1, 5, scales=(10, 10))
    _respond(tree, "r1m1s1", first, v1, 1, scales=(1, 1))
    _respond(tree, "r1m1s1", second, v2, 5, scales=(1, 10))
    _respond(tree, "r1m1s1", second, v2, 2, scales=(10, 10))
    _respond(tree, "r1m1s1", third, _v3, 3, scales=(10, 10))
    with _as(tree, "r1m1s1"):
        points = [(p.title, p.n, p.index, p.suppressed) for p in trends(family=family)[0].points]
        indexes = [satisfaction_index(c) for c in (first, second, third)]
        db.session.remove()
    assert points == [("Первый", 5, 100.0, False), ("Второй", 5, 50.0, False), ("Третий", 3, None, True)]
    assert indexes == [100.0, 50.0, None]

    _respond(tree, "r1m1s1", second, v2, 3, scales=(10, 10))  # the second reaches ten
    with _as(tree, "r1m1s1"):
        points = [(p.n, p.index) for p in trends(family=family)[0].points]
        index = satisfaction_index(second)
        db.session.remove()
    assert points == [(5, 100.0), (10, round(100 * (45 + 90) / (9 * 20), 1)), (3, None)]
    assert index == points[1][1] == 75.0


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
    return PeriodInfo(1, ref, "frozen", region_id=1)


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

    from mentorship.reports.analytical.document import to_docx
    from mentorship.reports.analytical.workbook import to_xlsx

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
