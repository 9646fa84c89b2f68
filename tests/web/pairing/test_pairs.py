"""Pairs and groups through the web: the list with filters and a constant number of queries,
a pair made by hand (and refused with the reason, nothing saved), the card, the changes."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import gettext
from markupsafe import escape

from core.extensions import db
from mentorship.pairing.models import Mentorship, MentorshipEvent, MentorshipMentee
from mentorship.pairing.pairs import PairRuleError
from mentorship.people.models import Participant
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.support.bulk import insert_rows, owner
from tests.support.queries import queries_of_get
from tests.support.school import make_mentee, make_mentor, make_programme, school_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def world(app, tree):
    with app.app_context():
        return school_world(tree)


@pytest.fixture
def curator(app, tree, login):
    client = app.test_client()
    login(client, tree.emails["r1m1s1.staff"])
    return client


def _t(app, text, **kwargs) -> str:
    """``text`` as the page shows it (in the default language, whatever the catalogue holds)."""
    with app.test_request_context():
        return str(gettext(text, **kwargs))


def _message(app, code) -> str:
    with app.test_request_context():
        return str(PairRuleError.MESSAGES[code])


def _post(client, url, data=None, page="/school/pairs"):
    token = csrf_token_from(client.get(page))
    return client.post(url, data={**(data or {}), "csrf_token": token})


def _in_school(app, tree, make):
    with app.app_context(), tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        result = make()
        db.session.commit()
        return result


def _count(app, model, *where) -> int:
    with app.app_context(), unscoped("test"):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _audit(app, action) -> list[AuditEvent]:
    with app.app_context(), unscoped("test"):
        return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def _pair(app, pair_id):
    with app.app_context(), unscoped("test"):
        pair = db.session.get(Mentorship, pair_id)
        return {"status": pair.status, "members": [m.participant_id for m in pair.members], "ended_on": pair.ended_on,
                "decision": pair.decision, "end_reason": pair.end_reason,
                "events": [e.action for e in pair.events]}


# ---------------------------------------------------------------------------- list


def test_the_list_shows_pairs_with_form_and_filters(app, tree, world, curator):
    html = curator.get("/school/pairs").get_data(as_text=True)
    assert "Иванова Мария Петровна" in html and "Петров Илья" in html
    assert "учитель – ученик" in html and "Программа teacher_pupil" in html
    assert f'href="/school/pairs/{world.pair}"' in html

    def listed(query):
        page = curator.get(f"/school/pairs?{query}")
        assert page.status_code == 200
        return "Иванова Мария Петровна" in page.get_data(as_text=True)

    assert listed(f"programme={world.programme}") and listed("status=active") and listed("form=teacher_pupil")
    assert listed("q=петров") and listed("q=Иванова") and listed("q=Петров&status=active")
    assert not listed("status=completed") and not listed("form=pupil_pupil") and not listed("q=Сидорова")
    assert not listed(f"programme={world.programme + 999}")
    assert 'id="no-pairs"' in curator.get("/school/pairs?q=nobody").get_data(as_text=True)
    assert listed("status=bogus&programme=x")  # unknown filter values are ignored


def test_a_group_gets_a_badge_and_erased_people_are_not_named(app, tree, world, curator):
    def change():
        pair = db.session.get(Mentorship, world.pair)
        pair.members.append(MentorshipMentee(org_id=world.org_id, participant_id=world.spare))
        mentee = db.session.get(Participant, world.mentee)
        mentee.full_name, mentee.anonymised_at = "—", datetime(2026, 10, 1, tzinfo=UTC)

    _in_school(app, tree, change)
    html = curator.get("/school/pairs").get_data(as_text=True)
    assert _t(app, "group of %(n)d", n=2) in html
    assert _t(app, "Personal data erased") in html and "Сидорова Анна" in html
    assert "Петров Илья" not in html
    assert "Сидорова Анна" in curator.get("/school/pairs?q=Сидорова").get_data(as_text=True)


def test_an_empty_school_says_so(app, tree, curator):
    html = curator.get("/school/pairs").get_data(as_text=True)
    assert 'id="no-pairs"' in html and _t(app, "No pairs or groups yet. Make one by hand or publish a matching run.") in html


def _add_pairs(app, tree, world, n):
    """``n`` more pairs (every other one a group of two), ``n`` more people in the mentee bank
    and ``n`` more events in the history of the world's pair (mentees added and removed)."""
    row = owner(tree, "r1m1s1")
    with app.app_context():
        pairs = insert_rows(Mentorship, [
            {**row, "programme_id": world.programme, "form_code": "teacher_pupil", "mentor_id": world.mentor,
             "started_on": date(2026, 9, 1), "status": "active", "reasons": []} for _ in range(n)])
        insert_rows(MentorshipMentee, [{**row, "mentorship_id": p, "participant_id": world.spare} for p in pairs]
                    + [{**row, "mentorship_id": p, "participant_id": world.mentee} for p in pairs[1::2]])
        kids = insert_rows(Participant, [{**row, "full_name": f"Ученик {i:04d}", "category": "pupil",
                                          "in_mentee_bank": True} for i in range(n)])
        insert_rows(MentorshipEvent, [
            {**row, "mentorship_id": world.pair, "action": ("mentee_added", "mentee_removed")[i % 2],
             "note": f"participant:{kid}", "at": datetime(2026, 9, 16, tzinfo=UTC)}
            for i, kid in enumerate(kids)])
        db.session.commit()


