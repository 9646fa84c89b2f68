"""Answering a survey: link states, validation of every kind of question, the single-use spend
of a link, the anonymous response, and the printed sheets' short codes."""
from __future__ import annotations

import threading
import time
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from core.extensions import db
from mentorship.surveys import sheets as survey_sheets
from mentorship.surveys.answers import AnswerRefused, resolve_invitation, resolve_link, submit, validate
from mentorship.surveys.links import make_link_token
from mentorship.surveys.models import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    SurveyAnswer,
    SurveyCampaign,
    SurveyInvitation,
    SurveyResponse,
)
from tenants.context import tenant_scope, unscoped
from tests.support.school import make_mentee
from tests.support.surveys import count_rows, survey_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _english(ctx):
    """The messages are asserted in English (the Russian catalogue is the default)."""
    with force_locale("en"):
        yield


@pytest.fixture
def world(ctx, tree):
    return survey_world(tree)


def _good(world) -> MultiDict:
    q = world.questions
    return MultiDict([(f"q{q[0]}", "8"), (f"q{q[1]}", "10"), (f"q{q[2]}", "1"), (f"q{q[3]}", "0"),
                      (f"q{q[3]}", "2"), (f"q{q[4]}", "Хороший"), (f"q{q[5]}", "Больше встреч\r\nи проектов")])


def _set(model, row_id, **values):
    with unscoped("tests.surveys.set"):
        row = db.session.get(model, row_id)
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


def _invitation(world):
    with unscoped("tests.surveys.read"):
        return db.session.get(SurveyInvitation, world.invitation)


# --- link states ----------------------------------------------------------------------------

def test_a_genuine_link_opens_the_questionnaire(world):
    link = resolve_link(make_link_token(world.invitation), TODAY)
    assert link.state == "ok" and link.invitation_id == world.invitation
    assert link.title == "Итоговое анкетирование школы" and link.expires_on == date(2026, 12, 31)
    assert [q.id for q in link.questions] == world.questions
    assert [q.kind for q in link.questions] == ["scale", "scale", "single", "multiple", "short_text", "long_text"]
    assert link.questions[2].options == ("Да", "Нет", "Не знаю") and link.questions[3].required is False


def test_a_changed_character_or_an_unknown_invitation_is_invalid(world):
    token = make_link_token(world.invitation)
    for i in (len(token) - 3, len(token) // 2, 2):
        tampered = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1:]
        assert resolve_link(tampered, TODAY).state == "invalid", i
    assert resolve_link("not-a-token", TODAY).state == "invalid"
    assert resolve_link(make_link_token(10**9), TODAY).state == "invalid"


@pytest.mark.parametrize("change, state", [
    ({"status": "answered"}, "used"),
    ({"status": "cancelled", "cancel_reason": "consent_withdrawn"}, "cancelled"),
    ({"status": "expired"}, "expired"),
    ({"expires_on": date(2026, 11, 19)}, "expired"),
])
def test_the_invitation_decides_the_state(world, change, state):
    _set(SurveyInvitation, world.invitation, **change)
    assert resolve_link(make_link_token(world.invitation), TODAY).state == state


@pytest.mark.parametrize("change", [{"status": "closed"}, {"status": "draft"}, {"opens_on": date(2026, 11, 21)},
                                    {"closes_on": date(2026, 11, 19), "opens_on": date(2026, 11, 1)}])
def test_a_closed_or_not_yet_open_campaign_takes_no_answers(world, change):
    _set(SurveyCampaign, world.campaign, **change)
    assert resolve_link(make_link_token(world.invitation), TODAY).state == "expired"
    before = count_rows(SurveyResponse)
    with pytest.raises(AnswerRefused) as refused:
        submit(world.invitation, validate(resolve_invitation_ok(world), _good(world))[0], TODAY)
    assert refused.value.state == "expired"
    db.session.rollback()
    assert count_rows(SurveyResponse) == before and _invitation(world).status == "sent"


def resolve_invitation_ok(world):
    """The questionnaire of the world's campaign, whatever the link's state (for validation)."""
    from types import SimpleNamespace

    from mentorship.surveys.models import SurveyTemplate

    with unscoped("tests.surveys.read"):
        campaign = db.session.get(SurveyCampaign, world.campaign)
        template = db.session.get(SurveyTemplate, campaign.template_id)
        return SimpleNamespace(questions=list(template.questions))


