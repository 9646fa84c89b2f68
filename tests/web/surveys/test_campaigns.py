"""Survey campaigns through the web: the list along the line with its tabs, filters and empty
state; a new campaign (refusals re-rendered, nothing saved); its page with the counts; launch
(dispatch queued after commit) and close by the owner; the progress JSON; a school's own
invitations (names, audited, searchable); constant query counts."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import gettext

from core.extensions import db
from mentorship.people.models import Participant
from mentorship.surveys import campaigns as sc
from mentorship.surveys.models import SurveyCampaign, SurveyInvitation, SurveyTemplate
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.support.queries import queries_of_get
from tests.support.surveys import count_rows, make_campaign, survey_world


@pytest.fixture
def world(app, tree):
    with app.app_context():
        return survey_world(tree)


@pytest.fixture
def queued(monkeypatch):
    calls = []

    class Task:
        def apply_async(self, args=(), kwargs=None, **_):
            calls.append(tuple(args))

    monkeypatch.setattr(sc, "dispatch_task", lambda: Task())
    monkeypatch.setattr(sc, "region_today", lambda: date(2026, 11, 20))  # inside the world's dates
    return calls


def _t(app, text, **kwargs) -> str:
    """``text`` as the page shows it (in the default language, whatever the catalogue holds)."""
    with app.test_request_context():
        return str(gettext(text, **kwargs))


def signed_in(app, tree, login, who):
    client = app.test_client()
    login(client, tree.emails[who])
    return client


def campaign_row(app, campaign_id):
    with app.app_context(), unscoped("tests.campaign"):
        c = db.session.get(SurveyCampaign, campaign_id)
        values = (c.status, c.title, c.launched_at, c.closed_at)
        db.session.rollback()
        return values


def test_list_along_the_line_with_tabs(app, tree, login, world):
    client = signed_in(app, tree, login, "r1m1s1.admin")
    page = client.get("/surveys/").get_data(as_text=True)
    assert "Итоговое анкетирование школы" in page and "Региональный опрос удовлетворённости" in page
    assert "Муниципальный опрос" in page and "Министерство 1" in page  # the owner's name
    mine = client.get("/surveys/?whose=mine").get_data(as_text=True)
    assert "Итоговое анкетирование школы" in mine and "Региональный опрос" not in mine
    above = client.get("/surveys/?whose=above").get_data(as_text=True)
    assert "Региональный опрос" in above and "Итоговое анкетирование школы" not in above
    drafts = client.get("/surveys/?status=draft").get_data(as_text=True)
    assert "Муниципальный опрос" in drafts and "Региональный опрос" not in drafts
    assert _t(app, "No campaign matches the filters.") in client.get("/surveys/?q=нет-такого").get_data(as_text=True)

    sibling = signed_in(app, tree, login, "r1m1s2.admin").get("/surveys/").get_data(as_text=True)
    assert "Итоговое анкетирование школы" not in sibling and "Региональный опрос" in sibling
    below = signed_in(app, tree, login, "r1.admin").get("/surveys/?whose=below").get_data(as_text=True)
    assert "Итоговое анкетирование школы" in below and "Региональный опрос" not in below
    other = signed_in(app, tree, login, "r2.admin").get("/surveys/").get_data(as_text=True)
    assert _t(app, "No survey campaigns yet.") in other


def test_new_campaign_refusals_and_success(app, tree, login, world):
    client = signed_in(app, tree, login, "r1m1.admin")
    page = client.get("/surveys/campaigns/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Удовлетворённость участников" in html  # the region's questionnaire
    assert "Анкета куратора" not in html  # a school's own questionnaire is not for the body above
    assert "Школа 1.1.2" in html and "Школа 1.2.1" not in html  # targets: its own subtree only
    token = csrf_token_from(page)
    form = {"csrf_token": token, "title": "Опрос наставников", "template_id": str(world.region_template),
            "roles": ["mentor", "curator"], "target_org_id": str(tree.ids["r1m1s2"]), "form_code": "",
            "pair_status": "any", "trigger": "manual", "opens_on": "2026-11-01", "closes_on": "",
            "reminder_days": "3, 7", "response_days": "14"}
    with app.app_context():
        before = count_rows(SurveyCampaign)
    refused = client.post("/surveys/campaigns/new", data=form)
    assert refused.status_code == 200
    text = refused.get_data(as_text=True)
    assert _t(app, "A campaign sent once needs a closing date.") in text
    assert 'id="roles-errors"' in text  # curators are not in the questionnaire's audience
    with app.app_context():
        assert count_rows(SurveyCampaign) == before
    form.update(roles=["mentor"], closes_on="2026-11-30")
    saved = client.post("/surveys/campaigns/new", data=form)
    assert saved.status_code == 302
    with app.app_context(), unscoped("tests.new"):
        campaign = db.session.scalar(sa.select(SurveyCampaign).where(SurveyCampaign.title == "Опрос наставников"))
        assert (campaign.status, campaign.org_id, campaign.target_org_id, campaign.reminder_days) == (
            "draft", tree.ids["r1m1"], tree.ids["r1m1s2"], [3, 7])
        assert saved.headers["Location"].endswith(f"/surveys/campaigns/{campaign.id}")
        db.session.rollback()


def test_the_analyst_reads_but_does_not_manage(app, tree, login, world):
    client = signed_in(app, tree, login, "r1.staff")  # the ministry's analyst
    assert client.get("/surveys/campaigns/new").status_code == 403
    page = client.get(f"/surveys/campaigns/{world.region_campaign}").get_data(as_text=True)
    assert "close-campaign" not in page


def test_show_counts_and_owner_actions(app, tree, login, world):
    school = signed_in(app, tree, login, "r1m1s1.admin")
    page = school.get(f"/surveys/campaigns/{world.campaign}").get_data(as_text=True)
    assert 'data-count="total">2<' in page and "close-campaign" in page
    assert "invitations-link" in page and "sheets-link" in page and "results-link" in page
    # the region's campaign seen by the school: no actions
    region = school.get(f"/surveys/campaigns/{world.region_campaign}").get_data(as_text=True)
    assert "close-campaign" not in region and "launch-campaign" not in region
    # the body above sees the counts of its subtree, not the school's invitations page
    body = signed_in(app, tree, login, "r1m1.admin").get(f"/surveys/campaigns/{world.campaign}").get_data(as_text=True)
    assert 'data-count="total">2<' in body and "invitations-link" not in body


def test_launch_queues_dispatch_and_close_expires(app, tree, login, world, queued):
    client = signed_in(app, tree, login, "r1m1.admin")
    page = client.get(f"/surveys/campaigns/{world.municipal_campaign}")
    assert "launch-campaign" in page.get_data(as_text=True)
    token = csrf_token_from(page)
    assert client.post(f"/surveys/campaigns/{world.municipal_campaign}/launch").status_code == 400  # no token
    assert queued == []
    response = client.post(f"/surveys/campaigns/{world.municipal_campaign}/launch", data={"csrf_token": token})
    assert response.status_code == 302
    assert queued == [(world.municipal_campaign,)]
    status, _title, launched_at, _closed = campaign_row(app, world.municipal_campaign)
    assert status == "open" and launched_at is not None
    again = client.post(f"/surveys/campaigns/{world.municipal_campaign}/launch", data={"csrf_token": token},
                        follow_redirects=True)
    assert _t(app, "Only a draft campaign can be changed or launched.") in again.get_data(as_text=True) and len(queued) == 1
    assert client.get(f"/surveys/campaigns/{world.municipal_campaign}/edit").status_code == 302  # not a draft

    school = signed_in(app, tree, login, "r1m1s1.admin")
    token = csrf_token_from(school.get(f"/surveys/campaigns/{world.campaign}"))
    assert school.post(f"/surveys/campaigns/{world.campaign}/close", data={"csrf_token": token}).status_code == 302
    assert campaign_row(app, world.campaign)[0] == "closed"
    with app.app_context(), unscoped("tests.expired"):
        statuses = dict(db.session.execute(sa.select(SurveyInvitation.id, SurveyInvitation.status)).all())
        db.session.rollback()
    assert statuses == {world.invitation: "expired", world.paper_invitation: "expired"}


def test_edit_a_draft(app, tree, login, world):
    client = signed_in(app, tree, login, "r1m1.admin")
    page = client.get(f"/surveys/campaigns/{world.municipal_campaign}/edit")
    assert page.status_code == 200 and "Муниципальный опрос" in page.get_data(as_text=True)
    form = {"csrf_token": csrf_token_from(page), "title": "Муниципальный опрос — осень",
            "template_id": str(world.region_template), "roles": ["mentee"], "target_org_id": "", "form_code": "",
            "pair_status": "active", "trigger": "pair_interval", "interval_days": "3", "opens_on": "2026-11-01",
            "closes_on": "", "reminder_days": "", "response_days": "14"}
    refused = client.post(f"/surveys/campaigns/{world.municipal_campaign}/edit", data=form)
    assert refused.status_code == 200 and campaign_row(app, world.municipal_campaign)[1] == "Муниципальный опрос"
    form["interval_days"] = "30"
    assert client.post(f"/surveys/campaigns/{world.municipal_campaign}/edit", data=form).status_code == 302
    with app.app_context(), unscoped("tests.edit"):
        c = db.session.get(SurveyCampaign, world.municipal_campaign)
        assert (c.title, c.roles, c.trigger, c.interval_days, c.pair_status, c.closes_on) == (
            "Муниципальный опрос — осень", ["mentee"], "pair_interval", 30, "active", None)
        db.session.rollback()


def test_progress_json(app, tree, login, world):
    with app.app_context(), unscoped("tests.progress"):
        c = db.session.get(SurveyCampaign, world.campaign)
        c.dispatch_state, c.dispatch_done, c.dispatch_total = "running", 40, 100
        db.session.commit()
    client = signed_in(app, tree, login, "r1m1s1.admin")
    assert client.get(f"/surveys/campaigns/{world.campaign}/progress").get_json() == {
        "status": "running", "state": "running", "done": 40, "total": 100}
    page = client.get(f"/surveys/campaigns/{world.campaign}").get_data(as_text=True)
    assert "data-progress-url" in page and "js/progress.js" in page


def test_invitations_page_lists_our_people_and_is_audited(app, tree, login, world):
    with app.app_context(), tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        mentee = db.session.get(Participant, world.mentee)
        mentee.anonymised_at, mentee.full_name = sa.func.now(), "—"
        db.session.commit()
    client = signed_in(app, tree, login, "r1m1s1.admin")
    page = client.get(f"/surveys/campaigns/{world.campaign}/invitations")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    erased = _t(app, "Personal data erased")
    assert "Смирнова Ольга Ивановна" in html and erased in html and "Кузнецов" not in html
    found = client.get(f"/surveys/campaigns/{world.campaign}/invitations?q=Смирн").get_data(as_text=True)
    assert "Смирнова" in found and erased not in found
    pending = client.get(f"/surveys/campaigns/{world.campaign}/invitations?status=pending").get_data(as_text=True)
    assert "Смирнова" not in pending and erased in pending
    with app.app_context(), unscoped("tests.audit"):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "survey_campaign.invitations_viewed")) == 3
    # a body above sees the campaign but not the school's invitations
    assert signed_in(app, tree, login, "r1m1.admin").get(
        f"/surveys/campaigns/{world.campaign}/invitations").status_code == 404


_count_queries = queries_of_get


def _add_campaigns(app, tree, n, template_id):
    with app.app_context(), tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        template = db.session.get(SurveyTemplate, template_id)
        for i in range(n):
            make_campaign(tree.ids["r1m1s1"], template, f"Кампания {i}", opens_on=date(2026, 10, 1))
        db.session.commit()


def test_list_query_count_is_constant(app, tree, login, world):
    client = signed_in(app, tree, login, "r1m1s1.admin")
    _add_campaigns(app, tree, 7, world.region_template)  # 10 with the world's three
    few = _count_queries(app, client, "/surveys/")
    _add_campaigns(app, tree, 190, world.region_template)
    many = _count_queries(app, client, "/surveys/")
    assert few == many


def _add_invitations(app, tree, campaign_id, n, start):
    org_id = tree.ids["r1m1s1"]
    with app.app_context(), tenant_scope(org_id, tree.paths["r1m1s1"]):
        people = [Participant(org_id=org_id, full_name=f"Ученик {start + i}", category="pupil") for i in range(n)]
        db.session.add_all(people)
        db.session.flush()
        db.session.add_all([SurveyInvitation(org_id=org_id, campaign_id=campaign_id, recipient_key=f"mentee:{p.id}",
                                             role="mentee", participant_id=p.id, channel="paper",
                                             expires_on=date(2026, 12, 31)) for p in people])
        db.session.commit()


def test_invitations_query_count_is_constant(app, tree, login, world):
    client = signed_in(app, tree, login, "r1m1s1.admin")
    _add_invitations(app, tree, world.campaign, 8, 0)  # 10 with the world's two
    url = f"/surveys/campaigns/{world.campaign}/invitations"
    few = _count_queries(app, client, url)
    _add_invitations(app, tree, world.campaign, 490, 8)
    many = _count_queries(app, client, url)
    assert few == many
