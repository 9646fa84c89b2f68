"""Correcting what was entered wrongly, through the web: a pair corrected while no order fixes
it (refused with the order named once one does), a pair voided with a reason (kept, marked in
its order, listed only when asked for), a back-dated pair offering to record the paper
consents' real dates in the same form, the consent's own page for it, and a matching run
published with its start date and its unmet preferences said."""
from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import gettext
from markupsafe import escape

from core.extensions import db
from mentorship.pairing import matching as matching_runs
from mentorship.pairing.models import Mentorship, Preference
from mentorship.pairing.pairs import PairRuleError, create_mentorship
from mentorship.people.models import Consent, Participant
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.support.school import make_mentee, make_mentor, school_world

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
    with app.test_request_context():
        return str(gettext(text, **kwargs))


def _in_school(app, tree, make):
    with app.app_context(), tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        result = make()
        db.session.commit()
        return result


def _read(app, make):
    with app.app_context(), unscoped("test"):
        return make()


def _audit(app, action) -> list[AuditEvent]:
    return _read(app, lambda: db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all())


def _new_pair(app, tree, world, start=date(2025, 9, 1)) -> int:
    """A pair of the world's mentor with the spare mentee, no order: the year mistyped."""
    return _in_school(app, tree, lambda: create_mentorship(
        db.session.get(Mentorship, world.pair).programme, db.session.get(Participant, world.mentor),
        [db.session.get(Participant, world.spare)], start).id)


def _pair(app, pair_id):
    def read():
        pair = db.session.get(Mentorship, pair_id)
        return {"status": pair.status, "started_on": pair.started_on, "void_reason": pair.void_reason,
                "members": [m.participant_id for m in pair.members], "events": [e.action for e in pair.events]}
    return _read(app, read)


# ---------------------------------------------------------------------------- correcting


