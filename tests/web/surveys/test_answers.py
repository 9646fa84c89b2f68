"""The public answer pages through the test client, as an anonymous visitor: the questionnaire
in Russian, validation that keeps what was typed, the single-use link, the pages of a link that
cannot be used, and the printed-code page with its rate limit."""
from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from core.extensions import db
from mentorship.surveys.links import make_link_token, read_link_token
from mentorship.surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from tenants.context import unscoped
from tests.conftest import csrf_token_from
from tests.support.surveys import count_rows, survey_world

TODAY = date(2026, 11, 20)


@pytest.fixture
def world(app, tree, monkeypatch):
    import blueprints.surveys.answer_views as views

    monkeypatch.setattr(views, "region_today", lambda: TODAY)
    with app.app_context():
        return survey_world(tree)


@pytest.fixture
def link(app, world):
    with app.app_context():
        return f"/s/{make_link_token(world.invitation)}"


def _ru(app, msgid, **kwargs):
    with app.test_request_context(), force_locale("ru"):
        return gettext(msgid, **kwargs)


def _answers(world, **overrides):
    q = world.questions
    data = {f"q{q[0]}": "9", f"q{q[1]}": "7", f"q{q[2]}": "0", f"q{q[3]}": ["0", "1"], f"q{q[4]}": "Отличный",
            f"q{q[5]}": "Всё понравилось"}
    data.update({f"q{q[int(k[1:])]}": v for k, v in overrides.items()})
    return data


def _counts(app):
    with app.app_context():
        return count_rows(SurveyResponse), count_rows(SurveyAnswer)


def _status(app, invitation_id):
    with app.app_context(), unscoped("tests.surveys.read"):
        return db.session.get(SurveyInvitation, invitation_id).status


