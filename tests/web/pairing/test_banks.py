"""The mentor and mentee banks through the web: lists with search and filters, the
questionnaire and the mentee's profile, requests, refusals, XLSX export with its audit event,
and list pages whose query count does not grow with the bank."""
from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from core.extensions import db
from mentorship.people.models import MenteeProfile, MenteeRequest, MentorProfile, Participant
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.support.school import make_participant, school_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")

S = "r1m1s1"


@pytest.fixture
def world(app, tree):
    with app.app_context():
        return school_world(tree)


@pytest.fixture
def curator(app, tree, login):
    client = app.test_client()
    login(client, tree.emails[f"{S}.staff"])
    return client


def _post(client, url, data=None, page=None):
    token = csrf_token_from(client.get(page or url, follow_redirects=True))
    return client.post(url, data={**(data or {}), "csrf_token": token})


def _person(app, tree, name, category="teacher", **fields) -> int:
    with app.app_context(), tenant_scope(tree.ids[S], tree.paths[S]):
        person = make_participant(tree.ids[S], name, category, **fields)
        db.session.commit()
        return person.id


def _get(app, model, ident):
    with app.app_context(), unscoped("test"):
        obj = db.session.get(model, ident)
        if obj is not None:
            db.session.expunge(obj)
        return obj


def _profile(app, model, participant_id):
    with app.app_context(), unscoped("test"):
        return db.session.scalar(sa.select(model).where(model.participant_id == participant_id))


def _rows(html: str, ids) -> dict:
    return {i: f'data-participant="{i}"' in html for i in ids}


# ---------------------------------------------------------------------------- lists


def test_mentor_bank_lists_searches_and_filters(app, tree, world, curator):
    other = _person(app, tree, "Орлова Нина")
    assert _post(curator, f"/school/participants/{other}/mentor-profile",
                 {"competencies": ["leadership"], "subjects": "история", "capacity": "2",
                  "interview_result": "pending", "training_status": "in_progress"}).status_code == 302
    page = curator.get("/school/banks/mentors")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert _rows(html, [world.mentor, other]) == {world.mentor: True, other: True}
    assert "1 / 2" in html  # the world's mentor: one active mentee of two places
    for query, expected in [
        ("q=история", {world.mentor: False, other: True}),  # by subject
        ("q=Иванова", {world.mentor: True, other: False}),
        ("competency=leadership", {world.mentor: False, other: True}),
        ("approved=yes", {world.mentor: True, other: False}),
        ("training=in_progress", {world.mentor: False, other: True}),
        ("category=pupil", {world.mentor: False, other: False}),
        ("competency=nonsense", {world.mentor: True, other: True}),  # an unknown code is ignored
    ]:
        found = curator.get(f"/school/banks/mentors?{query}")
        assert found.status_code == 200 and _rows(found.get_data(as_text=True), [world.mentor, other]) == expected, query
    empty = curator.get("/school/banks/mentors?q=нет такого").get_data(as_text=True)
    assert 'id="bank-no-match"' in empty and 'id="mentor-bank"' not in empty


def test_empty_banks_say_so(app, tree, curator):
    for url in ("/school/banks/mentors", "/school/banks/mentees"):
        html = curator.get(url).get_data(as_text=True)
        assert 'id="mentor-bank"' not in html and 'id="mentee-bank"' not in html
        assert 'id="bank-empty"' in html


def test_mentee_bank_lists_requests_pairs_and_follow_up(app, tree, world, curator):
    html = curator.get("/school/banks/mentees").get_data(as_text=True)
    assert _rows(html, [world.mentee, world.spare]) == {world.mentee: True, world.spare: True}
    for query, expected in [
        ("pair=with", {world.mentee: True, world.spare: False}),
        ("pair=without", {world.mentee: False, world.spare: True}),
        ("kind=career", {world.mentee: False, world.spare: True}),
        ("source=class_teacher", {world.mentee: True, world.spare: True}),
        ("source=parents", {world.mentee: False, world.spare: False}),
        ("q=Сидорова", {world.mentee: False, world.spare: True}),
    ]:
        found = curator.get(f"/school/banks/mentees?{query}").get_data(as_text=True)
        assert _rows(found, [world.mentee, world.spare]) == expected, query
    assert _post(curator, f"/school/participants/{world.spare}/mentee-profile",
                 {"interests": "робототехника", "follow_up": "psych_support"}).status_code == 302
    found = curator.get("/school/banks/mentees?follow_up=psych_support").get_data(as_text=True)
    assert _rows(found, [world.mentee, world.spare]) == {world.mentee: False, world.spare: True}
    # the export takes the same filters
    assert "mentees.xlsx?follow_up=psych_support" in found


# ---------------------------------------------------------------------------- the questionnaire