def test_a_pair_is_corrected_from_its_card(app, tree, world, curator):
    pair_id = _new_pair(app, tree, world)
    card = curator.get(f"/school/pairs/{pair_id}").get_data(as_text=True)
    assert f'href="/school/pairs/{pair_id}/edit"' in card and 'id="fixed-by-order"' not in card
    page = curator.get(f"/school/pairs/{pair_id}/edit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="2025-09-01"' in html
    response = curator.post(f"/school/pairs/{pair_id}/edit", data={
        "programme": world.programme, "mentor": world.mentor, "mentees": [world.spare], "started_on": "2026-09-01",
        "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/school/pairs/{pair_id}")
    pair = _pair(app, pair_id)
    assert pair["started_on"] == date(2026, 9, 1) and pair["events"] == ["created", "corrected"]
    assert [e.details for e in _audit(app, "pair.corrected")] == [{"fields": ["started_on"]}]
    card = curator.get(f"/school/pairs/{pair_id}").get_data(as_text=True)
    assert _t(app, "Corrected") in card and _t(app, "start date") in card


def test_a_correction_breaking_a_rule_is_refused_beside_the_field(app, tree, world, curator):
    pair_id = _new_pair(app, tree, world, date(2026, 9, 1))
    page = curator.get(f"/school/pairs/{pair_id}/edit")
    response = curator.post(f"/school/pairs/{pair_id}/edit", data={
        "programme": world.programme, "mentor": world.mentor, "mentees": [world.mentee], "started_on": "2026-09-01",
        "csrf_token": csrf_token_from(page)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="mentees-errors"' in html
    with app.test_request_context():
        assert str(escape(PairRuleError.MESSAGES["already_paired"])) in html
    assert _pair(app, pair_id)["members"] == [world.spare]


def test_an_ordered_pair_is_not_edited_and_the_card_says_why(app, tree, world, curator):
    card = curator.get(f"/school/pairs/{world.pair}").get_data(as_text=True)
    assert 'id="fixed-by-order"' in card and "15-од" in card
    assert f'href="/school/pairs/{world.pair}/edit"' not in card
    response = curator.get(f"/school/pairs/{world.pair}/edit")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="correction-refused"' in html and 'id="pair-form"' not in html
    assert "15-од" in html and "15.09.2026" in html  # the refusal names the order
    page = curator.get(f"/school/pairs/{world.pair}")
    response = curator.post(f"/school/pairs/{world.pair}/edit", data={
        "programme": world.programme, "mentor": world.mentor, "mentees": [world.mentee], "started_on": "2026-09-01",
        "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302 and _pair(app, world.pair)["started_on"] == date(2026, 9, 15)


# ---------------------------------------------------------------------------- voiding


def test_a_pair_entered_by_mistake_is_voided_with_a_reason(app, tree, world, curator):
    pair_id = _new_pair(app, tree, world)
    page = curator.get(f"/school/pairs/{pair_id}")
    assert f'action="/school/pairs/{pair_id}/void"' in page.get_data(as_text=True)
    response = curator.post(f"/school/pairs/{pair_id}/void", data={"reason": "  ", "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302 and _pair(app, pair_id)["status"] == "active"
    response = curator.post(f"/school/pairs/{pair_id}/void", data={
        "reason": "Пара введена с ошибкой в годе", "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    assert _pair(app, pair_id)["status"] == "voided"
    assert [e.details["reason"] for e in _audit(app, "pair.voided")] == ["Пара введена с ошибкой в годе"]
    card = curator.get(f"/school/pairs/{pair_id}").get_data(as_text=True)
    assert 'id="voided"' in card and "Пара введена с ошибкой в годе" in card
    assert f'action="/school/pairs/{pair_id}/void"' not in card and 'id="pair-actions"' not in card
    listed = curator.get("/school/pairs").get_data(as_text=True)
    assert f'href="/school/pairs/{pair_id}"' not in listed and f'href="/school/pairs/{world.pair}"' in listed
    assert f'href="/school/pairs/{pair_id}"' in curator.get("/school/pairs?status=voided").get_data(as_text=True)
    person = curator.get(f"/school/participants/{world.spare}").get_data(as_text=True)
    assert _t(app, "voided") in person


def test_a_voided_pair_is_marked_on_its_signed_order(app, tree, world, curator):
    page = curator.get(f"/school/pairs/{world.pair}")
    curator.post(f"/school/pairs/{world.pair}/void", data={"reason": "Введена дважды",
                                                            "csrf_token": csrf_token_from(page)})
    assert _pair(app, world.pair)["status"] == "voided"
    html = curator.get(f"/school/orders/{world.order}").get_data(as_text=True)
    assert 'data-voided="1"' in html and 'id="voided-note"' in html
    assert "Иванова Мария Петровна" in html  # the order stays as signed


# ---------------------------------------------------------------------------- consents


def _consent_dated(app, tree, participant_id, day: date) -> int:
    def change():
        consent = db.session.scalar(sa.select(Consent).where(Consent.participant_id == participant_id))
        consent.given_on = day
        return consent.id
    return _in_school(app, tree, change)


def test_a_back_dated_pair_offers_to_record_the_paper_consents_date(app, tree, world, curator):
    consent_id = _consent_dated(app, tree, world.spare, date(2026, 11, 1))  # entered through the form
    page = curator.get("/school/pairs/new")
    data = {"programme": world.programme, "mentor": world.mentor, "mentees": [world.spare],
            "started_on": "2026-09-01", "csrf_token": csrf_token_from(page)}
    response = curator.post("/school/pairs/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="late-consents"' in html
    assert f'data-consent="{consent_id}"' in html and "01.11.2026" in html and "01.09.2026" in html
    assert f'href="/school/consents/{consent_id}/date"' in html
    assert 'name="late_consents-0-given_on"' in html and 'value="2026-09-01"' in html
    # the date alone, not asked to record it: refused again, nothing saved
    response = curator.post("/school/pairs/new", data={**data, "late_consents-0-consent_id": str(consent_id),
                                                       "late_consents-0-given_on": "2026-08-28"})
    assert response.status_code == 200 and 'value="2026-08-28"' in response.get_data(as_text=True)
    response = curator.post("/school/pairs/new", data={
        **data, "late_consents-0-consent_id": str(consent_id), "late_consents-0-given_on": "2026-08-28",
        "record_consent_dates": "y"})
    assert response.status_code == 302
    pair_id = int(re.search(r"/school/pairs/(\d+)$", response.headers["Location"]).group(1))
    assert _pair(app, pair_id)["members"] == [world.spare]
    assert _read(app, lambda: db.session.get(Consent, consent_id).given_on) == date(2026, 8, 28)
    assert [e.details["to"] for e in _audit(app, "consent.date_corrected")] == ["2026-08-28"]


def test_a_consent_of_someone_else_is_not_corrected_through_the_pair_form(app, tree, world, curator):
    other = _in_school(app, tree, lambda: make_mentee(world.org_id, "Чужой Ученик").consents[0].id)
    _consent_dated(app, tree, world.spare, date(2026, 11, 1))
    page = curator.get("/school/pairs/new")
    response = curator.post("/school/pairs/new", data={
        "programme": world.programme, "mentor": world.mentor, "mentees": [world.spare], "started_on": "2026-09-01",
        "late_consents-0-consent_id": str(other), "late_consents-0-given_on": "2026-08-28",
        "record_consent_dates": "y", "csrf_token": csrf_token_from(page)})
    assert response.status_code == 400
    assert _audit(app, "consent.date_corrected") == []


def test_the_consent_page_records_the_real_date(app, tree, world, curator):
    consent_id = _consent_dated(app, tree, world.spare, date(2026, 11, 1))
    person = curator.get(f"/school/participants/{world.spare}").get_data(as_text=True)
    assert f'href="/school/consents/{consent_id}/date"' in person
    page = curator.get(f"/school/consents/{consent_id}/date")
    assert page.status_code == 200 and 'value="2026-11-01"' in page.get_data(as_text=True)
    token = csrf_token_from(page)
    response = curator.post(f"/school/consents/{consent_id}/date", data={"given_on": "2026-11-05", "csrf_token": token})
    assert response.status_code == 200 and "is-invalid" in response.get_data(as_text=True)  # only earlier
    response = curator.post(f"/school/consents/{consent_id}/date", data={"given_on": "2026-08-20", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/school/participants/{world.spare}")
    assert _read(app, lambda: db.session.get(Consent, consent_id).given_on) == date(2026, 8, 20)


# ---------------------------------------------------------------------------- matching


def test_a_run_is_published_with_its_start_date_and_says_the_unmet_preferences(app, tree, world, curator):
    def prepare():
        other = make_mentor(world.org_id, "Смирнов Павел Олегович", competencies=["career"], capacity=1)
        kid = make_mentee(world.org_id, "Орлов Денис", requests=["academic"])
        # Сидорова (career) named Иванова (academic, career); Смирнов covers her request alone
        db.session.execute(sa.delete(Preference))
        db.session.add(Preference(org_id=world.org_id, programme_id=world.programme, from_id=kid.id,
                                  to_id=other.id, rank=1))
        return other.id, kid.id

    other, kid = _in_school(app, tree, prepare)
    page = curator.get(f"/school/programmes/{world.programme}")
    response = curator.post(f"/school/programmes/{world.programme}/matching",
                            data={"csrf_token": csrf_token_from(page)})
    run_id = int(re.search(r"/school/matching/(\d+)$", response.headers["Location"]).group(1))
    html = curator.get(f"/school/matching/{run_id}").get_data(as_text=True)
    assert 'id="publish-started-on"' in html
    assert "Смирнов Павел Олегович" in html  # named in the unmet preference of Орлов
    with app.test_request_context():
        assert str(escape(matching_runs.REASON_LABELS["mentee_preference_unmet"] % {
            "name": "Смирнов Павел Олегович", "rank": 1, "why": str(matching_runs.UNMET_LABELS["others_fit_better"])
        })) in html
    response = curator.post(f"/school/matching/{run_id}/publish", data={
        "started_on": "2026-09-01", "csrf_token": csrf_token_from(curator.get(f"/school/matching/{run_id}"))})
    assert response.status_code == 302
    starts = _read(app, lambda: set(db.session.scalars(
        sa.select(Mentorship.started_on).where(Mentorship.matching_run_id == run_id))))
    assert starts == {date(2026, 9, 1)} and other and kid
