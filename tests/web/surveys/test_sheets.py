"""Printed invitation sheets: the school's curator prints one sheet per paper invitation, with a
short code given on first print and a QR code of the direct link; audited; nobody else sees them."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.surveys.models import SurveyInvitation
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent
from tests.support.school import make_mentee
from tests.support.surveys import survey_world

TODAY = date(2026, 11, 20)


@pytest.fixture
def world(app, tree, monkeypatch):
    import blueprints.surveys.sheet_views as views

    monkeypatch.setattr(views, "region_today", lambda: TODAY)
    with app.app_context():
        world = survey_world(tree)
        with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
            pupil = make_mentee(tree.ids["r1m1s1"], "Орлова Мария Сергеевна")
            invitation = SurveyInvitation(
                org_id=tree.ids["r1m1s1"], campaign_id=world.campaign, recipient_key=f"mentee:{pupil.id}",
                role="mentee", participant_id=pupil.id, channel="paper", status="pending",
                expires_on=date(2026, 12, 31))
            db.session.add(invitation)
            db.session.commit()
            world.new_paper = invitation.id
    return world


def _client(app, login, email):
    client = app.test_client()
    login(client, email)
    return client


def _code(app, invitation_id):
    with app.app_context(), unscoped("tests.surveys.read"):
        return db.session.get(SurveyInvitation, invitation_id).short_code


def test_the_school_prints_sheets_with_codes_and_qr_codes(app, tree, login, world):
    assert _code(app, world.new_paper) is None
    curator = _client(app, login, tree.emails["r1m1s1.staff"])
    page = curator.get(f"/surveys/campaigns/{world.campaign}/sheets")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    code = _code(app, world.new_paper)
    assert code and len(code) == 10
    assert f"{code[:5]}-{code[5:]}" in html and "ABCDE-23456" in html
    assert "Кузнецов Павел" in html and "Орлова Мария Сергеевна" in html and "Смирнова" not in html  # e-mail: no sheet
    assert html.count('class="survey-sheet ') == 2 and html.count("<svg") == 2
    assert "http://nastavnik.test/s/" in html and 'data-print' in html and "js/print.js" in html
    with app.app_context(), unscoped("tests.read"):
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "survey.sheets_printed")).one()
        assert event.org_id == tree.ids["r1m1s1"] and event.object_id == str(world.campaign)
        assert event.details == {"sheets": 2}
    # printing again keeps the codes
    assert curator.get(f"/surveys/campaigns/{world.campaign}/sheets").status_code == 200
    assert _code(app, world.new_paper) == code


def test_answered_invitations_get_no_sheet_and_an_empty_campaign_says_so(app, tree, login, world):
    with app.app_context(), unscoped("tests.set"):
        for invitation_id in (world.paper_invitation, world.new_paper):
            db.session.get(SurveyInvitation, invitation_id).status = "answered"
        db.session.commit()
    admin = _client(app, login, tree.emails["r1m1s1.admin"])
    page = admin.get(f"/surveys/campaigns/{world.campaign}/sheets")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="no-sheets"' in html and "<svg" not in html
    # the region's campaign is visible to the school, which has no paper invitations in it
    region = admin.get(f"/surveys/campaigns/{world.region_campaign}/sheets")
    assert region.status_code == 200 and 'id="no-sheets"' in region.get_data(as_text=True)


@pytest.mark.parametrize("who", ["r1m1s2.admin", "r1m1.admin", "r1.admin", "r2m1s1.admin"])
def test_nobody_else_sees_the_sheets(app, tree, login, world, who):
    client = _client(app, login, tree.emails[who])
    assert client.get(f"/surveys/campaigns/{world.campaign}/sheets").status_code == 404
    assert _code(app, world.new_paper) is None