def test_questionnaire_adds_to_the_mentor_bank(app, tree, curator):
    teacher = _person(app, tree, "Смирнова Ольга")
    form = curator.get(f"/school/participants/{teacher}/mentor-profile")
    assert form.status_code == 200 and 'value="teacher_pupil"' in form.get_data(as_text=True)
    bad = _post(curator, f"/school/participants/{teacher}/mentor-profile", {"capacity": "0"})
    assert bad.status_code == 200 and 'is-invalid' in bad.get_data(as_text=True)
    assert _profile(app, MentorProfile, teacher) is None
    done = _post(curator, f"/school/participants/{teacher}/mentor-profile", {
        "competencies": ["career", "methodology"], "subjects": "химия", "preferred_forms": ["teacher_teacher"],
        "capacity": "4", "hours_per_month": "6", "interview_result": "passed", "training_status": "completed",
        "approved": "y", "publish_consent": "y"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/school/banks/mentors")
    profile = _profile(app, MentorProfile, teacher)
    assert profile.competencies == ["career", "methodology"] and profile.preferred_forms == ["teacher_teacher"]
    assert (profile.capacity, profile.hours_per_month, profile.approved, profile.publish_consent) == (4, 6, True, True)
    assert _get(app, Participant, teacher).in_mentor_bank
    # the form shows what was saved
    again = curator.get(f"/school/participants/{teacher}/mentor-profile").get_data(as_text=True)
    assert 'value="химия"' in again
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(AuditEvent.object_id).where(AuditEvent.action == "bank.mentor_added")) \
            == str(teacher)


def test_no_consent_no_bank(app, tree, curator):
    teacher = _person(app, tree, "Без Согласия", consent=False)
    page = curator.get(f"/school/participants/{teacher}/mentor-profile")
    assert 'alert-warning' in page.get_data(as_text=True)
    response = _post(curator, f"/school/participants/{teacher}/mentor-profile", {"capacity": "2"})
    assert response.status_code == 302 and "/mentor-profile" in response.headers["Location"]
    assert _profile(app, MentorProfile, teacher) is None and not _get(app, Participant, teacher).in_mentor_bank
    response = _post(curator, f"/school/participants/{teacher}/mentee-profile", {"follow_up": "none"})
    assert response.status_code == 302 and _profile(app, MenteeProfile, teacher) is None


def test_removal_refused_while_paired(app, tree, world, curator):
    response = _post(curator, f"/school/participants/{world.mentor}/mentor-profile/remove",
                     page=f"/school/participants/{world.mentor}/mentor-profile")
    assert response.status_code == 302 and _get(app, Participant, world.mentor).in_mentor_bank
    response = _post(curator, f"/school/participants/{world.mentee}/mentee-profile/remove",
                     page=f"/school/participants/{world.mentee}/mentee-profile")
    assert response.status_code == 302 and _get(app, Participant, world.mentee).in_mentee_bank
    response = _post(curator, f"/school/participants/{world.spare}/mentee-profile/remove",
                     page=f"/school/participants/{world.spare}/mentee-profile")
    assert response.status_code == 302 and not _get(app, Participant, world.spare).in_mentee_bank


# ---------------------------------------------------------------------------- mentees and requests


def test_mentee_profile_with_a_first_request_then_more_requests(app, tree, curator):
    pupil = _person(app, tree, "Ученица Новая", "pupil")
    missing_source = _post(curator, f"/school/participants/{pupil}/mentee-profile",
                           {"follow_up": "none", "request_kind": "adaptation"})
    assert missing_source.status_code == 200 and _profile(app, MenteeProfile, pupil) is None
    done = _post(curator, f"/school/participants/{pupil}/mentee-profile", {
        "interests": "театр", "follow_up": "none", "request_kind": "adaptation", "request_source": "psychologist",
        "request_note": "новенькая"})
    assert done.status_code == 302
    assert _get(app, Participant, pupil).in_mentee_bank and _profile(app, MenteeProfile, pupil).interests == "театр"
    page = f"/school/participants/{pupil}/mentee-profile"
    bad = _post(curator, f"/school/participants/{pupil}/requests/new", {"kind": "", "source": "self"}, page=page)
    assert bad.status_code == 200
    assert _post(curator, f"/school/participants/{pupil}/requests/new",
                 {"kind": "academic", "source": "parents", "note": "математика"}, page=page).status_code == 302
    with app.app_context(), unscoped("test"):
        requests = db.session.execute(sa.select(MenteeRequest.id, MenteeRequest.kind, MenteeRequest.source)
                                      .where(MenteeRequest.participant_id == pupil)
                                      .order_by(MenteeRequest.id)).all()
    assert [(r.kind, r.source) for r in requests] == [("adaptation", "psychologist"), ("academic", "parents")]
    assert _post(curator, f"/school/requests/{requests[0].id}/close", page=page).status_code == 302
    assert _get(app, MenteeRequest, requests[0].id).closed and not _get(app, MenteeRequest, requests[1].id).closed
    html = curator.get(page).get_data(as_text=True)
    assert f'data-request="{requests[0].id}"' in html


# ---------------------------------------------------------------------------- export


def _export_events(app):
    with app.app_context(), unscoped("test"):
        return [e.details for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "bank.exported").order_by(AuditEvent.id))]


