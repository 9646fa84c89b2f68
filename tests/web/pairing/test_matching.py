"""Programmes, preferences and matching runs through the web: create and edit a programme
(bad input refused, nothing saved), record preferences, run matching, reassign a mentee
(over capacity refused), publish (all-or-nothing with the person named), discard; list pages
keep a constant number of queries."""
from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import event

from core.extensions import db
from mentorship.pairing.models import MatchingRun, MatchProposal, Mentorship, Preference, Programme
from mentorship.pairing.pairs import PairRuleError
from mentorship.people.models import Consent, MenteeProfile, MenteeRequest, MentorProfile, Participant
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.support.bulk import insert_rows, owner
from tests.support.school import make_mentee, make_mentor, make_programme

pytestmark = pytest.mark.backends("sqlite", "postgresql")

S = "r1m1s1"


@pytest.fixture
def curator(app, tree, login):
    client = app.test_client()
    login(client, tree.emails[f"{S}.staff"])
    return client


def _t(app, text, **kwargs) -> str:
    with app.test_request_context():
        return str(gettext(text, **kwargs))


def _in_school(app, tree, make):
    with app.app_context(), tenant_scope(tree.ids[S], tree.paths[S]):
        result = make()
        db.session.commit()
        return result


def _message(app, code) -> str:
    with app.test_request_context():
        return str(PairRuleError.MESSAGES[code])


def _read(app, make):
    with app.app_context(), unscoped("test"):
        return make()


def _post(client, url, data=None, page="/school/programmes"):
    token = csrf_token_from(client.get(page))
    return client.post(url, data={**(data or {}), "csrf_token": token})


@pytest.fixture
def cohort(app, tree):
    """A teacher–pupil programme; Anna (2 places, academic), Boris (1 place, adaptation);
    four pupils, two asking for each."""

    def make():
        org = tree.ids[S]
        programme = make_programme(org, "teacher_pupil", title="Учитель – ученик 2026")
        anna = make_mentor(org, "Анна Андреевна", capacity=2, competencies=["academic"])
        boris = make_mentor(org, "Борис Борисович", capacity=1, competencies=["adaptation"])
        kids = [make_mentee(org, f"Ученик {i}", requests=["academic" if i < 2 else "adaptation"]) for i in range(4)]
        return {"programme": programme.id, "anna": anna.id, "boris": boris.id, "kids": [k.id for k in kids]}

    return _in_school(app, tree, make)


def test_programmes_are_created_listed_and_edited(app, curator):
    empty = curator.get("/school/programmes")
    assert empty.status_code == 200 and 'id="programmes"' not in empty.get_data(as_text=True)
    page = curator.get("/school/programmes/new")
    html = page.get_data(as_text=True)
    assert "учитель – ученик с ОВЗ" in html and "2026/27" in html
    base = {"title": "Наставничество 2026", "form_code": "teacher_pupil", "school_year": "2026",
            "goals": "Повысить успеваемость", "meeting_gap_weeks": "3", "csrf_token": csrf_token_from(page)}
    for bad in ({"meeting_gap_weeks": "27"}, {"form_code": "no_such_form"}, {"title": ""}, {"school_year": "1999"}):
        response = curator.post("/school/programmes/new", data={**base, **bad})
        assert response.status_code == 200 and "is-invalid" in response.get_data(as_text=True)
    assert _read(app, lambda: db.session.scalar(sa.select(sa.func.count()).select_from(Programme))) == 0
    created = curator.post("/school/programmes/new", data=base)
    assert created.status_code == 302
    programme_id = int(re.search(r"/school/programmes/(\d+)$", created.headers["Location"]).group(1))
    show = curator.get(f"/school/programmes/{programme_id}").get_data(as_text=True)
    assert "Наставничество 2026" in show and "учитель – ученик" in show and "Повысить успеваемость" in show
    listing = curator.get("/school/programmes?q=2026").get_data(as_text=True)
    assert f"/school/programmes/{programme_id}" in listing
    assert f"/school/programmes/{programme_id}" not in curator.get("/school/programmes?q=нет такой").get_data(
        as_text=True)
    edit_url = f"/school/programmes/{programme_id}/edit"
    edited = _post(curator, edit_url, {**base, "title": "Новое название", "school_year": "2027",
                                       "meeting_gap_weeks": "5", "status": "closed"}, page=edit_url)
    assert edited.status_code == 302
    programme = _read(app, lambda: db.session.get(Programme, programme_id))
    assert (programme.title, programme.school_year, programme.meeting_gap_weeks, programme.status) == (
        "Новое название", 2027, 5, "closed")
    assert _read(app, lambda: db.session.scalar(sa.select(sa.func.count()).where(
        AuditEvent.action.in_(["programme.created", "programme.updated"])))) == 2


