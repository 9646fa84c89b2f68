"""A mentor answers a survey from the e-mail a real SMTP server received, in a real browser on a
phone-sized screen: a missing required answer is reported (summary focused, the typed answer
kept), a scale is answered with the keyboard, the thank-you page follows, and a second use of
the link is refused. The database holds exactly one response.

The live server runs on the wall clock, so the campaign's dates are set around today."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from tenants.context import tenant_scope, unscoped
from tests.support.school import make_mentor
from tests.support.smtp import smtp_server
from tests.support.surveys import make_campaign, make_template

pytestmark = pytest.mark.needs("chromium")

EMAIL = "smirnova.mentor@example.org"


def _survey(app, tree):
    school_id, path = tree.ids["r1m1s1"], tree.paths["r1m1s1"]
    today = date.today()
    with app.app_context(), tenant_scope(school_id, path):
        template = make_template(school_id, "Анкета наставника")
        campaign = make_campaign(school_id, template, "Промежуточная обратная связь",
                                 opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=20))
        mentor = make_mentor(school_id, "Смирнова Ольга Ивановна", email=EMAIL)
        invitation = SurveyInvitation(org_id=school_id, campaign_id=campaign.id, recipient_key=f"mentor:{mentor.id}",
                                      role="mentor", participant_id=mentor.id, form_code="teacher_teacher",
                                      channel="email", address_kind="self", status="pending",
                                      expires_on=today + timedelta(days=20))
        db.session.add(invitation)
        db.session.commit()
        return campaign.id, invitation.id, [q.id for q in template.questions]


def _responses(app, campaign_id):
    with app.app_context(), unscoped("tests.e2e.read"):
        responses = db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)
                                      .where(SurveyResponse.campaign_id == campaign_id))
        answers = db.session.scalar(sa.select(sa.func.count()).select_from(SurveyAnswer)
                                    .where(SurveyAnswer.campaign_id == campaign_id))
        return responses, answers


def test_a_mentor_answers_from_the_e_mail_once(page, live_server):
    from mentorship.surveys.dispatch import send_pending

    app = live_server.app
    campaign_id, invitation_id, q = _survey(app, live_server.tree)
    with smtp_server() as mailbox:
        app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=mailbox.port,
                          SURVEY_MAIL_RATE=0, PUBLIC_BASE_URL=live_server.url)
        # As a worker does: an app context only, the links built on PUBLIC_BASE_URL.
        with app.app_context():
            assert send_pending(campaign_id, now=datetime.now(UTC)) == 1
        message = mailbox.only(EMAIL)
    body = message.get_content()
    match = re.search(r"(http://127\.0\.0\.1:\d+/s/[A-Za-z0-9._-]+)", body)
    assert match, body
    link = match.group(1)

    page.set_viewport_size({"width": 375, "height": 800})  # a phone
    response = page.goto(link)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Промежуточная обратная связь"
    assert page.locator("nav.navbar").count() == 0  # no staff navigation
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    # First try: the first scale and a text, the second scale and the single choice left out.
    page.locator(f"label[for=q{q[0]}-8]").click()
    page.locator(f"#q{q[4]}-input").fill("Продуктивный")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement && document.activeElement.id") == "error-summary"
    assert summary.locator("a").count() == 2
    assert page.locator(f"#q{q[1]}-error").is_visible() and page.locator(f"#q{q[2]}-error").is_visible()
    assert page.locator(f"#q{q[1]}-1").get_attribute("aria-invalid") == "true"
    assert page.locator(f"#q{q[0]}-8").is_checked()  # what was typed is kept
    assert page.locator(f"#q{q[4]}-input").input_value() == "Продуктивный"
    assert _responses(app, campaign_id) == (0, 0)

    # The summary's link leads to the question; the scale is answered with the keyboard.
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == f"q{q[1]}-1"
    page.keyboard.press("Space")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert page.locator(f"#q{q[1]}-6").is_checked()
    page.locator(f"label[for=q{q[2]}-0]").click()  # "Да"
    page.locator(f"label[for=q{q[3]}-2]").click()  # one of the optional options
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert urlsplit(page.url).path == "/s/done"
    assert page.locator("#survey-done").is_visible()

    again = page.goto(link)
    assert again.status == 410
    assert page.locator("#link-used").is_visible()

    assert _responses(app, campaign_id) == (1, 5)  # two scales, a choice, an option, a text
    with app.app_context(), unscoped("tests.e2e.read"):
        assert db.session.get(SurveyInvitation, invitation_id).status == "answered"
    assert not [text for _kind, text in page.console_messages if "Content Security Policy" in text]
    assert not page.page_errors