def test_mentor_bank_export_honours_filters_and_is_audited(app, tree, world, curator):
    from openpyxl import load_workbook

    other = _person(app, tree, "Орлова Нина")
    _post(curator, f"/school/participants/{other}/mentor-profile", {"competencies": ["leadership"], "capacity": "2",
                                                                     "interview_result": "pending",
                                                                     "training_status": "none"})
    response = curator.get("/school/banks/mentors.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Иванова Мария Петровна", "Орлова Нина"]
    filtered = curator.get("/school/banks/mentors.xlsx?competency=leadership")
    rows = list(load_workbook(io.BytesIO(filtered.data)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Орлова Нина"]
    events = _export_events(app)
    assert [(e["bank"], e["rows"]) for e in events] == [("mentors", 2), ("mentors", 1)]
    assert events[1]["filters"] == {"competency": "leadership"}


def test_mentee_bank_export_leaves_out_erased_people(app, tree, world, curator):
    from openpyxl import load_workbook

    with app.app_context(), tenant_scope(tree.ids[S], tree.paths[S]):
        db.session.get(Participant, world.spare).anonymised_at = datetime(2026, 1, 1, tzinfo=UTC)
        db.session.commit()
    response = curator.get("/school/banks/mentees.xlsx?pair=with")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Петров Илья"]
    everyone = curator.get("/school/banks/mentees.xlsx")
    names = [r[0] for r in load_workbook(io.BytesIO(everyone.data)).active.iter_rows(values_only=True)]
    assert "Сидорова Анна" not in names and "Петров Илья" in names
    assert [(e["bank"], e["rows"]) for e in _export_events(app)] == [("mentees", 1), ("mentees", 1)]
    assert f'data-participant="{world.spare}"' not in curator.get("/school/banks/mentees").get_data(as_text=True)


def test_other_organisations_do_not_reach_the_banks(app, tree, world, login):
    for who in ("r1m1.admin", "r1.admin", "r1m1s2.admin"):
        client = app.test_client()
        login(client, tree.emails[who])
        for url in ("/school/banks/mentors", "/school/banks/mentees.xlsx"):
            response = client.get(url)
            if who == "r1m1s2.admin":  # another school: its own (empty) bank, never ours
                assert response.status_code == 200
                if url.endswith(".xlsx"):
                    from openpyxl import load_workbook

                    assert load_workbook(io.BytesIO(response.data)).active.max_row == 1  # the header only
                else:
                    assert "Иванова" not in response.get_data(as_text=True)
            else:
                assert response.status_code == 404


# ---------------------------------------------------------------------------- query counts


def _fill(app, tree, n: int) -> None:
    """``n`` mentors and ``n`` mentees in school S, with profiles and two requests each
    (written in bulk, as the test's own setup: the scope guards refuse ORM bulk inserts)."""
    org = {"org_id": tree.ids[S], "org_path": tree.paths[S]}
    with app.app_context(), unscoped("tests.banks.fill"):
        start = db.session.scalar(sa.select(sa.func.count(Participant.id)))
        people = [{**org, "full_name": f"Наставник {start + i:04d}", "category": "teacher", "in_mentor_bank": True}
                  for i in range(n)]
        people += [{**org, "full_name": f"Наставляемый {start + i:04d}", "category": "pupil", "in_mentee_bank": True}
                   for i in range(n)]
        ids = list(db.session.scalars(sa.insert(Participant).returning(Participant.id, sort_by_parameter_order=True),
                                      people))
        mentors, mentees = ids[:n], ids[n:]
        db.session.execute(sa.insert(MentorProfile), [
            {**org, "participant_id": i, "capacity": 2, "competencies": ["academic"], "preferred_forms": []}
            for i in mentors])
        db.session.execute(sa.insert(MenteeProfile), [{**org, "participant_id": i} for i in mentees])
        db.session.execute(sa.insert(MenteeRequest), [
            {**org, "participant_id": i, "kind": kind, "source": source}
            for i in mentees for kind, source in (("academic", "self"), ("career", "parents"))])
        db.session.commit()


def _count_queries(app, client, url) -> int:
    statements = []
    with app.app_context():
        engine = db.engine

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


LIST_URLS = ["/school/banks/mentors", "/school/banks/mentees", "/school/banks/mentors?free=y&competency=academic",
             "/school/banks/mentees?pair=without&kind=academic&source=self"]


def test_query_count_does_not_grow_with_the_bank(app, tree, world, curator):
    _fill(app, tree, 10)
    for url in LIST_URLS:
        curator.get(url)  # warm up
    small = [_count_queries(app, curator, url) for url in LIST_URLS]
    _fill(app, tree, 990)
    large = [_count_queries(app, curator, url) for url in LIST_URLS]
    assert small == large
    for url in LIST_URLS[2:]:  # the pager keeps the filters
        html = curator.get(url).get_data(as_text=True)
        link = re.search(r'<a class="page-link" href="([^"]*page=2[^"]*)"', html)
        assert link and all(arg in link.group(1).replace("&amp;", "&") for arg in url.split("?")[1].split("&"))