# --- validation -----------------------------------------------------------------------------

def test_valid_answers_become_values(world):
    link = resolve_link(make_link_token(world.invitation), TODAY)
    values, errors = validate(link, _good(world))
    q = world.questions
    assert errors == {}
    assert values == {q[0]: 8, q[1]: 10, q[2]: 1, q[3]: [0, 2], q[4]: "Хороший", q[5]: "Больше встреч\nи проектов"}


def test_optional_questions_may_stay_empty(world):
    link = resolve_link(make_link_token(world.invitation), TODAY)
    q = world.questions
    values, errors = validate(link, MultiDict([(f"q{q[0]}", "1"), (f"q{q[1]}", "1"), (f"q{q[2]}", "0"),
                                               (f"q{q[4]}", "   ")]))
    assert errors == {} and values == {q[0]: 1, q[1]: 1, q[2]: 0}


@pytest.mark.parametrize("index, typed, fragment", [
    (0, ["0"], "from 1 to 10"),
    (0, ["11"], "from 1 to 10"),
    (1, ["seven"], "from 1 to 10"),
    (1, ["5", "6"], "from 1 to 10"),
    (0, [], "required"),
    (2, [], "required"),
    (2, ["3"], "offered"),
    (2, ["-1"], "offered"),
    (3, ["0", "0"], "offered"),
    (3, ["1", "7"], "offered"),
    (3, ["x"], "offered"),
    (4, ["я" * (SHORT_TEXT_MAX + 1)], "too long"),
    (5, ["я" * (LONG_TEXT_MAX + 1)], "too long"),
])
def test_each_bad_answer_gets_a_message_naming_the_question(world, index, typed, fragment):
    link = resolve_link(make_link_token(world.invitation), TODAY)
    data = _good(world)
    name = f"q{world.questions[index]}"
    data.setlist(name, typed)
    values, errors = validate(link, data)
    assert list(errors) == [world.questions[index]]
    assert fragment in errors[world.questions[index]]
    assert errors[world.questions[index]].startswith(f"Question {index + 1}:")
    assert world.questions[index] not in values


def test_texts_at_the_limit_are_kept_whole(world):
    link = resolve_link(make_link_token(world.invitation), TODAY)
    data = _good(world)
    data.setlist(f"q{world.questions[4]}", ["я" * SHORT_TEXT_MAX])
    data.setlist(f"q{world.questions[5]}", ["ж" * LONG_TEXT_MAX])
    values, errors = validate(link, data)
    assert errors == {}
    assert len(values[world.questions[4]]) == SHORT_TEXT_MAX and len(values[world.questions[5]]) == LONG_TEXT_MAX


def test_a_nul_character_is_dropped_and_the_answer_saved(world):
    """PostgreSQL refuses NUL in text: a crafted answer must not end in a 500 (nor spend the link)."""
    link = resolve_link(make_link_token(world.invitation), TODAY)
    data = _good(world)
    data.setlist(f"q{world.questions[5]}", ["Больше\x00 встреч"])
    values, errors = validate(link, data)
    assert errors == {} and values[world.questions[5]] == "Больше встреч"
    submit(world.invitation, values, TODAY)
    db.session.commit()
    with unscoped("tests.surveys"):
        texts = db.session.scalars(sa.select(SurveyAnswer.text).where(SurveyAnswer.text.is_not(None))).all()
    assert "Больше встреч" in texts


# --- saving ---------------------------------------------------------------------------------

RESPONSE_COLUMNS = {"id", "org_id", "org_path", "campaign_id", "role", "form_code", "municipal_id", "submitted_on"}
ANSWER_COLUMNS = {"id", "org_id", "org_path", "response_id", "campaign_id", "question_id", "value", "text"}


