"""Campaign rules and services: validation with clear messages, a draft changed and launched
(the dispatch queued after the commit only), closing expires the open invitations in every
school, counts limited to the current organisation's subtree."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.surveys import campaigns as sc
from mentorship.surveys.campaigns import (
    CampaignData,
    CampaignError,
    campaign_counts,
    close_campaign,
    create_campaign,
    launch_campaign,
    parse_reminder_days,
    update_campaign,
)
from mentorship.surveys.models import SurveyCampaign, SurveyInvitation, SurveyTemplate
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent, Organization
from tests.support.school import make_mentor, make_programme
from tests.support.surveys import make_campaign, make_template

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def as_org(tree, key):
    return tenant_scope(tree.ids[key], tree.paths[key])


def org(tree, key) -> Organization:
    return db.session.get(Organization, tree.ids[key])


def good(template_id, **changes) -> CampaignData:
    data = CampaignData(title="Опрос", template_id=template_id, roles=["mentor"], opens_on=date(2026, 11, 1),
                        closes_on=date(2026, 11, 30), reminder_days="7, 3, 3", response_days=14)
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def codes(exc: CampaignError) -> set[str]:
    return {p.code for p in exc.problems}


@pytest.fixture
def templates(ctx, tree):
    ids = {}
    with as_org(tree, "r1"):
        ids["region"] = make_template(tree.ids["r1"], audience=("mentor", "mentee")).id
        archived = make_template(tree.ids["r1"], "Старая")
        archived.status = "archived"
        old = make_template(tree.ids["r1"], "Версия 1")
        old.is_current = False
        ids["archived"], ids["old"] = archived.id, old.id
        db.session.commit()
    with as_org(tree, "r1m1s1"):
        ids["school"] = make_template(tree.ids["r1m1s1"], audience=("curator",)).id
        ids["programme"] = make_programme(tree.ids["r1m1s1"]).id
        db.session.commit()
    with as_org(tree, "r1m2"):
        ids["sibling"] = make_template(tree.ids["r1m2"]).id
        db.session.commit()
    return ids


def test_a_valid_campaign_is_saved_as_a_draft_and_audited(templates, tree):
    with as_org(tree, "r1m1"):
        campaign = create_campaign(org(tree, "r1m1"), good(templates["region"], target_org_id=tree.ids["r1m1s2"]))
        db.session.commit()
        assert (campaign.status, campaign.org_id, campaign.reminder_days, campaign.target_org_id) == (
            "draft", tree.ids["r1m1"], [3, 7], tree.ids["r1m1s2"])
        assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.object_type == "SurveyCampaign",
                                                          AuditEvent.object_id == str(campaign.id))) \
            == "survey_campaign.created"


@pytest.mark.parametrize("changes,code", [
    ({"title": "  "}, "title_required"),
    ({"template_id": None}, "template_required"),
    ({"roles": []}, "roles_required"),
    ({"roles": ["curator"]}, "roles_not_in_template"),
    ({"roles": ["mentor", "boss"]}, "roles_required"),
    ({"closes_on": None}, "closes_on_required"),
    ({"closes_on": date(2026, 10, 1)}, "dates_order"),
    ({"opens_on": None}, "opens_on_required"),
    ({"reminder_days": "3, x"}, "reminders_invalid"),
    ({"reminder_days": "0, 3"}, "reminders_range"),
    ({"reminder_days": "61"}, "reminders_range"),
    ({"reminder_days": "1,2,3,4,5,6"}, "reminders_many"),
    ({"trigger": "pair_interval", "interval_days": None}, "interval_required"),
    ({"trigger": "pair_interval", "interval_days": 6}, "interval_required"),
    ({"trigger": "weekly"}, "trigger_unknown"),
    ({"response_days": 0}, "response_days_range"),
    ({"response_days": 366}, "response_days_range"),
    ({"pair_status": "lost"}, "pair_status_unknown"),
    ({"form_code": "dragon_knight"}, "form_unknown"),
])
def test_refusals_name_the_problem_and_save_nothing(templates, tree, changes, code):
    changes = dict(changes)
    with as_org(tree, "r1m1"):
        with pytest.raises(CampaignError) as exc:
            create_campaign(org(tree, "r1m1"), good(changes.pop("template_id", templates["region"]), **changes))
        db.session.rollback()
    assert code in codes(exc.value)
    assert all(text for _field, text in exc.value.messages)
    with unscoped("tests.count"):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyCampaign)) == 0


def test_questionnaire_must_be_of_the_line_above_current_and_active(templates, tree):
    with as_org(tree, "r1m1"):
        owner = org(tree, "r1m1")
        for key, code in (("archived", "template_archived"), ("old", "template_not_current"),
                          ("sibling", "template_unknown"), ("school", "template_unknown")):
            with pytest.raises(CampaignError) as exc:
                create_campaign(owner, good(templates[key]))
            assert code in codes(exc.value), key
            db.session.rollback()


def test_target_and_programme_rules(templates, tree):
    with as_org(tree, "r1m1"):
        owner = org(tree, "r1m1")
        with pytest.raises(CampaignError) as exc:
            create_campaign(owner, good(templates["region"], target_org_id=tree.ids["r1m2s1"]))
        assert "target_unknown" in codes(exc.value)
        with pytest.raises(CampaignError) as exc:
            create_campaign(owner, good(templates["region"], programme_id=templates["programme"]))
        assert "programme_school_only" in codes(exc.value)
        db.session.rollback()
    with as_org(tree, "r1m1s1"):
        school = org(tree, "r1m1s1")
        campaign = create_campaign(school, good(templates["region"], programme_id=templates["programme"],
                                                target_org_id=tree.ids["r1m1s1"]))
        assert (campaign.programme_id, campaign.target_org_id) == (templates["programme"], None)
        db.session.rollback()


def test_reminder_days_are_sorted_and_distinct():
    assert parse_reminder_days("7, 3; 3 ,14") == [3, 7, 14]
    assert parse_reminder_days("") == []
    assert parse_reminder_days([5, "2"]) == [2, 5]


class FakeTask:
    def __init__(self):
        self.calls = []

    def apply_async(self, args=(), kwargs=None, **_):
        self.calls.append(tuple(args))


def test_launch_queues_the_dispatch_after_the_commit_only(templates, tree, monkeypatch):
    task = FakeTask()
    monkeypatch.setattr(sc, "dispatch_task", lambda: task)
    with as_org(tree, "r1m1"):
        owner = org(tree, "r1m1")
        campaign = create_campaign(owner, good(templates["region"]))
        db.session.commit()
        launch_campaign(campaign, owner, today=date(2026, 11, 20))
        db.session.rollback()  # nothing committed: nothing queued, still a draft
        assert task.calls == [] and campaign.status == "draft"
        launch_campaign(campaign, owner, today=date(2026, 11, 20))
        assert task.calls == []
        db.session.commit()
        assert task.calls == [(campaign.id,)]
        assert campaign.status == "open" and campaign.launched_at is not None
        with pytest.raises(CampaignError) as exc:
            launch_campaign(campaign, owner, today=date(2026, 11, 20))
        assert codes(exc.value) == {"not_draft"}
        with pytest.raises(CampaignError):
            update_campaign(campaign, owner, good(templates["region"], title="Другое"))
        db.session.rollback()


def test_close_expires_open_invitations_in_every_school_and_counts_stay_in_the_subtree(templates, tree):
    with as_org(tree, "r1"):
        template = db.session.get(SurveyTemplate, templates["region"])
        campaign = make_campaign(tree.ids["r1"], template, status="open")
        db.session.commit()
        campaign_id = campaign.id
    statuses = {"r1m1s1": ["sent", "answered", "pending"], "r1m2s1": ["failed", "sent"]}
    for key, values in statuses.items():
        with as_org(tree, key):
            mentor = make_mentor(tree.ids[key], f"Наставник {key}")
            for n, status in enumerate(values):
                db.session.add(SurveyInvitation(org_id=tree.ids[key], campaign_id=campaign_id, role="mentor",
                                                recipient_key=f"mentor:{mentor.id}:{n}", participant_id=mentor.id,
                                                status=status, expires_on=date(2026, 12, 31)))
            db.session.commit()
    with as_org(tree, "r1m1s1"):
        assert campaign_counts(campaign_id) == {"sent": 1, "answered": 1, "pending": 1}
    with as_org(tree, "r1m1"):
        assert campaign_counts(campaign_id) == {"sent": 1, "answered": 1, "pending": 1}
    with as_org(tree, "r1"):
        assert campaign_counts(campaign_id) == {"sent": 2, "answered": 1, "pending": 1, "failed": 1}
        campaign = db.session.get(SurveyCampaign, campaign_id)
        assert close_campaign(campaign, org(tree, "r1")) == 4
        db.session.commit()
        assert campaign.status == "closed" and campaign.closed_at is not None
        assert campaign_counts(campaign_id) == {"expired": 4, "answered": 1}
        with pytest.raises(CampaignError) as exc:
            close_campaign(campaign, org(tree, "r1"))
        assert codes(exc.value) == {"not_open"}


def test_a_draft_whose_closing_date_has_passed_is_not_launched(templates, tree, monkeypatch):
    task = FakeTask()
    monkeypatch.setattr(sc, "dispatch_task", lambda: task)
    with as_org(tree, "r1m1"):
        owner = org(tree, "r1m1")
        campaign = create_campaign(owner, good(templates["region"]))
        db.session.commit()
        with pytest.raises(CampaignError) as exc:
            launch_campaign(campaign, owner, today=campaign.closes_on + timedelta(days=1))
        assert codes(exc.value) == {"closed_already"} and campaign.status == "draft"
        launch_campaign(campaign, owner, today=campaign.closes_on)  # the last day still counts
        db.session.commit()
        assert campaign.status == "open" and task.calls == [(campaign.id,)]
