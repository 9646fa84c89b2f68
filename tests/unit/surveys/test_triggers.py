"""Automatic campaigns: start, interval and completion occasions of pairs; monitoring waves
opened once at the region's reference dates; a second tick the same day creates nothing."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.region.models import RegionSettings
from mentorship.surveys.models import SurveyCampaign, SurveyInvitation
from mentorship.surveys.triggers import run_triggers
from tenants.context import tenant_scope, unscoped
from tests.support.school import make_mentee, make_mentor, make_programme
from tests.unit.surveys.test_audience import campaign, make_pair

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def pairs(ctx, tree):
    s1 = tree.ids["r1m1s1"]
    with tenant_scope(s1, tree.paths["r1m1s1"]):
        programme = make_programme(s1)
        mentor = make_mentor(s1, "Наставник", email="m@example.org", capacity=10)
        kids = [make_mentee(s1, f"Ученик {i}", representative_email=f"r{i}@example.org") for i in range(4)]
        early = make_pair(s1, programme, mentor, [kids[0]], started_on=date(2026, 8, 1))  # before the campaigns
        new = make_pair(s1, programme, mentor, [kids[1]], started_on=date(2026, 9, 10))
        done = make_pair(s1, programme, mentor, [kids[2]], started_on=date(2026, 1, 10), status="completed",
                         ended_on=date(2026, 9, 20))
        gone = make_pair(s1, programme, mentor, [kids[3]], started_on=date(2026, 1, 10), status="ended_early",
                         ended_on=date(2026, 8, 20))  # ended before the campaigns opened
        db.session.commit()
        return {"mentor": mentor.id, "kids": [k.id for k in kids], "early": early.id, "new": new.id,
                "done": done.id, "gone": gone.id}


def keys(campaign_id) -> set[str]:
    with unscoped("tests.keys"):
        found = set(db.session.scalars(
            sa.select(SurveyInvitation.recipient_key).where(SurveyInvitation.campaign_id == campaign_id)))
        db.session.rollback()
        return found


def test_pair_start_asks_pairs_started_since_the_campaign_opened(pairs, tree):
    cid = campaign(tree, "r1m1s1", roles=("mentor", "mentee", "representative"), trigger="pair_start",
                   opens_on=date(2026, 9, 1), closes_on=None)
    assert run_triggers(date(2026, 9, 30)) == [cid]
    kid, mentor, pair = pairs["kids"][1], pairs["mentor"], pairs["new"]
    assert keys(cid) == {f"mentor:{mentor}:m{pair}:start", f"mentee:{kid}:m{pair}:start",
                         f"representative:{kid}:m{pair}:start"}
    assert run_triggers(date(2026, 9, 30)) == []  # idempotent


def test_pair_start_not_before_the_campaign_opens(pairs, tree):
    campaign(tree, "r1m1s1", trigger="pair_start", opens_on=date(2026, 12, 1), closes_on=None)
    assert run_triggers(date(2026, 9, 30)) == []


def test_pair_interval_one_occasion_per_interval(pairs, tree):
    cid = campaign(tree, "r1m1s1", roles=("mentee",), trigger="pair_interval", interval_days=30,
                   opens_on=date(2026, 9, 1), closes_on=None)
    early, new = pairs["early"], pairs["new"]
    k0, k1 = pairs["kids"][0], pairs["kids"][1]
    # 2026-09-30: the early pair (from 1 August) is at its 2nd interval (day 60 = 30 Sept), the new one at none
    assert run_triggers(date(2026, 9, 30)) == [cid]
    assert keys(cid) == {f"mentee:{k0}:m{early}:i2"}
    assert run_triggers(date(2026, 10, 9)) == []  # still the same occasions
    # 2026-10-10: the new pair (from 10 September) reaches its first interval
    assert run_triggers(date(2026, 10, 10)) == [cid]
    assert keys(cid) == {f"mentee:{k0}:m{early}:i2", f"mentee:{k1}:m{new}:i1"}
    # 2026-10-30: the early pair's third
    run_triggers(date(2026, 10, 30))
    assert f"mentee:{k0}:m{early}:i3" in keys(cid)
    # only active pairs: the completed and ended ones are not asked
    assert not any(f"m{pairs['done']}:" in k or f"m{pairs['gone']}:" in k for k in keys(cid))


def test_pair_completion_asks_pairs_ended_since_opening(pairs, tree):
    cid = campaign(tree, "r1m1s1", roles=("mentor",), trigger="pair_completion", opens_on=date(2026, 9, 1),
                   closes_on=None)
    assert run_triggers(date(2026, 10, 1)) == [cid]
    assert keys(cid) == {f"mentor:{pairs['mentor']}:m{pairs['done']}:end"}  # the pair ended in August is not
    assert run_triggers(date(2026, 10, 1)) == []


def test_closed_campaigns_are_left_alone(pairs, tree):
    campaign(tree, "r1m1s1", trigger="pair_start", status="closed", opens_on=date(2026, 9, 1), closes_on=None)
    assert run_triggers(date(2026, 9, 30)) == []


def _children(parent_id):
    with unscoped("tests.children"):
        rows = db.session.execute(
            sa.select(SurveyCampaign.id, SurveyCampaign.wave_date, SurveyCampaign.opens_on, SurveyCampaign.closes_on,
                      SurveyCampaign.status, SurveyCampaign.trigger, SurveyCampaign.title, SurveyCampaign.org_id)
            .where(SurveyCampaign.parent_id == parent_id).order_by(SurveyCampaign.wave_date)
        ).all()
        db.session.rollback()
        return rows


def test_monitoring_opens_a_wave_once_at_each_reference_date(pairs, tree):
    parent = campaign(tree, "r1m1", roles=("mentor",), trigger="monitoring", opens_on=date(2026, 6, 1),
                      closes_on=None, response_days=14, title="Мониторинг")
    assert run_triggers(date(2026, 6, 19)) == []  # before the first reference date (20 June)
    touched = run_triggers(date(2026, 6, 20))
    waves = _children(parent)
    assert len(waves) == 1 and touched == [waves[0].id]
    wave = waves[0]
    assert (wave.wave_date, wave.opens_on, wave.closes_on) == (date(2026, 6, 20), date(2026, 6, 20), date(2026, 7, 4))
    assert (wave.status, wave.trigger, wave.org_id) == ("open", "manual", tree.ids["r1m1"])
    assert wave.title == "Мониторинг — 20.06.2026"
    assert keys(wave.id) == {f"mentor:{pairs['mentor']}"}
    assert run_triggers(date(2026, 6, 20)) == []  # once
    assert run_triggers(date(2026, 6, 25)) == []
    assert len(_children(parent)) == 1
    run_triggers(date(2026, 12, 21))
    assert [w.wave_date for w in _children(parent)] == [date(2026, 6, 20), date(2026, 12, 20)]


def test_monitoring_follows_the_regions_calendar(pairs, tree):
    with tenant_scope(tree.ids["r1"], tree.paths["r1"]):
        db.session.add(RegionSettings(org_id=tree.ids["r1"], reference_month_1=5, reference_day_1=15,
                                      reference_month_2=11, reference_day_2=15))
        db.session.commit()
    parent = campaign(tree, "r1", roles=("mentor",), trigger="monitoring", opens_on=date(2026, 1, 1), closes_on=None)
    run_triggers(date(2026, 11, 16))
    assert [w.wave_date for w in _children(parent)] == [date(2026, 11, 15)]  # May's window is over