def test_the_stored_response_is_anonymous_and_complete(world, tree):
    assert set(SurveyResponse.__table__.columns.keys()) == RESPONSE_COLUMNS  # no invitation, no person, no time
    assert set(SurveyAnswer.__table__.columns.keys()) == ANSWER_COLUMNS
    link = resolve_link(make_link_token(world.invitation), TODAY)
    values, _errors = validate(link, _good(world))
    before = {r for r in _response_ids()}
    submit(world.invitation, values, TODAY)
    db.session.commit()
    assert _invitation(world).status == "answered"
    with unscoped("tests.surveys.read"):
        (response,) = db.session.scalars(sa.select(SurveyResponse).where(SurveyResponse.id.not_in(before))).all()
        assert response.org_id == tree.ids["r1m1s1"] and response.municipal_id == tree.ids["r1m1"]
        assert response.org_path == tree.paths["r1m1s1"]
        assert (response.campaign_id, response.role, response.form_code) == (world.campaign, "mentor", "teacher_pupil")
        assert response.submitted_on == TODAY and type(response.submitted_on) is date
        answers = sorted((a.question_id, a.value, a.text) for a in response.answers)
    q = world.questions
    assert answers == sorted([(q[0], 8, None), (q[1], 10, None), (q[2], 1, None), (q[3], 0, None), (q[3], 2, None),
                              (q[4], None, "Хороший"), (q[5], None, "Больше встреч\nи проектов")])


def _response_ids():
    with unscoped("tests.surveys.read"):
        return list(db.session.scalars(sa.select(SurveyResponse.id)))


def test_two_respondents_on_the_same_day_cannot_be_matched_to_their_invitations(world, tree):
    """The e-mail invitation and the paper one, answered the same day: the responses carry the
    day and no key back, and answering changes nothing on an invitation but its status (no
    time is recorded there either), so neither side tells which invitation gave which response."""
    link = resolve_link(make_link_token(world.invitation), TODAY)
    columns = [c for c in SurveyInvitation.__table__.columns.keys() if c != "status"]

    def snapshot():
        with unscoped("tests.surveys.read"):
            return db.session.execute(sa.select(*[SurveyInvitation.__table__.c[c] for c in columns])
                                      .order_by(SurveyInvitation.id)).all()

    invitations_before, responses_before = snapshot(), set(_response_ids())
    submit(world.paper_invitation, validate(link, _good(world))[0], TODAY)
    submit(world.invitation, validate(link, _good(world))[0], TODAY)
    db.session.commit()
    assert snapshot() == invitations_before
    with unscoped("tests.surveys.read"):
        rows = db.session.execute(
            sa.select(SurveyResponse.__table__).where(SurveyResponse.id.not_in(responses_before))).mappings().all()
    assert len(rows) == 2
    for row in rows:
        assert set(row.keys()) == RESPONSE_COLUMNS
        assert row["submitted_on"] == TODAY and row["org_id"] == tree.ids["r1m1s1"]


def test_a_link_is_spent_by_the_first_answer(world):
    link = resolve_link(make_link_token(world.invitation), TODAY)
    values = validate(link, _good(world))[0]
    submit(world.invitation, values, TODAY)
    db.session.commit()
    responses, answers = count_rows(SurveyResponse), count_rows(SurveyAnswer)
    with pytest.raises(AnswerRefused) as refused:
        submit(world.invitation, values, TODAY)
    db.session.rollback()
    assert refused.value.state == "used"
    assert (count_rows(SurveyResponse), count_rows(SurveyAnswer)) == (responses, answers)
    assert resolve_link(make_link_token(world.invitation), TODAY).state == "used"


@pytest.mark.parametrize("change, state", [
    ({"expires_on": date(2026, 11, 19)}, "expired"),
    ({"status": "cancelled"}, "cancelled"),
    ({"status": "expired"}, "expired"),
])
def test_an_expired_or_cancelled_invitation_saves_nothing(world, change, state):
    link = resolve_link(make_link_token(world.invitation), TODAY)
    values = validate(link, _good(world))[0]
    _set(SurveyInvitation, world.invitation, **change)
    before = (count_rows(SurveyResponse), count_rows(SurveyAnswer))
    with pytest.raises(AnswerRefused) as refused:
        submit(world.invitation, values, TODAY)
    db.session.rollback()
    assert refused.value.state == state
    assert (count_rows(SurveyResponse), count_rows(SurveyAnswer)) == before


