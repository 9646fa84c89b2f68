"""Survey results through the web: the results page and its XLSX for a school and for the
ministry, the minimum group size on the page, the responses waiting for the next step of five,
another line's campaign (404), the trends page, constant query counts."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from core.extensions import db
from mentorship.surveys.models import SurveyCampaign, SurveyTemplate
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent
from tests.support.queries import queries_of_get
from tests.support.surveys import add_response, survey_world


def _client(app, login, email):
    client = app.test_client()
    login(client, email)
    return client


def _respond(app, tree, key, campaign_id, template_id, count, **kw):
    with app.app_context(), tenant_scope(tree.ids[key], tree.paths[key]):
        campaign = db.session.get(SurveyCampaign, campaign_id)
        template = db.session.get(SurveyTemplate, template_id)
        for _ in range(count):
            add_response(campaign, template, tree.ids[key], tree.ids[key[:4]], **kw)
        db.session.commit()


@pytest.fixture
def world(app, tree):
    with app.app_context():
        s = survey_world(tree)
    _respond(app, tree, "r1m1s1", s.region_campaign, s.region_template, 5, scales=(10, 10), text="=HYPERLINK(1)")
    _respond(app, tree, "r1m2s1", s.region_campaign, s.region_template, 5, scales=(1, 1), role="mentor")
    return s


def _workbook(response):
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.data))


def _rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_a_school_sees_its_own_respondents_of_a_region_campaign(app, tree, login, world):
    client = _client(app, login, tree.emails["r1m1s1.admin"])
    page = client.get(f"/surveys/campaigns/{world.region_campaign}/results")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="respondents">5<' in html and "Школа 1.1.1" in html
    assert 'id="satisfaction-index">100,0\u00a0%<' in html and 'id="results-waiting"' not in html
    assert 'id="breakdown-form"' in html and 'id="breakdown-school"' not in html
    assert "Школа 1.2.1" not in html  # the other municipal body's school is not counted or named
    assert "<svg" in html and f'id="table-q{world.questions[0]}"' in html
    assert "=HYPERLINK(1)" in html  # five texts, shown since n ≥ 5

    book = _workbook(client.get(f"/surveys/campaigns/{world.region_campaign}/results.xlsx"))
    summary = _rows(book.worksheets[0])
    assert summary[0][0] == "Региональный опрос удовлетворённости"
    assert summary[3][1] == 5 and summary[4][1] == 100  # respondents, satisfaction index
    assert [row[1:4] for row in summary[7:9]] == [[10, 10, 5], [10, 10, 5]]  # mean, median, answered per scale
    texts = book.worksheets[2]
    cells = [cell for row in texts.iter_rows() for cell in row if cell.value == "=HYPERLINK(1)"]
    assert len(cells) == 5 and all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    assert len(book.worksheets) == 3 + 2  # summary, distributions, texts, by form, by role
    with app.app_context(), unscoped("test"):
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "survey.results_exported"))
        assert event.org_id == tree.ids["r1m1s1"] and event.details["campaign_id"] == world.region_campaign
        assert event.details["respondents"] == 5


def test_the_ministry_sees_all_with_breakdowns_by_body_not_by_school(app, tree, login, world):
    client = _client(app, login, tree.emails["r1.staff"])  # the analyst reads results too
    html = client.get(f"/surveys/campaigns/{world.region_campaign}/results").get_data(as_text=True)
    assert 'id="respondents">10<' in html
    assert 'id="breakdown-municipality"' in html and "Управление 1.2" in html
    assert 'id="breakdown-school"' not in html and "Школа 1.1.1" not in html and "Школа 1.2.1" not in html

    book = _workbook(client.get(f"/surveys/campaigns/{world.region_campaign}/results.xlsx"))
    assert len(book.worksheets) == 3 + 3  # summary, distributions, texts, by form, by role, by body
    by_body = _rows(book.worksheets[-1])
    assert ["Управление 1.1", 5, 100.0] in [row[:3] for row in by_body]
    assert ["Управление 1.2", 5, 0.0] in [row[:3] for row in by_body]
    assert "Школа" not in str([_rows(sheet) for sheet in book.worksheets])
    distributions = _rows(book.worksheets[1])
    assert ["10", 5, pytest.approx(50.0)] in [row[:3] for row in distributions]  # 5 of 10 answered 10
    assert ["1", 5, pytest.approx(50.0)] in [row[:3] for row in distributions]


def test_a_municipal_body_sees_its_schools(app, tree, login, world):
    client = _client(app, login, tree.emails["r1m1.admin"])
    html = client.get(f"/surveys/campaigns/{world.region_campaign}/results").get_data(as_text=True)
    assert 'id="respondents">5<' in html and 'id="breakdown-school"' in html and "Школа 1.1.1" in html
    assert 'id="breakdown-municipality"' not in html
    # its school's campaign: six responses of r1m1s1, five published
    assert 'id="respondents">5<' in client.get(f"/surveys/campaigns/{world.campaign}/results").get_data(as_text=True)


def test_the_page_says_how_many_responses_wait_for_the_next_step_of_five(app, tree, login, world):
    client = _client(app, login, tree.emails["r1m1s1.admin"])
    with client.session_transaction() as s:
        s["lang"] = "en"
    html = client.get(f"/surveys/campaigns/{world.campaign}/results").get_data(as_text=True)  # six responses
    assert 'id="respondents">5<' in html and 'id="results-waiting"' in html
    assert ("1 more responses will be included when the next group of five is complete: results are published "
            "in groups of five so that no single answer can be singled out.") in html
    _respond(app, tree, "r1m1s1", world.campaign, world.region_template, 2)
    html = client.get(f"/surveys/campaigns/{world.campaign}/results").get_data(as_text=True)
    assert 'id="respondents">5<' in html and "3 more responses will be included" in html
    _respond(app, tree, "r1m1s1", world.campaign, world.region_template, 2)
    html = client.get(f"/surveys/campaigns/{world.campaign}/results").get_data(as_text=True)
    assert 'id="respondents">10<' in html and 'id="results-waiting"' not in html
    # below five: the "fewer than five" note alone
    _respond(app, tree, "r1m1s2", world.region_campaign, world.region_template, 3)
    sibling = _client(app, login, tree.emails["r1m1s2.admin"])
    html = sibling.get(f"/surveys/campaigns/{world.region_campaign}/results").get_data(as_text=True)
    assert 'id="results-suppressed"' in html and 'id="results-waiting"' not in html


def test_fewer_than_five_show_no_figures_on_the_page_or_in_the_workbook(app, tree, login, world):
    _respond(app, tree, "r1m1s2", world.region_campaign, world.region_template, 3, text="мой секрет")
    client = _client(app, login, tree.emails["r1m1s2.admin"])
    html = client.get(f"/surveys/campaigns/{world.region_campaign}/results").get_data(as_text=True)
    assert 'id="results-suppressed"' in html and 'id="respondents">3<' in html
    assert "мой секрет" not in html and "table-q" not in html and "breakdown-" not in html and "<figure" not in html
    book = _workbook(client.get(f"/surveys/campaigns/{world.region_campaign}/results.xlsx"))
    assert len(book.worksheets) == 1
    assert "мой секрет" not in str(_rows(book.worksheets[0]))

    empty = _client(app, login, tree.emails["r1m2s2.admin"])
    assert 'id="results-empty"' in empty.get(f"/surveys/campaigns/{world.region_campaign}/results").get_data(
        as_text=True)


def test_another_lines_campaign_is_not_found(app, tree, login, world):
    other_region = _client(app, login, tree.emails["r2.admin"])
    sibling = _client(app, login, tree.emails["r1m1s2.admin"])
    for client, campaign in ((other_region, world.region_campaign), (other_region, world.campaign),
                             (sibling, world.campaign)):
        assert client.get(f"/surveys/campaigns/{campaign}/results").status_code == 404
        assert client.get(f"/surveys/campaigns/{campaign}/results.xlsx").status_code == 404
    assert other_region.get("/surveys/campaigns/999999/results").status_code == 404


def test_trends_page_and_its_empty_state(app, tree, login, world):
    client = _client(app, login, tree.emails["r1.admin"])
    html = client.get("/surveys/trends").get_data(as_text=True)
    assert f'id="trend-{"a" * 32}"' in html and "Региональный опрос удовлетворённости" in html
    assert "Итоговое анкетирование школы" in html and "<svg" in html
    assert 'id="trends-empty"' in client.get("/surveys/trends?purpose=start").get_data(as_text=True)
    assert client.get("/surveys/trends?purpose=nonsense").status_code == 200
    other = _client(app, login, tree.emails["r2.admin"])
    assert 'id="trends-empty"' in other.get("/surveys/trends").get_data(as_text=True)


def test_the_results_page_costs_the_same_queries_for_more_responses(app, tree, login, world):
    client = _client(app, login, tree.emails["r1.admin"])
    url = f"/surveys/campaigns/{world.region_campaign}/results"

    def count() -> int:
        return queries_of_get(app, client, url)

    before = count()
    _respond(app, tree, "r1m1s2", world.region_campaign, world.region_template, 200, text="ещё", role="mentor")
    assert count() == before