def test_the_list_card_and_form_issue_the_same_queries_for_10_and_1000_rows(app, tree, world, curator):
    _add_pairs(app, tree, world, 9)
    urls = ["/school/pairs", "/school/pairs?q=Сидорова&status=active",
            f"/school/pairs?programme={world.programme}&form=teacher_pupil", f"/school/pairs/{world.pair}",
            "/school/pairs/new"]
    small = [queries_of_get(app, curator, url) for url in urls]
    _add_pairs(app, tree, world, 990)
    assert _count(app, Mentorship) == 1000
    assert [queries_of_get(app, curator, url) for url in urls] == small
    card = curator.get(f"/school/pairs/{world.pair}").get_data(as_text=True)
    assert "Ученик 0989" in card  # the history names the people it is about


# ---------------------------------------------------------------------------- new


def test_a_pair_made_by_hand(app, tree, world, curator):
    page = curator.get("/school/pairs/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Сидорова Анна" in html and "Иванова Мария Петровна" in html
    response = curator.post("/school/pairs/new", data={
        "programme": world.programme, "mentor": world.mentor, "mentees": [world.spare], "started_on": "2026-10-01",
        "planned_end_on": "2027-05-31", "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    pair_id = int(re.search(r"/school/pairs/(\d+)$", response.headers["Location"]).group(1))
    assert _pair(app, pair_id)["members"] == [world.spare]
    assert [e.object_id for e in _audit(app, "pair.created")] == [str(pair_id)]


def test_a_pair_breaking_a_rule_is_refused_with_the_reason_and_nothing_saved(app, tree, world, curator):
    ids = _in_school(app, tree, lambda: (
        make_mentee(world.org_id, "Без Согласия", consent=False).id,
        make_mentee(world.org_id, "Третий Ученик").id,
    ))
    no_consent, third = ids
    before = (_count(app, Mentorship), _count(app, MentorshipMentee), _count(app, MentorshipEvent))
    page = curator.get("/school/pairs/new")
    token = csrf_token_from(page)
    base = {"programme": world.programme, "mentor": world.mentor, "started_on": "2026-10-01", "csrf_token": token}

    response = curator.post("/school/pairs/new", data={**base, "mentees": [no_consent]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="mentees-errors"' in html  # beside the mentees
    assert f"Без Согласия: {_message(app, 'no_consent')}" in html

    # capacity 2, one place taken: a group of two is over capacity — the mentor is named
    response = curator.post("/school/pairs/new", data={**base, "mentees": [world.spare, third]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Иванова Мария Петровна: {_message(app, 'over_capacity')}" in html

    response = curator.post("/school/pairs/new", data={**base, "mentees": [world.mentee]})
    assert f"Петров Илья: {_message(app, 'already_paired')}" in response.get_data(as_text=True)

    response = curator.post("/school/pairs/new", data={**base, "mentees": []})
    assert response.status_code == 200 and "is-invalid" in response.get_data(as_text=True)
    assert (_count(app, Mentorship), _count(app, MentorshipMentee), _count(app, MentorshipEvent)) == before
    assert _audit(app, "pair.created") == []


def test_another_schools_people_cannot_be_chosen(app, tree, world, curator):
    with app.app_context(), tenant_scope(tree.ids["r1m1s2"], tree.paths["r1m1s2"]):
        stranger = make_mentee(tree.ids["r1m1s2"], "Чужой Ученик").id
        db.session.commit()
    assert "Чужой Ученик" not in curator.get("/school/pairs/new").get_data(as_text=True)
    response = _post(curator, "/school/pairs/new", {"programme": world.programme, "mentor": world.mentor,
                                                     "mentees": [stranger], "started_on": "2026-10-01"},
                     page="/school/pairs/new")
    assert response.status_code == 200 and _count(app, Mentorship) == 1


# ---------------------------------------------------------------------------- card


def test_the_card_shows_reasons_orders_history_and_is_audited(app, tree, world, curator):
    def reasons():
        pair = db.session.get(Mentorship, world.pair)
        pair.reasons = [["requests_covered", ["academic"]], ["mutual_preference"], ["from_the_future", 1], 42]

    _in_school(app, tree, reasons)
    response = curator.get(f"/school/pairs/{world.pair}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Петров Илья" in html and "учитель – ученик" in html
    with app.test_request_context():
        from mentorship.pairing.banks import REQUEST_KIND_LABELS
        from mentorship.pairing.matching import REASON_LABELS

        # the same words as on the matching page
        assert str(escape(str(REASON_LABELS["requests_covered"]) % {"kinds": REQUEST_KIND_LABELS["academic"]})) in html
        assert str(escape(REASON_LABELS["mutual_preference"])) in html
    assert "from_the_future" not in html
    assert "15-од" in html and f"/school/orders/{world.order}" in html
    assert 'id="history"' in html and _t(app, "Pair created") in html
    for endpoint, path in (("pairing.plan_show", "plan"), ("pairing.meetings", "meetings"),
                           ("pairing.completion", "completion")):
        assert (f"/school/pairs/{world.pair}/{path}\"" in html) == (endpoint in app.view_functions)
    [viewed] = _audit(app, "pair.viewed")
    assert viewed.object_id == str(world.pair) and viewed.org_id == world.org_id


def test_the_principal_sees_the_card_but_the_municipal_body_does_not(app, tree, world, login):
    principal = app.test_client()
    login(principal, tree.emails["r1m1s1.admin"])
    assert principal.get(f"/school/pairs/{world.pair}").status_code == 200
    above = app.test_client()
    login(above, tree.emails["r1m1.admin"])
    assert above.get(f"/school/pairs/{world.pair}").status_code == 404
    assert above.get("/school/pairs").status_code == 404


# ---------------------------------------------------------------------------- changes


def test_add_and_remove_a_mentee(app, tree, world, curator):
    url = f"/school/pairs/{world.pair}"
    response = _post(curator, f"{url}/mentees/add", {"mentee": world.spare, "on": "2026-10-01"}, page=url)
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert _pair(app, world.pair)["members"] == [world.mentee, world.spare]
    html = curator.get(url).get_data(as_text=True)
    assert "Сидорова Анна" in html and _t(app, "Mentee added") in html
    with app.app_context(), unscoped("test"):
        member = db.session.scalar(sa.select(MentorshipMentee.id).where(
            MentorshipMentee.mentorship_id == world.pair, MentorshipMentee.participant_id == world.mentee))
    response = _post(curator, f"{url}/mentees/{member}/remove", page=url)
    assert response.status_code == 302
    state = _pair(app, world.pair)
    assert state["members"] == [world.spare]
    assert state["events"] == ["created", "mentee_added", "mentee_removed"]
    assert len(_audit(app, "pair.mentee_added")) == 1 and len(_audit(app, "pair.mentee_removed")) == 1
    assert _post(curator, f"{url}/mentees/999999/remove", page=url).status_code == 404


def test_adding_over_capacity_is_refused_with_a_message(app, tree, world, curator):
    third = _in_school(app, tree, lambda: make_mentee(world.org_id, "Третий Ученик").id)
    url = f"/school/pairs/{world.pair}"
    _post(curator, f"{url}/mentees/add", {"mentee": world.spare, "on": "2026-10-01"}, page=url)
    response = _post(curator, f"{url}/mentees/add", {"mentee": third, "on": "2026-10-02"}, page=url)
    assert response.status_code == 302
    html = curator.get(url).get_data(as_text=True)
    assert f"Иванова Мария Петровна: {_message(app, 'over_capacity')}" in html
    assert _pair(app, world.pair)["members"] == [world.mentee, world.spare]
    assert len(_audit(app, "pair.mentee_added")) == 1


def test_complete_with_a_decision(app, tree, world, curator):
    url = f"/school/pairs/{world.pair}"
    response = _post(curator, f"{url}/complete", {"on": "2026-09-01", "decision": "finish"}, page=url)
    assert response.status_code == 302 and _pair(app, world.pair)["status"] == "active"  # before the start
    _post(curator, f"{url}/complete", {"on": "2027-05-20"}, page=url)  # no decision: refused by the form
    assert _pair(app, world.pair)["status"] == "active"
    response = _post(curator, f"{url}/complete", {"on": "2027-05-20", "decision": "continue", "note": "Итоги"},
                     page=url)
    state = _pair(app, world.pair)
    assert (state["status"], state["decision"], state["ended_on"]) == ("completed", "continue", date(2027, 5, 20))
    assert len(_audit(app, "pair.completed")) == 1
    html = curator.get(url).get_data(as_text=True)
    assert 'id="pair-actions"' not in html and "Итоги" in html


def test_end_early_needs_a_reason(app, tree, world, curator):
    url = f"/school/pairs/{world.pair}"
    _post(curator, f"{url}/end", {"on": "2026-12-01", "reason": ""}, page=url)
    assert _pair(app, world.pair)["status"] == "active" and _audit(app, "pair.ended_early") == []
    _post(curator, f"{url}/end", {"on": "2026-12-01", "reason": "Переезд семьи"}, page=url)
    state = _pair(app, world.pair)
    assert (state["status"], state["end_reason"]) == ("ended_early", "Переезд семьи")
    assert state["events"] == ["created", "ended_early"]
    assert len(_audit(app, "pair.ended_early")) == 1
    # an ended pair takes no more changes
    _post(curator, f"{url}/mentees/add", {"mentee": world.spare, "on": "2026-12-02"}, page=url)
    assert _pair(app, world.pair)["members"] == [world.mentee]


def test_a_closed_programme_is_not_offered(app, tree, world, curator):
    _in_school(app, tree, lambda: make_programme(world.org_id, "teacher_pupil", title="Закрытая", status="closed"))
    _in_school(app, tree, lambda: make_mentor(world.org_id, "Новый Наставник"))
    html = curator.get("/school/pairs/new").get_data(as_text=True)
    assert "Закрытая" not in html and "Новый Наставник" in html
