"""The questionnaire pages through the client: the list along the line (with the region's
defaults made on the ministry's first visit), the editor without JavaScript, versions, archive,
copy; bad input re-rendered with messages and nothing saved; managing only by the owner."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask_babel import gettext
from markupsafe import escape

from core.extensions import db
from mentorship.surveys.models import SurveyCampaign, SurveyQuestion, SurveyTemplate
from mentorship.surveys.questionnaires import MESSAGES
from tenants.context import tenant_scope, unscoped
from tests.conftest import csrf_token_from
from tests.support.bulk import insert_rows, owner
from tests.support.queries import queries_of_get
from tests.support.surveys import count_rows, make_campaign, make_template

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _t(app, text, **kwargs) -> str:
    with app.test_request_context():
        return str(escape(gettext(text, **kwargs)))


def _shows_message(app, code, html) -> bool:
    """The message as the page shows it (lazy messages are not escaped again by Jinja)."""
    with app.test_request_context():
        message = str(MESSAGES[code])
    return message in html or str(escape(message)) in html


@pytest.fixture
def signed_in(app, tree, login):
    def _client(who):
        client = app.test_client()
        login(client, tree.emails[who])
        return client

    return _client


@pytest.fixture
def school(signed_in):
    return signed_in("r1m1s1.admin")


@pytest.fixture
def ministry(signed_in):
    return signed_in("r1.admin")


def _as(app, tree, key, fn):
    with app.app_context(), tenant_scope(tree.ids[key], tree.paths[key]):
        result = fn()
        db.session.commit()
        return result


def _region_template(app, tree, *, used=False) -> int:
    def make():
        template = make_template(tree.ids["r1"], "Региональная анкета удовлетворённости")
        if used:
            make_campaign(tree.ids["r1"], template)
        return template.id

    return _as(app, tree, "r1", make)


def _school_template(app, tree, key="r1m1s1", title="Анкета куратора школы") -> int:
    return _as(app, tree, key, lambda: make_template(
        tree.ids[key], title, audience=("curator",), purpose="programme_quality",
        questions=[{"kind": "long_text", "text": "Сильные стороны программы"}]).id)


def _post(client, url, data, page_url=None):
    token = csrf_token_from(client.get(page_url or url))
    return client.post(url, data={**data, "csrf_token": token})


def _editor_data(**kw) -> dict:
    data = {
        "title": "Анкета после встречи", "description": "", "purpose": "intermediate", "audience": ["mentor", "mentee"],
        "questions-0-text": "Насколько полезной была встреча?", "questions-0-kind": "scale",
        "questions-0-required": "y", "questions-0-in_index": "y",
        "questions-1-text": "", "questions-1-kind": "scale",  # a blank row: ignored
        "questions-2-text": "Какой формат удобнее?", "questions-2-kind": "single",
        "questions-2-options": "Очно\r\nОнлайн\r\n", "questions-2-required": "y",
        "questions-3-text": "", "questions-3-kind": "scale", "questions-3-required": "y",
    }
    data.update(kw)
    return data


def _count(app, model) -> int:
    with app.app_context():
        return count_rows(model)


def _templates(app, **where):
    with app.app_context(), unscoped("tests.surveys"):
        stmt = sa.select(SurveyTemplate).filter_by(**where).order_by(SurveyTemplate.id)
        return [(t.id, t.org_id, t.title, t.version, t.is_current, t.status,
                 [(q.position, q.kind, q.text, q.options) for q in t.questions])
                for t in db.session.scalars(stmt)]


# --- the list ----------------------------------------------------------------------------------

def test_the_ministrys_first_visit_publishes_the_default_questionnaires(app, tree, ministry, school):
    html = ministry.get("/surveys/templates").get_data(as_text=True)
    assert "Удовлетворённость участием в программе наставничества" in html
    assert "Оценка качества реализации программы наставничества (анкета куратора)" in html
    ministry.get("/surveys/templates")
    assert len(_templates(app, org_id=tree.ids["r1"])) == 6
    # a school of the region sees them as coming from above, named with their owner's level
    html = school.get("/surveys/templates?owner=above").get_data(as_text=True)
    assert "Ожидания наставляемого в начале программы" in html
    assert "Министерство 1" in html and _t(app, "Ministry") in html


def test_the_list_shows_the_line_and_filters(app, tree, school, signed_in):
    _region_template(app, tree)
    _school_template(app, tree)
    _school_template(app, tree, "r1m1s2", "Чужая анкета соседней школы")
    html = school.get("/surveys/templates").get_data(as_text=True)
    assert "Региональная анкета удовлетворённости" in html and "Анкета куратора школы" in html
    assert "Чужая анкета соседней школы" not in html
    mine = school.get("/surveys/templates?owner=mine").get_data(as_text=True)
    assert "Анкета куратора школы" in mine and "Региональная анкета" not in mine
    by_purpose = school.get("/surveys/templates?purpose=programme_quality").get_data(as_text=True)
    assert "Анкета куратора школы" in by_purpose and "Региональная анкета" not in by_purpose
    by_audience = school.get("/surveys/templates?audience=mentee").get_data(as_text=True)
    assert "Региональная анкета" in by_audience and "Анкета куратора школы" not in by_audience
    found = school.get("/surveys/templates?q=куратора").get_data(as_text=True)
    assert "Анкета куратора школы" in found and "Региональная анкета" not in found
    nothing = school.get("/surveys/templates?q=нет такой").get_data(as_text=True)
    assert 'id="no-templates"' in nothing and _t(app, "Nothing found.") in nothing
    empty = signed_in("r2m2s2.admin").get("/surveys/templates").get_data(as_text=True)
    assert _t(app, "No questionnaires yet.") in empty


def test_old_versions_are_listed_only_on_request(app, tree, ministry):
    template_id = _region_template(app, tree, used=True)
    response = _post(ministry, f"/surveys/templates/{template_id}/edit",
                     _editor_data(title="Региональная анкета, версия 2"))
    assert response.status_code == 302
    current = ministry.get("/surveys/templates?owner=mine").get_data(as_text=True)
    assert "версия 2" in current and "Региональная анкета удовлетворённости" not in current
    everything = ministry.get("/surveys/templates?owner=mine&all=1").get_data(as_text=True)
    assert "версия 2" in everything and "Региональная анкета удовлетворённости" in everything


# --- the editor --------------------------------------------------------------------------------

def test_new_questionnaire_with_more_rows_blank_rows_ignored(app, tree, school):
    page = school.get("/surveys/templates/new").get_data(as_text=True)
    assert len(re.findall(r'name="questions-\d+-text"', page)) == 5
    more = _post(school, "/surveys/templates/new", {**_editor_data(), "more": "1"})
    assert more.status_code == 200 and _count(app, SurveyTemplate) == 0
    html = more.get_data(as_text=True)
    assert len(re.findall(r'name="questions-\d+-text"', html)) == 9 and "Насколько полезной была встреча?" in html
    response = _post(school, "/surveys/templates/new", _editor_data())
    assert response.status_code == 302
    [(template_id, org_id, title, version, current, status, questions)] = _templates(app)
    assert response.headers["Location"].endswith(f"/surveys/templates/{template_id}")
    assert (org_id, title, version, current, status) == (tree.ids["r1m1s1"], "Анкета после встречи", 1, True,
                                                         "active")
    assert questions == [(1, "scale", "Насколько полезной была встреча?", []),
                         (2, "single", "Какой формат удобнее?", ["Очно", "Онлайн"])]
    show = school.get(response.headers["Location"]).get_data(as_text=True)
    assert "Онлайн" in show and 'type="radio"' in show and _t(app, "%(n)d campaign(s)", n=0) in show


@pytest.mark.parametrize("change,code", [
    ({"title": ""}, "title_required"),
    ({"audience": []}, "audience_required"),
    ({"questions-2-options": "Очно"}, "too_few_options"),
    ({"questions-2-options": "Очно\nочно"}, "duplicate_options"),
    ({"questions-0-text": "", "questions-0-in_index": "", "questions-0-help_text": "подсказка"}, "text_required"),
    ({"questions-2-in_index": "y"}, "in_index_not_scale"),
    ({"questions-0-text": "", "questions-0-in_index": "", "questions-2-text": "", "questions-2-options": ""},
     "no_questions"),
])
def test_bad_input_is_shown_and_nothing_saved(app, tree, school, change, code):
    response = _post(school, "/surveys/templates/new", _editor_data(**change))
    assert response.status_code == 200
    assert _shows_message(app, code, response.get_data(as_text=True))
    assert _count(app, SurveyTemplate) == 0 and _count(app, SurveyQuestion) == 0


def test_editing_an_unused_questionnaire_changes_it_in_place(app, tree, school):
    template_id = _school_template(app, tree)
    page = school.get(f"/surveys/templates/{template_id}/edit").get_data(as_text=True)
    assert "Сильные стороны программы" in page and 'id="new-version-note"' not in page
    response = _post(school, f"/surveys/templates/{template_id}/edit", _editor_data(title="Исправленная"))
    assert response.headers["Location"].endswith(f"/surveys/templates/{template_id}")
    [(tid, _, title, version, _, _, questions)] = _templates(app)
    assert (tid, title, version, len(questions)) == (template_id, "Исправленная", 1, 2)


def test_editing_a_questionnaire_in_use_makes_a_new_version(app, tree, ministry):
    template_id = _region_template(app, tree, used=True)
    before = _templates(app, id=template_id)
    page = ministry.get(f"/surveys/templates/{template_id}/edit").get_data(as_text=True)
    assert 'id="new-version-note"' in page
    response = _post(ministry, f"/surveys/templates/{template_id}/edit", _editor_data(title="Вторая версия"))
    [old, new] = _templates(app)
    assert response.headers["Location"].endswith(f"/surveys/templates/{new[0]}")
    assert old[0] == template_id and old[2:4] == before[0][2:4] and old[4] is False and old[6] == before[0][6]
    assert new[2:5] == ("Вторая версия", 2, True)
    with app.app_context(), unscoped("tests"):
        assert db.session.scalar(sa.select(SurveyCampaign.template_id)) == template_id  # the campaign keeps v1
    show = ministry.get(f"/surveys/templates/{template_id}").get_data(as_text=True)
    assert f'/surveys/templates/{new[0]}"' in show and _t(app, "Version %(n)d", n=2) in show
    assert 'id="edit-template"' not in show  # an old version is not edited
    assert ministry.get(f"/surveys/templates/{template_id}/edit").status_code == 302


def test_archive_and_restore(app, tree, school):
    template_id = _school_template(app, tree)
    url = f"/surveys/templates/{template_id}"
    assert _post(school, f"{url}/archive", {"archived": "1"}, url).status_code == 302
    assert _templates(app)[0][5] == "archived"
    assert 'id="restore-template"' in school.get(url).get_data(as_text=True)
    assert _post(school, f"{url}/archive", {"archived": "0"}, url).status_code == 302
    assert _templates(app)[0][5] == "active"
    assert _post(school, f"{url}/archive", {"archived": "maybe"}, url).status_code == 400


def test_a_school_copies_the_region_questionnaire_and_manages_its_copy(app, tree, school):
    template_id = _region_template(app, tree)
    url = f"/surveys/templates/{template_id}"
    page = school.get(url).get_data(as_text=True)
    assert 'id="copy-template"' in page and 'id="edit-template"' not in page
    response = _post(school, f"{url}/copy", {}, url)
    [source, copy] = _templates(app)
    assert response.headers["Location"].endswith(f"/surveys/templates/{copy[0]}")
    assert copy[1] == tree.ids["r1m1s1"] and copy[2] == source[2] and copy[6] == source[6]
    assert school.get(f"/surveys/templates/{copy[0]}/edit").status_code == 200


def test_only_the_owner_manages(app, tree, school, signed_in):
    template_id = _region_template(app, tree)
    url = f"/surveys/templates/{template_id}"
    assert school.get(url).status_code == 200  # seen along the line …
    assert school.get(f"{url}/edit").status_code == 404  # … but not managed
    token = csrf_token_from(school.get(url))
    assert school.post(f"{url}/edit", data={**_editor_data(), "csrf_token": token}).status_code == 404
    assert school.post(f"{url}/archive", data={"archived": "1", "csrf_token": token}).status_code == 404
    assert _templates(app)[0][2] == "Региональная анкета удовлетворённости" and _templates(app)[0][5] == "active"
    analyst = signed_in("r1.staff")
    assert analyst.get("/surveys/templates/new").status_code == 403
    assert analyst.get(f"{url}/edit").status_code == 404
    assert analyst.post(f"{url}/copy", data={"csrf_token": csrf_token_from(analyst.get(url))}).status_code == 403
    page = analyst.get("/surveys/templates").get_data(as_text=True)
    assert 'id="new-template"' not in page


# --- query count -------------------------------------------------------------------------------

_queries = queries_of_get


def _add_templates(app, tree, n, start):
    rows = []
    for i in range(n):
        key = ("r1", "r1m1", "r1m1s1")[i % 3]
        rows.append({**owner(tree, key), "family": f"bulk{start + i:028d}", "version": 1, "is_current": True,
                     "title": f"Анкета {start + i:04d}", "purpose": "other", "audience": ["mentor"],
                     "status": "active"})
    with app.app_context():
        insert_rows(SurveyTemplate, rows)
        db.session.commit()


def test_the_list_issues_the_same_queries_for_10_and_200_templates(app, tree, school, ministry):
    ministry.get("/surveys/templates")  # the defaults are in place before counting
    _add_templates(app, tree, 10, 0)
    urls = ["/surveys/templates", "/surveys/templates?owner=above&purpose=other&audience=mentor&q=Анкета&all=1",
            "/surveys/templates?owner=mine"]
    few = [_queries(app, client, url) for client in (school, ministry) for url in urls]
    _add_templates(app, tree, 190, 10)
    many = [_queries(app, client, url) for client in (school, ministry) for url in urls]
    assert few == many
