"""The expert bank through the web: a keeper adds an expert, a school finds them by area and
municipality and asks for help, the keeper answers, the school follows the status; withdrawal of
the display consent hides the expert at once; the expert with an account answers themselves."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import gettext
from markupsafe import escape

from core.extensions import db
from mentorship.experts.catalogue import REQUEST_STATUS_LABELS
from mentorship.experts.help_requests import RequestError
from mentorship.experts.models import Expert, ExpertRequest
from tenants.context import tenant_scope
from tenants.memberships import grant_membership
from tenants.models import Organization
from tenants.roles import Role
from tests.conftest import csrf_token_from
from tests.support.factories import make_user
from tests.unit.experts.support import make_expert, make_request

pytestmark = pytest.mark.backends("sqlite", "postgresql")

NEW_EXPERT = {
    "full_name": "Морозова Елена Викторовна", "kind": "methodologist", "position": "методист",
    "workplace": "Центр развития образования", "areas": ["methodology", "young_teachers"], "tags": "адаптация",
    "email": "morozova@cro-region.ru", "phone": "", "availability": "среда, очно", "user_id": "",
    "processing_consent_on": "2026-09-01", "display_consent": "y", "display_consent_on": "2026-09-01",
}


@pytest.fixture
def signed_in(app, tree, login):
    def _client(user_key: str):
        client = app.test_client()
        login(client, tree.emails[user_key])
        return client
    return _client


def shown(app, text) -> str:
    with app.test_request_context():
        return str(escape(gettext(text) if isinstance(text, str) else str(text)))


def _post(client, url, data, page=None, **kwargs):
    token = csrf_token_from(client.get(page or url, follow_redirects=True))
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def _experts(app, tree, key="r1m1") -> list[Expert]:
    with app.app_context(), tenant_scope(tree.ids[key], tree.paths[key]):
        return list(db.session.scalars(sa.select(Expert).order_by(Expert.id)))


def _request(app, tree, request_id, key="r1m1s1") -> ExpertRequest:
    with app.app_context(), tenant_scope(tree.ids[key], tree.paths[key]):
        return db.session.get(ExpertRequest, request_id)


def test_a_keeper_adds_an_expert_and_a_school_finds_and_asks_them(app, tree, signed_in):
    keeper = signed_in("r1m1.staff")
    response = _post(keeper, "/experts/new", NEW_EXPERT)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    [expert] = _experts(app, tree)
    assert expert.areas == "methodology,young_teachers" and expert.display_consent

    school = signed_in("r1m1s1.staff")
    page = school.get("/experts/", query_string={"area": "methodology",
                                                 "municipality": tree.ids["r1m1"]}).get_data(as_text=True)
    assert "Морозова Елена Викторовна" in page and "Управление 1.1" in page
    assert "Морозова" not in school.get("/experts/", query_string={"area": "career"}).get_data(as_text=True)
    assert "Морозова" in school.get("/experts/", query_string={"q": "центр развития"}).get_data(as_text=True)
    card = school.get(f"/experts/{expert.id}").get_data(as_text=True)
    assert "morozova@cro-region.ru" in card and 'id="ask-expert"' in card

    response = _post(school, f"/experts/{expert.id}/ask", {"topic": "", "text": ""})
    assert shown(app, "This field is required.") in response.get_data(as_text=True)
    response = _post(school, f"/experts/{expert.id}/ask", {
        "topic": "Семинар для молодых учителей", "text": "Просим провести семинар", "preferred_dates": "ноябрь"})
    assert response.status_code == 302
    request_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert _request(app, tree, request_id).status == "new"

    listing = keeper.get("/experts/requests").get_data(as_text=True)
    assert "Семинар для молодых учителей" in listing and "Школа 1.1.1" in listing
    response = _post(keeper, f"/experts/requests/{request_id}/decline", {"comment": ""},
                     page=f"/experts/requests/{request_id}", follow_redirects=True)
    assert shown(app, RequestError.MESSAGES["comment_required"]) in response.get_data(as_text=True)
    _post(keeper, f"/experts/requests/{request_id}/accept", {"comment": "Согласуем дату"},
          page=f"/experts/requests/{request_id}")
    status = school.get(f"/experts/requests/{request_id}").get_data(as_text=True)
    assert shown(app, REQUEST_STATUS_LABELS["accepted"]) in status and "Согласуем дату" in status
    _post(keeper, f"/experts/requests/{request_id}/close", {"outcome": "Семинар проведён 12 ноября"},
          page=f"/experts/requests/{request_id}")
    assert "Семинар проведён 12 ноября" in school.get(f"/experts/requests/{request_id}").get_data(as_text=True)
    assert _request(app, tree, request_id).status == "closed"
    outbox = {m["To"] for m in app.extensions.get("mail_outbox", [])}
    assert {"morozova@cro-region.ru", "r1m1-admin@test.ru", "r1m1s1-admin@test.ru", "r1m1s1-staff@test.ru"} <= outbox


def test_siblings_and_other_bodies_never_see_a_request(app, tree, signed_in):
    with app.app_context():
        expert_id = make_expert(tree)
        request_id = make_request(tree, expert_id)
    for who in ("r1m1s2.admin", "r1m2.admin", "r1.admin", "r2m1s1.admin"):
        client = signed_in(who)
        assert client.get(f"/experts/requests/{request_id}").status_code == 404, who
        assert "Адаптация молодого учителя" not in client.get("/experts/requests").get_data(as_text=True)
    assert signed_in("r1m1s1.admin").get(f"/experts/requests/{request_id}").status_code == 200


def test_withdrawing_the_display_consent_hides_the_expert_at_once(app, tree, signed_in):
    with app.app_context():
        expert_id = make_expert(tree)
    school = signed_in("r1m1s1.admin")
    assert school.get(f"/experts/{expert_id}").status_code == 200
    keeper = signed_in("r1m1.admin")
    response = _post(keeper, f"/experts/{expert_id}/display-consent/withdraw", {"on": "2026-10-01"},
                     page=f"/experts/{expert_id}")
    assert response.status_code == 302
    assert school.get(f"/experts/{expert_id}").status_code == 404
    assert school.get(f"/experts/{expert_id}/ask").status_code == 404
    assert "Соколова" not in school.get("/experts/").get_data(as_text=True)
    assert 'id="not-shown"' in keeper.get(f"/experts/{expert_id}").get_data(as_text=True)
    assert "Соколова" in keeper.get("/experts/?own=1").get_data(as_text=True)


def test_the_keepers_pages_are_the_keepers(app, tree, signed_in):
    with app.app_context():
        expert_id = make_expert(tree)
    assert signed_in("r1m1s1.admin").get("/experts/new").status_code == 404
    assert signed_in("r1m1s1.admin").get(f"/experts/{expert_id}/edit").status_code == 404
    assert signed_in("r1.staff").get("/experts/new").status_code == 403  # the analyst reads only
    assert signed_in("r1.admin").get(f"/experts/{expert_id}/edit").status_code == 404  # not its bank
    keeper = signed_in("r1m1.admin")
    page = keeper.get(f"/experts/{expert_id}/edit").get_data(as_text=True)
    assert 'name="municipality_id"' not in page  # a municipal body's experts work in its municipality
    assert 'name="municipality_id"' in signed_in("r1.admin").get("/experts/new").get_data(as_text=True)
    response = _post(keeper, f"/experts/{expert_id}/edit", {
        **NEW_EXPERT, "full_name": "Соколова Анна Петровна", "areas": [], "email": "bad"})
    page = response.get_data(as_text=True)
    assert shown(app, "Choose at least one area of expertise.") in page and shown(app, "This is not an e-mail address.") in page


def test_empty_states(app, tree, signed_in):
    school = signed_in("r1m1s1.admin")
    assert shown(app, "The expert bank is empty for now.") in school.get("/experts/").get_data(as_text=True)
    assert shown(app, "No requests yet.") in school.get("/experts/requests").get_data(as_text=True)
    assert shown(app, "No expert matches the search.") in school.get("/experts/?q=никто").get_data(as_text=True)


def test_a_school_asks_the_keeper_who_names_the_expert(app, tree, signed_in):
    with app.app_context():
        expert_id = make_expert(tree)
    school = signed_in("r1m1s1.staff")
    page = school.get("/experts/ask").get_data(as_text=True)
    assert "Управление 1.1" in page and "Министерство 1" in page
    response = _post(school, "/experts/ask", {"keeper_id": tree.ids["r1m1"], "topic": "Профориентация",
                                              "text": "Нужен представитель работодателя"})
    request_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    keeper = signed_in("r1m1.admin")
    page = keeper.get(f"/experts/requests/{request_id}").get_data(as_text=True)
    assert 'name="expert_id"' in page
    _post(keeper, f"/experts/requests/{request_id}/accept", {"expert_id": expert_id, "comment": ""},
          page=f"/experts/requests/{request_id}")
    assert _request(app, tree, request_id).expert_id == expert_id
    assert "Соколова Анна Петровна" in school.get(f"/experts/requests/{request_id}").get_data(as_text=True)


def test_the_expert_signs_in_and_answers_the_requests_to_them(app, tree, signed_in, login):
    with app.app_context():
        expert_id = make_expert(tree)
    keeper = signed_in("r1m1.admin")
    response = _post(keeper, f"/experts/{expert_id}/invite", {}, page=f"/experts/{expert_id}")
    assert response.status_code == 302
    assert any(m["To"] == "sokolova@iro-region.ru" for m in app.extensions.get("mail_outbox", []))
    with app.app_context(), tenant_scope(tree.ids["r1m1"], tree.paths["r1m1"]):  # the invitation accepted
        person = make_user("sokolova@iro-region.ru", "Соколова Анна Петровна")
        grant_membership(person, db.session.get(Organization, tree.ids["r1m1"]), Role.EXPERT)
        db.session.commit()
    with app.app_context():
        request_id = make_request(tree, expert_id)
    expert = app.test_client()
    login(expert, "sokolova@iro-region.ru")
    listing = expert.get("/experts/requests").get_data(as_text=True)  # the account is linked on the way
    assert "Адаптация молодого учителя" in listing
    assert _experts(app, tree)[0].user_id is not None
    page = expert.get(f"/experts/requests/{request_id}").get_data(as_text=True)
    assert 'id="accept-form"' in page and 'name="expert_id"' not in page
    _post(expert, f"/experts/requests/{request_id}/accept", {"comment": "Готова помочь"},
          page=f"/experts/requests/{request_id}")
    assert _request(app, tree, request_id).status == "accepted"
    assert expert.get("/experts/new").status_code == 403


def test_the_list_pages_cost_the_same_at_two_rows_and_at_a_full_page(app, tree, signed_in):
    from tests.support.queries import queries_and_page

    with app.app_context():
        for n in range(2):
            make_request(tree, make_expert(tree, full_name=f"Эксперт {n}"))
    keeper, school = signed_in("r1m1.admin"), signed_in("r1m1s1.staff")
    small = [queries_and_page(app, school, "/experts/")[0], queries_and_page(app, keeper, "/experts/requests")[0],
             queries_and_page(app, school, "/experts/requests")[0]]
    with app.app_context():
        for n in range(2, 20):
            make_request(tree, make_expert(tree, full_name=f"Эксперт {n}"))
    large = [queries_and_page(app, school, "/experts/")[0], queries_and_page(app, keeper, "/experts/requests")[0],
             queries_and_page(app, school, "/experts/requests")[0]]
    assert small == large
