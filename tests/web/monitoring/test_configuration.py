"""The ministry's monitoring configuration through the web: indicators, the targets table (seed
001 typed in; one bad cell saves nothing), the reference figures with the data-quality warning;
the analyst reads but cannot change (403); municipal and school users get 403 on the pages and
404 on the id routes (with the region's pages: the forms catalogue, the calendar). The region's
pages themselves: tests/web/region/test_configuration.py."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from mentorship.monitoring.aggregation import aggregate_period
from mentorship.monitoring.models import Indicator, RegionFigure, Target
from mentorship.region.models import MentorshipForm, RegionSettings
from tests.conftest import csrf_token_from
from tests.support.ministry import post_form, rows_of, signed_in
from tests.support.monitoring import SchoolFacts, make_period
from tests.unit.monitoring.test_configuration import SEED_001

pytestmark = pytest.mark.backends("sqlite", "postgresql")

PAGES = ["/monitoring/forms", "/monitoring/indicators", "/monitoring/targets", "/monitoring/figures",
         "/monitoring/calendar"]
CALENDAR = {"reference_day_1": "20", "reference_month_1": "6", "reference_day_2": "20", "reference_month_2": "12",
            "school_report_day_1": "20", "school_report_month_1": "11", "municipal_report_day_1": "30",
            "municipal_report_month_1": "11", "school_report_day_2": "", "school_report_month_2": "",
            "municipal_report_day_2": "", "municipal_report_month_2": "", "time_zone": "Europe/Moscow"}


def _seed_table() -> dict[str, str]:
    return {f"target-{code}-{2020 + i}": v for code, values in SEED_001.items() for i, v in enumerate(values)}


def test_ministry_users_read_every_page_others_are_refused(app, tree, login, admin, analyst):
    for url in PAGES:
        assert admin.get(url).status_code == 200, url
        page = analyst.get(url)
        assert page.status_code == 200, url
        assert 'type="submit"' not in page.get_data(as_text=True).split("</nav>", 1)[1].split("<footer")[0] \
            .replace('<button class="dropdown-item', ""), url  # read-only: no buttons in the content
    for who in ("r1m1.admin", "r1m1.staff", "r1m1s1.admin", "r1m1s1.staff"):
        client = signed_in(app, login, tree, who)
        for url in PAGES:
            assert client.get(url).status_code == 403, (who, url)


def test_the_analyst_cannot_change_anything(app, tree, analyst):
    token = csrf_token_from(analyst.get("/monitoring/targets"))
    for url, data in (
        ("/monitoring/targets", _seed_table()),
        ("/monitoring/figures", {"figure-2026-children_10_19": "1000"}),
        ("/monitoring/calendar", CALENDAR),
        ("/monitoring/forms", {"action": "add", "code": "new_form", "name": "Новая", "mentor_category": "teacher",
                               "mentee_category": "pupil"}),
        ("/monitoring/forms", {"action": "edit", "code": "teacher_pupil", "name": "Учитель – школьник"}),
        ("/monitoring/indicators", {"code": "enterprises", "name": "Доля предприятий"}),
        ("/monitoring/indicators/new", {"name": "Пары", "numerator": "pairs", "denominator": "teachers"}),
    ):
        assert analyst.post(url, data={**data, "csrf_token": token}).status_code == 403, url
    assert not rows_of(app, Target) and not rows_of(app, RegionFigure) and not rows_of(app, RegionSettings)
    assert not rows_of(app, MentorshipForm) and not rows_of(app, Indicator)


def test_seed_001_targets_typed_into_the_table(app, admin):
    page = admin.get("/monitoring/targets").get_data(as_text=True)
    for year in range(2020, 2031):
        assert f'name="target-mentees_10_19-{year}"' in page
    table = _seed_table() | {"target-mentors_15_19-2025": "12,5", "target-enterprises-2026": "33.5"}
    response = post_form(admin, "/monitoring/targets", table)
    assert response.status_code == 302 and response.headers["Location"].endswith("/monitoring/targets")
    saved = {(t.indicator_id, t.year): t.value for t in rows_of(app, Target)}
    indicators = {i.id: i.code for i in rows_of(app, Indicator)}
    by_code = {(indicators[i], y): v for (i, y), v in saved.items()}
    assert by_code[("mentees_10_19", 2023)] == Decimal("55")
    assert by_code[("enterprises", 2021)] == Decimal("10")
    assert by_code[("mentors_15_19", 2025)] == Decimal("12.5")
    assert by_code[("enterprises", 2026)] == Decimal("33.5")
    assert len(by_code) == 22
    html = admin.get("/monitoring/targets").get_data(as_text=True)
    assert 'name="target-mentors_15_19-2025" id="target-mentors_15_19-2025" value="12,5"' in html
    assert 'name="target-young_specialists-2024" id="target-young_specialists-2024" value="70"' in html


def test_one_bad_target_saves_nothing_and_names_the_cell(app, admin):
    table = _seed_table() | {"target-mentors_15_19-2023": "100,01", "target-enterprises-2022": "abc"}
    response = post_form(admin, "/monitoring/targets", table)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    problems = html.split('id="target-problems"', 1)[1].split("</div>", 1)[0]
    assert "от 15 до 19 лет" in problems and "2023" in problems and "100,01" in problems
    assert "2022" in problems and "abc" in problems
    # the typed values are kept, the bad cells marked
    assert re.search(r'is-invalid"[^>]*\s+name="target-mentors_15_19-2023"[^>]*value="100,01"', html)
    assert 'name="target-mentees_10_19-2021" id="target-mentees_10_19-2021" value="30"' in html
    assert not rows_of(app, Target) and not rows_of(app, Indicator)


def test_indicators_add_edit_retire(app, tree, login, admin):
    page = admin.get("/monitoring/indicators").get_data(as_text=True)
    assert "Доля детей в возрасте от 10 до 19 лет" in page and 'value="mentees"' in page
    response = post_form(admin, "/monitoring/indicators/new", {"name": "Доля педагогов-наставников",
                                                           "numerator": "mentors", "denominator": "teachers"},
                     page="/monitoring/indicators")
    assert response.status_code == 302
    rows = {r.code: r for r in rows_of(app, Indicator)}
    assert set(rows) == {"mentees_10_19", "mentors_15_19", "young_specialists", "enterprises", "custom_1"}
    url = f"/monitoring/indicators/{rows['custom_1'].id}/edit"
    assert post_form(admin, url, {"name": "Пары на педагога", "numerator": "pairs", "denominator": "teachers",
                              "retired": "y"}, page="/monitoring/indicators").status_code == 302
    custom = rows_of(app, Indicator, code="custom_1")[0]
    assert (custom.name, custom.numerator_fact, custom.retired) == ("Пары на педагога", "pairs", True)
    bad = post_form(admin, "/monitoring/indicators/new", {"name": "X", "numerator": "teachers", "denominator": "pupils"},
                page="/monitoring/indicators")
    assert bad.status_code == 200 and "is-invalid" in bad.get_data(as_text=True)
    refused = post_form(admin, f"/monitoring/indicators/{rows['enterprises'].id}/edit",
                    {"name": "Доля предприятий", "numerator": "mentors"}, page="/monitoring/indicators")
    assert refused.status_code == 200 and "alert-danger" in refused.get_data(as_text=True)
    assert rows_of(app, Indicator, code="enterprises")[0].numerator_fact == "enterprises_with_mentors"
    other = signed_in(app, login, tree, "r1m1s1.admin")
    token = csrf_token_from(other.get("/", follow_redirects=True))
    assert other.post(url, data={"name": "x", "csrf_token": token}).status_code == 404
    assert len(rows_of(app, Indicator)) == 5


def test_a_standard_indicator_renamed_before_any_save(app, admin):
    response = post_form(admin, "/monitoring/indicators", {"code": "enterprises", "name": "Доля предприятий-партнёров"})
    assert response.status_code == 302
    rows = {r.code: r for r in rows_of(app, Indicator)}
    assert len(rows) == 4 and rows["enterprises"].name == "Доля предприятий-партнёров"


def test_reference_figures_and_the_data_quality_warning(app, tree, admin):
    with app.app_context():
        with SchoolFacts(tree, "r1m1s1") as s:
            s.contingent(2026, pupils_10_19=100)
            s.pair(s.teacher(), [s.pupil(date(2012, 3, 1)) for _ in range(3)])
        aggregate_period(make_period(tree.ids["r1"], date(2026, 12, 20)))
    page = admin.get("/monitoring/figures").get_data(as_text=True)
    assert 'name="figure-2026-children_10_19"' in page and "alert-warning" not in page
    bad = post_form(admin, "/monitoring/figures", {"figure-2026-children_10_19": "100",
                                               "figure-2026-children_15_19": "200"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "2026" in html.split('id="figure-problems"', 1)[1].split("</div>", 1)[0]
    assert not rows_of(app, RegionFigure)
    ok = post_form(admin, "/monitoring/figures", {"figure-2026-children_10_19": "2", "figure-2026-children_15_19": "1",
                                              "figure-2027-enterprises": "1 500"})
    assert ok.status_code == 302
    figures = {f.year: f for f in rows_of(app, RegionFigure)}
    assert (figures[2026].children_10_19, figures[2026].children_15_19, figures[2027].enterprises) == (2, 1, 1500)
    warned = admin.get("/monitoring/figures").get_data(as_text=True)
    warning = warned.split("alert-warning", 1)[1].split("</div>", 1)[0]
    assert "20.12.2026" in warning and "(2)" in warning and " 3" in warning