def test_an_anonymous_visitor_answers_once(app, world, link):
    client = app.test_client()
    page = client.get(link, headers={"Accept-Language": "en-US,en;q=0.9"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="ru">' in html  # Russian whatever the browser asks for
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    assert "Итоговое анкетирование школы" in html and "Насколько хорошо были организованы встречи?" in html
    assert _ru(app, "Send the answers") in html and "31" in html  # the date the link works until
    assert 'name="viewport"' in html and "navbar" not in html and "/school/" not in html
    assert html.count("<fieldset") == 6 and html.count("<legend") == 6
    assert 'maxlength="300"' in html and 'maxlength="4000"' in html
    before = _counts(app)

    done = client.post(link, data={**_answers(world), "csrf_token": csrf_token_from(page)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/s/done")
    thanks = client.get("/s/done")
    assert thanks.status_code == 200 and _ru(app, "Thank you!") in thanks.get_data(as_text=True)
    assert _counts(app) == (before[0] + 1, before[1] + 7)
    assert _status(app, world.invitation) == "answered"

    again = client.get(link)
    assert again.status_code == 410
    assert _ru(app, "This questionnaire has already been answered") in again.get_data(as_text=True)
    reposted = client.post(link, data={**_answers(world), "csrf_token": csrf_token_from(page)})
    assert reposted.status_code == 410 and _counts(app) == (before[0] + 1, before[1] + 7)


def test_bad_answers_are_shown_with_what_was_typed_and_nothing_is_saved(app, world, link):
    client = app.test_client()
    page = client.get(link)
    before = _counts(app)
    q = world.questions
    data = _answers(world, q0="11", q2=[], q4="ж" * 301)
    data.pop(f"q{q[2]}")
    response = client.post(link, data={**data, "csrf_token": csrf_token_from(page)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    for number, question_id, message in [
        (1, q[0], _ru(app, "Question %(number)d: choose a number from %(min)d to %(max)d.", number=1, min=1, max=10)),
        (3, q[2], _ru(app, "Question %(number)d: an answer is required.", number=3)),
    ]:
        assert html.count(message) == 2  # in the summary and beside the question
    assert f'href="#q{q[0]}-1"' in html and f'href="#q{q[2]}-0"' in html and f'href="#q{q[4]}-input"' in html
    assert f'aria-describedby="q{q[0]}-error"' in html and 'aria-invalid="true"' in html
    # what was typed is kept: the second scale, the chosen options, the texts
    assert re.search(rf'id="q{q[1]}-7" value="7"\s+checked', html)
    assert re.search(rf'id="q{q[3]}-1" value="1"\s+checked', html)
    assert "ж" * 301 in html and "Всё понравилось</textarea>" in html
    assert _counts(app) == before and _status(app, world.invitation) == "sent"


def test_a_link_that_cannot_be_used_gets_its_own_page(app, world, link):
    client = app.test_client()
    token = link.removeprefix("/s/")
    tampered = token[:-4] + ("A" if token[-4] != "A" else "B") + token[-3:]
    response = client.get(f"/s/{tampered}")
    assert response.status_code == 404
    assert _ru(app, "The link is not valid") in response.get_data(as_text=True)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = client.get(link)
    before = _counts(app)
    assert client.post(f"/s/{tampered}", data={**_answers(world), "csrf_token": csrf_token_from(page)}).status_code == 404
    assert _counts(app) == before

    with app.app_context(), unscoped("tests.surveys.set"):
        db.session.get(SurveyInvitation, world.invitation).expires_on = date(2026, 11, 19)
        db.session.commit()
    expired = client.get(link)
    assert expired.status_code == 410 and _ru(app, "The link has expired") in expired.get_data(as_text=True)
    with app.app_context(), unscoped("tests.surveys.set"):
        invitation = db.session.get(SurveyInvitation, world.invitation)
        invitation.expires_on, invitation.status = date(2026, 12, 31), "cancelled"
        db.session.commit()
    cancelled = client.get(link)
    assert cancelled.status_code == 410
    assert _ru(app, "The invitation has been cancelled") in cancelled.get_data(as_text=True)


def test_the_code_from_a_sheet_opens_the_questionnaire(app, world):
    client = app.test_client()
    page = client.get("/s/")
    assert page.status_code == 200 and 'name="code"' in page.get_data(as_text=True)
    wrong = client.post("/s/", data={"code": "ABCDE-99999", "csrf_token": csrf_token_from(page)})
    assert wrong.status_code == 200
    assert _ru(app, "There is no invitation with this code. Check the code and try again.") in wrong.get_data(as_text=True)
    right = client.post("/s/", data={"code": "abcde 23456", "csrf_token": csrf_token_from(page)})
    assert right.status_code == 302
    token = right.headers["Location"].rsplit("/s/", 1)[1]
    with app.app_context():
        assert read_link_token(token) == world.paper_invitation
    form = client.get(f"/s/{token}")
    assert form.status_code == 200 and "Итоговое анкетирование школы" in form.get_data(as_text=True)
    assert client.post(f"/s/{token}", data={**_answers(world), "csrf_token": csrf_token_from(form)}).status_code == 302
    assert _status(app, world.paper_invitation) == "answered"
    used = client.post("/s/", data={"code": "ABCDE23456", "csrf_token": csrf_token_from(page)}, follow_redirects=True)
    assert used.status_code == 410


def test_wrong_codes_are_rate_limited_per_address(app, world):
    client = app.test_client()
    token = csrf_token_from(client.get("/s/"))
    for n in range(10):
        assert client.post("/s/", data={"code": f"WRONG{n:05d}", "csrf_token": token}).status_code == 200
    refused = client.post("/s/", data={"code": "ABCDE23456", "csrf_token": token})
    assert refused.status_code == 429
    assert _ru(app, "Too many attempts") in refused.get_data(as_text=True)
    other = app.test_client()  # another address is not affected
    other_token = csrf_token_from(other.get("/s/"))
    assert other.post("/s/", data={"code": "ABCDE23456", "csrf_token": other_token},
                      environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 302


def test_right_codes_do_not_use_up_the_wrong_code_limit(app, world):
    """A class behind one address: many pupils typing their (right) codes get through."""
    client = app.test_client()
    token = csrf_token_from(client.get("/s/"))
    for _ in range(15):
        assert client.post("/s/", data={"code": "ABCDE23456", "csrf_token": token}).status_code == 302


def test_the_answer_post_needs_the_csrf_token(app, world, link):
    client = app.test_client()
    client.get(link)
    assert client.post(link, data=_answers(world)).status_code == 400
    with app.app_context(), unscoped("tests.surveys.read"):
        assert db.session.scalar(sa.select(SurveyInvitation.status).where(SurveyInvitation.id == world.invitation)) == "sent"