def test_a_paper_invitation_answered_by_its_code_is_the_same_flow(world):
    invitation_id = survey_sheets.find_by_code(" abcde-23456 ")
    assert invitation_id == world.paper_invitation
    assert survey_sheets.find_by_code("ABCDE-23457") is None and survey_sheets.find_by_code("") is None
    link = resolve_invitation(invitation_id, TODAY)
    assert link.ok
    before = count_rows(SurveyResponse)
    submit(invitation_id, validate(link, _good(world))[0], TODAY)
    db.session.commit()
    assert count_rows(SurveyResponse) == before + 1
    assert resolve_invitation(invitation_id, TODAY).state == "used"


@pytest.mark.backends("postgresql")
def test_two_submissions_at_once_store_one_response(app, world):
    """Thread A spends the link and holds its transaction open; thread B submits meanwhile (its
    conditional UPDATE waits on A's row lock); A commits; B finds the link spent."""
    link = resolve_link(make_link_token(world.invitation), TODAY)
    values = validate(link, _good(world))[0]
    before = count_rows(SurveyResponse)
    a_flushed, a_may_commit = threading.Event(), threading.Event()
    outcome: dict[str, str] = {}

    def first():
        with app.app_context():
            try:
                submit(world.invitation, values, TODAY)
                a_flushed.set()
                a_may_commit.wait(10)
                db.session.commit()
                outcome["a"] = "saved"
            except AnswerRefused as refused:
                outcome["a"] = refused.state
            finally:
                a_flushed.set()
                db.session.remove()

    def second():
        with app.app_context():
            try:
                submit(world.invitation, values, TODAY)
                db.session.commit()
                outcome["b"] = "saved"
            except AnswerRefused as refused:
                db.session.rollback()
                outcome["b"] = refused.state
            finally:
                db.session.remove()

    thread_a = threading.Thread(target=first)
    thread_a.start()
    assert a_flushed.wait(10)
    thread_b = threading.Thread(target=second)
    thread_b.start()
    time.sleep(0.5)  # B reaches the UPDATE and waits for A's lock
    assert "b" not in outcome, "B must wait for A's transaction"
    a_may_commit.set()
    thread_a.join(10)
    thread_b.join(10)
    assert outcome == {"a": "saved", "b": "used"}
    assert count_rows(SurveyResponse) == before + 1


# --- printed sheets -------------------------------------------------------------------------

def _paper(tree, world, name: str, *, code=None, status="pending") -> int:
    with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        mentee = make_mentee(tree.ids["r1m1s1"], name)
        invitation = SurveyInvitation(org_id=tree.ids["r1m1s1"], campaign_id=world.campaign,
                                      recipient_key=f"mentee:{mentee.id}", role="mentee", participant_id=mentee.id,
                                      channel="paper", status=status, expires_on=date(2026, 12, 31), short_code=code)
        db.session.add(invitation)
        db.session.commit()
        return invitation.id


def test_sheets_give_each_open_paper_invitation_a_unique_code(app, world, tree, monkeypatch):
    from tenants.models import Organization

    new = _paper(tree, world, "Орлова Мария")
    _paper(tree, world, "Зайцев Глеб", status="answered")
    codes = iter(["ABCDE23456", "ZZZZZ99999"])  # the first collides with the world's code
    monkeypatch.setattr(survey_sheets, "new_short_code", lambda: next(codes))
    with app.test_request_context(), tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        sheets = survey_sheets.sheets_for(world.campaign, school, TODAY)
        db.session.commit()
        assert [s.recipient for s in sheets] == ["Кузнецов Павел", "Орлова Мария"]
        assert [s.code for s in sheets] == ["ABCDE-23456", "ZZZZZ-99999"]
        assert sheets[0].school == "Школа 1.1.1" and sheets[0].campaign_title == "Итоговое анкетирование школы"
        assert sheets[0].code_url.endswith("/s/") and sheets[1].qr_svg.startswith("<svg")
        # printing again keeps the codes
        again = survey_sheets.sheets_for(world.campaign, school, TODAY)
        assert [s.code for s in again] == ["ABCDE-23456", "ZZZZZ-99999"]
    assert survey_sheets.find_by_code("zzzzz 99999") == new
