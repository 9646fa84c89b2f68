"""The ministry's monitoring configuration through the web: the forms catalogue, indicators,
the targets table (seed 001 typed in; one bad cell saves nothing), the reference figures
with the data-quality warning, the calendar; the analyst reads but cannot change (403);
municipal and school users get 403 on the pages and 404 on the id routes."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.monitoring.aggregation import aggregate_period
from mentorship.monitoring.models import Indicator, RegionFigure, Target
from mentorship.region.forms import DEFAULT_FORMS
from mentorship.region.models import MentorshipForm, RegionSettings
from tenants.context import unscoped
from tenants.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.support.monitoring import SchoolFacts, make_period
from tests.unit.monitoring.test_configuration import SEED_001

pytestmark = pytest.mark.backends("sqlite", "postgresql")

PAGES = ["/monitoring/forms", "/monitoring/indicators", "/monitoring/targets", "/monitoring/figures",
         "/monitoring/calendar"]
CALENDAR = {"reference_day_1": "20", "reference_month_1": "6", "reference_day_2": "20", "reference_month_2": "12",
            "school_report_day": "20", "school_report_month": "11", "municipal_report_day": "30",
            "municipal_report_month": "11", "time_zone": "Europe/Moscow"}


def _client(app, login, tree, who):
    client = app.test_client()
    login(client, tree.emails[who])
    return client


@pytest.fixture
def admin(app, tree, login):
    return _client(app, login, tree, "r1.admin")


@pytest.fixture
def analyst(app, tree, login):
    return _client(app, login, tree, "r1.staff")


def _post(client, url, data, page=None):
    token = csrf_token_from(client.get(page or url))
    return client.post(url, data={**data, "csrf_token": token})


def _rows(app, model, **where):
    with app.app_context(), unscoped("tests.rows"):
        stmt = sa.select(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        rows = db.session.scalars(stmt).all()
        db.session.expunge_all()
        db.session.remove()
        return rows


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
        client = _client(app, login, tree, who)
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
    assert not _rows(app, Target) and not _rows(app, RegionFigure) and not _rows(app, RegionSettings)
    assert not _rows(app, MentorshipForm) and not _rows(app, Indicator)


def test_seed_001_targets_typed_into_the_table(app, admin):
    page = admin.get("/monitoring/targets").get_data(as_text=True)
    for year in range(2020, 2031):
        assert f'name="target-mentees_10_19-{year}"' in page
    table = _seed_table() | {"target-mentors_15_19-2025": "12,5", "target-enterprises-2026": "33.5"}
    response = _post(admin, "/monitoring/targets", table)
    assert response.status_code == 302 and response.headers["Location"].endswith("/monitoring/targets")
    saved = {(t.indicator_id, t.year): t.value for t in _rows(app, Target)}
    indicators = {i.id: i.code for i in _rows(app, Indicator)}
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
    response = _post(admin, "/monitoring/targets", table)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    problems = html.split('id="target-problems"', 1)[1].split("</div>", 1)[0]
    assert "от 15 до 19 лет" in problems and "2023" in problems and "100,01" in problems
    assert "2022" in problems and "abc" in problems
    # the typed values are kept, the bad cells marked
    assert re.search(r'is-invalid"[^>]*\s+name="target-mentors_15_19-2023"[^>]*value="100,01"', html)
    assert 'name="target-mentees_10_19-2021" id="target-mentees_10_19-2021" value="30"' in html
    assert not _rows(app, Target) and not _rows(app, Indicator)


def test_forms_catalogue_add_rename_retire(app, tree, login, admin):
    page = admin.get("/monitoring/forms").get_data(as_text=True)
    assert all(f.name in page for f in DEFAULT_FORMS)
    # a default renamed: the catalogue is written as rows
    response = _post(admin, "/monitoring/forms", {"action": "edit", "code": "teacher_pupil",
                                                  "name": "учитель – школьник"})
    assert response.status_code == 302
    rows = {r.code: r for r in _rows(app, MentorshipForm)}
    assert len(rows) == len(DEFAULT_FORMS) and rows["teacher_pupil"].name == "учитель – школьник"
    # then by id: retire, and back
    url = f"/monitoring/forms/{rows['student_pupil'].id}/edit"
    assert _post(admin, url, {"name": "студент – ученик", "retired": "y"}, page="/monitoring/forms") \
        .status_code == 302
    assert _rows(app, MentorshipForm, code="student_pupil")[0].retired
    assert _post(admin, url, {"name": "студент – ученик"}, page="/monitoring/forms").status_code == 302
    assert not _rows(app, MentorshipForm, code="student_pupil")[0].retired
    # add; a duplicate code is refused with the form re-rendered
    new = {"action": "add", "code": "parent_pupil", "name": "родитель – ученик", "mentor_category": "employer",
           "mentee_category": "pupil"}
    assert _post(admin, "/monitoring/forms", new).status_code == 302
    again = _post(admin, "/monitoring/forms", {**new, "name": "другое"})
    refused = again.get_data(as_text=True)
    assert again.status_code == 200 and 'id="code-errors"' in refused and "с таким кодом уже есть" in refused
    assert len(_rows(app, MentorshipForm)) == len(DEFAULT_FORMS) + 1
    # an empty name is refused
    empty = _post(admin, url, {"name": " "}, page="/monitoring/forms")
    assert empty.status_code == 200 and _rows(app, MentorshipForm, code="student_pupil")[0].name == "студент – ученик"
    # the analyst: 403 on the id route; the municipal body and another region: 404
    assert _post(_client(app, login, tree, "r1.staff"), url, {"name": "x"}, page="/monitoring/forms") \
        .status_code == 403
    for who in ("r1m1.admin", "r2.admin"):
        other = _client(app, login, tree, who)
        token = csrf_token_from(other.get("/", follow_redirects=True))
        assert other.post(url, data={"name": "x", "csrf_token": token}).status_code == 404, who
    assert _rows(app, MentorshipForm, code="student_pupil")[0].name == "студент – ученик"


def test_indicators_add_edit_retire(app, tree, login, admin):
    page = admin.get("/monitoring/indicators").get_data(as_text=True)
    assert "Доля детей в возрасте от 10 до 19 лет" in page and 'value="mentees"' in page
    response = _post(admin, "/monitoring/indicators/new", {"name": "Доля педагогов-наставников",
                                                           "numerator": "mentors", "denominator": "teachers"},
                     page="/monitoring/indicators")
    assert response.status_code == 302
    rows = {r.code: r for r in _rows(app, Indicator)}
    assert set(rows) == {"mentees_10_19", "mentors_15_19", "young_specialists", "enterprises", "custom_1"}
    url = f"/monitoring/indicators/{rows['custom_1'].id}/edit"
    assert _post(admin, url, {"name": "Пары на педагога", "numerator": "pairs", "denominator": "teachers",
                              "retired": "y"}, page="/monitoring/indicators").status_code == 302
    custom = _rows(app, Indicator, code="custom_1")[0]
    assert (custom.name, custom.numerator_fact, custom.retired) == ("Пары на педагога", "pairs", True)
    bad = _post(admin, "/monitoring/indicators/new", {"name": "X", "numerator": "teachers", "denominator": "pupils"},
                page="/monitoring/indicators")
    assert bad.status_code == 200 and "is-invalid" in bad.get_data(as_text=True)
    refused = _post(admin, f"/monitoring/indicators/{rows['enterprises'].id}/edit",
                    {"name": "Доля предприятий", "numerator": "mentors"}, page="/monitoring/indicators")
    assert refused.status_code == 200 and "alert-danger" in refused.get_data(as_text=True)
    assert _rows(app, Indicator, code="enterprises")[0].numerator_fact == "enterprises_with_mentors"
    other = _client(app, login, tree, "r1m1s1.admin")
    token = csrf_token_from(other.get("/", follow_redirects=True))
    assert other.post(url, data={"name": "x", "csrf_token": token}).status_code == 404
    assert len(_rows(app, Indicator)) == 5


def test_a_standard_indicator_renamed_before_any_save(app, admin):
    response = _post(admin, "/monitoring/indicators", {"code": "enterprises", "name": "Доля предприятий-партнёров"})
    assert response.status_code == 302
    rows = {r.code: r for r in _rows(app, Indicator)}
    assert len(rows) == 4 and rows["enterprises"].name == "Доля предприятий-партнёров"


def test_reference_figures_and_the_data_quality_warning(app, tree, admin):
    with app.app_context():
        with SchoolFacts(tree, "r1m1s1") as s:
            s.contingent(2026, pupils_10_19=100)
            s.pair(s.teacher(), [s.pupil(date(2012, 3, 1)) for _ in range(3)])
        aggregate_period(make_period(tree.ids["r1"], date(2026, 12, 20)))
    page = admin.get("/monitoring/figures").get_data(as_text=True)
    assert 'name="figure-2026-children_10_19"' in page and "alert-warning" not in page
    bad = _post(admin, "/monitoring/figures", {"figure-2026-children_10_19": "100",
                                               "figure-2026-children_15_19": "200"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "2026" in html.split('id="figure-problems"', 1)[1].split("</div>", 1)[0]
    assert not _rows(app, RegionFigure)
    ok = _post(admin, "/monitoring/figures", {"figure-2026-children_10_19": "2", "figure-2026-children_15_19": "1",
                                              "figure-2027-enterprises": "1 500"})
    assert ok.status_code == 302
    figures = {f.year: f for f in _rows(app, RegionFigure)}
    assert (figures[2026].children_10_19, figures[2026].children_15_19, figures[2027].enterprises) == (2, 1, 1500)
    warned = admin.get("/monitoring/figures").get_data(as_text=True)
    warning = warned.split("alert-warning", 1)[1].split("</div>", 1)[0]
    assert "20.12.2026" in warning and "(2)" in warning and " 3" in warning


def test_the_calendar(app, admin, analyst):
    page = admin.get("/monitoring/calendar").get_data(as_text=True)
    options = re.findall(r'<option[^>]*value="([^"]+)"', page.split('name="time_zone"', 1)[1])
    assert options[:2] == ["Europe/Kaliningrad", "Europe/Moscow"]
    assert re.search(r'<option selected value="Europe/Moscow">|<option value="Europe/Moscow" selected', page)
    month_1 = page.split('name="reference_month_1"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option selected value="(\d+)"', month_1) == ["6"]  # 20 June by default
    bad = _post(admin, "/monitoring/calendar", CALENDAR | {"reference_day_1": "31"})
    assert bad.status_code == 200 and "31" in bad.get_data(as_text=True).split('id="calendar-problems"', 1)[1]
    assert not _rows(app, RegionSettings)
    out_of_range = _post(admin, "/monitoring/calendar", CALENDAR | {"school_report_day": "32"})
    assert out_of_range.status_code == 200 and "is-invalid" in out_of_range.get_data(as_text=True)
    assert not _rows(app, RegionSettings)
    ok = _post(admin, "/monitoring/calendar", CALENDAR | {"reference_day_2": "25", "time_zone": "Europe/Kirov"})
    assert ok.status_code == 302
    saved = _rows(app, RegionSettings)[0]
    assert (saved.reference_day_2, saved.reference_month_2, saved.time_zone) == (25, 12, "Europe/Kirov")
    events = _rows(app, AuditEvent, action="region.settings_changed")
    assert len(events) == 1 and events[0].details["after"]["reference_day_2"] == 25
    assert 'value="25"' in analyst.get("/monitoring/calendar").get_data(as_text=True)
