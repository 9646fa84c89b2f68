"""Two things a respondent and a curator read: each scale of the answer page has one legend
(the question's own help text when it explains the ends, else the generic «1 — very bad …
10 — excellent»), and a launched campaign whose dispatch has not counted its invitations yet
says it is waiting instead of showing «0 / 0»."""
from __future__ import annotations

from datetime import date

import pytest

from core.extensions import db
from mentorship.surveys.links import make_link_token
from mentorship.surveys.models import SurveyCampaign, SurveyQuestion
from tenants.context import unscoped
from tests.support.surveys import survey_world

TODAY = date(2026, 11, 20)
HELP = "1 — совсем нет, 10 — полностью"


@pytest.fixture
def world(app, tree, monkeypatch):
    import blueprints.surveys.answer_views as views

    monkeypatch.setattr(views, "region_today", lambda: TODAY)
    with app.app_context():
        return survey_world(tree)


def test_each_scale_has_one_legend(app, world):
    with app.app_context(), unscoped("tests.help"):
        db.session.get(SurveyQuestion, world.questions[0]).help_text = HELP  # the first scale explains its ends
        db.session.commit()
        token = make_link_token(world.invitation)
    html = app.test_client().get(f"/s/{token}").get_data(as_text=True)
    first, second = (html.split(f'id="q{q}"', 1)[1].split("</fieldset>", 1)[0] for q in world.questions[:2])
    assert HELP in first and "scale-legend" not in first  # its own legend only
    assert second.count("scale-legend") == 1 and HELP not in second  # the generic one, once


def test_a_queued_dispatch_is_waiting_not_zero_of_zero(app, tree, login, world):
    with app.app_context(), unscoped("tests.queued"):
        campaign = db.session.get(SurveyCampaign, world.campaign)
        campaign.trigger, campaign.dispatch_state, campaign.dispatch_total, campaign.dispatch_done = "manual", "idle", 0, 0
        db.session.commit()
    client = app.test_client()
    login(client, tree.emails["r1m1s1.admin"])
    html = client.get(f"/surveys/campaigns/{world.campaign}").get_data(as_text=True)
    label = html.split("data-progress-label>", 1)[1].split("</span>", 1)[0]
    assert label.strip() == "ожидается начало рассылки" and "0 / 0" not in html