def test_the_form_of_a_programme_with_pairs_is_fixed(app, tree, curator, cohort):
    def pair():
        from mentorship.pairing.pairs import create_mentorship
        from mentorship.people.models import Participant

        programme = db.session.get(Programme, cohort["programme"])
        create_mentorship(programme, db.session.get(Participant, cohort["anna"]),
                          [db.session.get(Participant, cohort["kids"][0])], date(2026, 9, 15))

    _in_school(app, tree, pair)
    url = f"/school/programmes/{cohort['programme']}/edit"
    response = _post(curator, url, {"title": "x", "form_code": "teacher_teacher", "school_year": "2026",
                                    "meeting_gap_weeks": "3", "status": "active"}, page=url)
    assert response.status_code == 200 and "is-invalid" in response.get_data(as_text=True)
    assert _read(app, lambda: db.session.get(Programme, cohort["programme"]).form_code) == "teacher_pupil"
    show = curator.get(f"/school/programmes/{cohort['programme']}").get_data(as_text=True)
    assert re.search(r'id="programme-figures">1 ', show)


def test_preferences_are_recorded_listed_and_deleted(app, curator, cohort):
    url = f"/school/programmes/{cohort['programme']}/preferences"
    kid = cohort["kids"][2]
    page = curator.get(f"{url}?person={kid}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="preference-form"' in html and "Анна Андреевна" in html
    # A mentee names mentors only; the choices come in order, each once.
    for bad in ({"partner_1": str(cohort["kids"][0])}, {"partner_1": str(cohort["anna"]), "partner_2": str(
            cohort["anna"])}, {"partner_2": str(cohort["anna"])}):
        response = curator.post(url, data={"person": str(kid), "csrf_token": csrf_token_from(page), **bad})
        assert response.status_code == 200 and "is-invalid" in response.get_data(as_text=True)
    assert _read(app, lambda: db.session.scalar(sa.select(sa.func.count()).select_from(Preference))) == 0
    saved = curator.post(url, data={"person": str(kid), "partner_1": str(cohort["anna"]),
                                    "partner_2": str(cohort["boris"]), "csrf_token": csrf_token_from(page)})
    assert saved.status_code == 302
    rows = _read(app, lambda: db.session.execute(
        sa.select(Preference.from_id, Preference.to_id, Preference.rank).order_by(Preference.rank)).all())
    assert [tuple(r) for r in rows] == [(kid, cohort["anna"], 1), (kid, cohort["boris"], 2)]
    listing = curator.get(url).get_data(as_text=True)
    assert 'id="preferences"' in listing and "Ученик 2" in listing
    pref_id = _read(app, lambda: db.session.scalar(sa.select(Preference.id).where(Preference.rank == 2)))
    assert _post(curator, f"/school/preferences/{pref_id}/delete", page=url).status_code == 302
    assert _read(app, lambda: db.session.scalar(sa.select(sa.func.count()).select_from(Preference))) == 1
    # Someone who is not a candidate of the programme cannot be chosen.
    refused = curator.post(url, data={"person": "999999", "partner_1": str(cohort["anna"]),
                                      "csrf_token": csrf_token_from(page)})
    assert refused.status_code == 302
    assert _read(app, lambda: db.session.scalar(sa.select(sa.func.count()).select_from(Preference))) == 1


def _start(curator, cohort) -> int:
    show = f"/school/programmes/{cohort['programme']}"
    response = _post(curator, f"{show}/matching", page=show)
    assert response.status_code == 302
    return int(re.search(r"/school/matching/(\d+)$", response.headers["Location"]).group(1))


def test_a_run_is_reviewed_edited_and_published(app, curator, cohort):
    run_id = _start(curator, cohort)
    page = curator.get(f"/school/matching/{run_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Анна Андреевна" in html and "Борис Борисович" in html
    assert 'id="unmatched"' in html  # 4 mentees, 3 places
    assert escape(_t(app, "The mentors who fit have no free places left")) in html
    proposals = _read(app, lambda: {p.mentee_id: (p.id, p.mentor_id) for p in db.session.scalars(
        sa.select(MatchProposal).where(MatchProposal.run_id == run_id))})
    assert proposals[cohort["kids"][0]][1] == cohort["anna"] and proposals[cohort["kids"][1]][1] == cohort["anna"]
    waiting = next(pid for pid, mentor in proposals.values() if mentor is None)
    edit = f"/school/matching/proposals/{waiting}/edit"
    assert curator.get(edit).status_code == 200
    # Anna is full in this run: refused with the reason, nothing changes.
    refused = _post(curator, edit, {"mentor": str(cohort["anna"])}, page=edit)
    assert refused.status_code == 302
    follow = curator.get(refused.headers["Location"]).get_data(as_text=True)
    assert f"Анна Андреевна: {escape(_message(app, 'over_capacity'))}" in follow
    assert _read(app, lambda: db.session.get(MatchProposal, waiting).mentor_id) is None
    # Free one of Anna's places, then give it to the waiting mentee.
    first = proposals[cohort["kids"][0]][0]
    first_edit = f"/school/matching/proposals/{first}/edit"
    assert _post(curator, first_edit, {"mentor": ""}, page=first_edit).status_code == 302
    assert _post(curator, edit, {"mentor": str(cohort["anna"])}, page=edit).status_code == 302
    state = _read(app, lambda: (db.session.get(MatchProposal, waiting).mentor_id,
                                db.session.get(MatchProposal, waiting).edited))
    assert state == (cohort["anna"], True)
    published = _post(curator, f"/school/matching/{run_id}/publish", page=f"/school/matching/{run_id}")
    assert published.status_code == 302
    pairs = _read(app, lambda: [(m.mentor_id, len(m.members), m.matching_run_id) for m in db.session.scalars(
        sa.select(Mentorship).order_by(Mentorship.mentor_id))])
    assert sorted(pairs) == sorted([(cohort["anna"], 2, run_id), (cohort["boris"], 1, run_id)])
    assert _read(app, lambda: db.session.get(MenteeProfile, db.session.scalar(sa.select(MenteeProfile.id).where(
        MenteeProfile.participant_id == cohort["kids"][0]))).follow_up) == "continued_search"
    assert _read(app, lambda: db.session.get(MatchingRun, run_id).status) == "published"
    # A published run cannot be changed any more.
    assert _post(curator, f"/school/matching/{run_id}/discard", page=f"/school/matching/{run_id}").status_code == 302
    assert _read(app, lambda: db.session.get(MatchingRun, run_id).status) == "published"
    assert 'id="publish-run"' not in curator.get(f"/school/matching/{run_id}").get_data(as_text=True)
    runs = curator.get(f"/school/programmes/{cohort['programme']}").get_data(as_text=True)
    assert f"/school/matching/{run_id}" in runs


def test_publish_is_refused_whole_naming_the_person(app, tree, curator, cohort):
    run_id = _start(curator, cohort)

    def withdraw():
        consent = db.session.scalar(sa.select(Consent).where(Consent.participant_id == cohort["boris"]))
        consent.withdrawn_on = date.today()

    _in_school(app, tree, withdraw)
    response = _post(curator, f"/school/matching/{run_id}/publish", page=f"/school/matching/{run_id}")
    assert response.status_code == 302
    page = curator.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Борис Борисович: {escape(_message(app, 'no_consent'))}" in page
    assert _read(app, lambda: db.session.scalar(sa.select(sa.func.count()).select_from(Mentorship))) == 0
    assert _read(app, lambda: db.session.get(MatchingRun, run_id).status) == "draft"


def test_a_run_is_discarded(app, curator, cohort):
    run_id = _start(curator, cohort)
    response = _post(curator, f"/school/matching/{run_id}/discard", page=f"/school/matching/{run_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/school/programmes/{cohort['programme']}")
    assert _read(app, lambda: db.session.get(MatchingRun, run_id).status) == "discarded"


def _count_queries(app, client, url, pages: dict | None = None) -> int:
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.get(url)
        assert response.status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    if pages is not None:
        pages[url] = response.get_data(as_text=True)
    return len(statements)


def _grow(app, tree, cohort, n):
    """``n`` more programmes; ``n`` more eligible pupils (consent, profile, request), each naming
    Anna in the cohort's programme; ``n // 2`` more approved teacher mentors (over 500 in all at
    1,000: past a selectin load's chunk), in bulk."""
    row = owner(tree, S)
    with app.app_context():
        start = _read(app, lambda: db.session.scalar(sa.select(sa.func.count()).select_from(Programme)))
        insert_rows(Programme, [{**row, "title": f"Программа {start + i:04d}", "form_code": "teacher_pupil",
                                 "school_year": 2026} for i in range(n)])
        kids = insert_rows(Participant, [
            {**row, "full_name": f"Доп. ученик {start + i:04d}", "category": "pupil", "birth_date": date(2011, 5, 1),
             "birth_year": 2011, "in_mentee_bank": True, "in_mentor_bank": False} for i in range(n)])
        mentors = insert_rows(Participant, [
            {**row, "full_name": f"Доп. наставник {start + i:04d}", "category": "teacher", "birth_date": None,
             "birth_year": None, "in_mentee_bank": False, "in_mentor_bank": True} for i in range(n // 2)])
        insert_rows(Consent, [{**row, "participant_id": p, "given_by": "participant", "purpose": "участие",
                               "policy_version": "1.0", "given_on": date(2024, 9, 1)} for p in kids + mentors],
                    ids=False)
        insert_rows(MenteeProfile, [{**row, "participant_id": p} for p in kids], ids=False)
        insert_rows(MenteeRequest, [{**row, "participant_id": p, "kind": "academic", "source": "class_teacher"}
                                    for p in kids], ids=False)
        insert_rows(MentorProfile, [{**row, "participant_id": p, "capacity": 1, "competencies": ["career"],
                                     "preferred_forms": [], "approved": True} for p in mentors], ids=False)
        insert_rows(Preference, [{**row, "programme_id": cohort["programme"], "from_id": p, "to_id": cohort["anna"],
                                  "rank": 1} for p in kids], ids=False)
        db.session.commit()


def _copy_run(app, tree, cohort, run_id) -> int:
    """A draft run of the programme proposing, for every eligible pupil, what ``run_id`` proposed
    for one of its own (written in bulk: the solver's speed is the benchmark's business)."""
    row = owner(tree, S)

    def shapes():
        return [(p.mentor_id, p.score, p.reasons, p.unmatched_reason) for p in db.session.scalars(
            sa.select(MatchProposal).where(MatchProposal.run_id == run_id).order_by(MatchProposal.id))]

    shape = _read(app, shapes)
    kids = _read(app, lambda: db.session.scalars(
        sa.select(Participant.id).where(Participant.in_mentee_bank.is_(True)).order_by(Participant.id)).all())
    with app.app_context():
        [run] = insert_rows(MatchingRun, [{**row, "programme_id": cohort["programme"], "status": "draft",
                                           "mentors_count": 2, "mentees_count": len(kids)}])
        insert_rows(MatchProposal, [
            {**row, "run_id": run, "mentee_id": kid, "mentor_id": mentor, "score": score, "reasons": reasons,
             "unmatched_reason": unmatched}
            for kid, (mentor, score, reasons, unmatched) in zip(kids, shape * len(kids))])
        db.session.commit()
    return run


def test_list_pages_keep_a_constant_number_of_queries(app, tree, curator, cohort):
    programme_id = cohort["programme"]
    urls = ["/school/programmes", f"/school/programmes/{programme_id}/preferences",
            f"/school/programmes/{programme_id}/preferences?person={cohort['anna']}",
            f"/school/programmes/{programme_id}"]
    _grow(app, tree, cohort, 10)
    run_small = _start(curator, cohort)
    small = [_count_queries(app, curator, u) for u in urls + [f"/school/matching/{run_small}"]]
    _grow(app, tree, cohort, 990)
    run_large = _copy_run(app, tree, cohort, run_small)
    pages = {}
    large = [_count_queries(app, curator, u, pages) for u in urls + [f"/school/matching/{run_large}"]]
    assert small == large, (small, large)
    assert "Доп. ученик 0999" in pages[f"/school/matching/{run_large}"]  # every proposal is listed
    assert "Доп. ученик 0999" in pages[urls[2]]  # every candidate can be named
