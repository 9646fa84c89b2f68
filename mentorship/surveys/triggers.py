"""When a campaign invites whom: ``create_invitations`` for one campaign (at launch), and the
automatic campaigns the daily tick invites (``run_triggers``). The audience itself — who is
in range, with which address — is mentorship/surveys/audience.py.

What one campaign's ``create_invitations`` creates depends on its trigger (it must be open):
"manual" (and a monitoring wave's child campaign) — the whole audience now; a pair trigger —
the occasions due by ``today``; "monitoring" — the waves due by ``today`` and their audiences.

For every OPEN campaign with an automatic trigger, opened on or before today:

* ``pair_start`` — each pair in the audience's range that started on or after the campaign
  opened (and by today / the closing date): occasion "start";
* ``pair_interval`` — each ACTIVE pair, every ``interval_days`` of its life: on day
  ``started_on + k × interval_days`` (k ≥ 1) occasion "i<k>" is due; the tick asks for the
  current k only (a missed day is caught up, a pair met late in its life is not asked for the
  past intervals), and only for occasions falling on or after the campaign's opening;
* ``pair_completion`` — each pair completed or ended early with ``ended_on`` between the
  campaign's opening and today: occasion "end";
* ``monitoring`` — at each monitoring reference date of the owner's region
  (mentorship/region/calendar.py; default 20 June and 20 December) on or after the
  campaign's opening and on or before today, whose answer window (``response_days``) is still
  running, a CHILD campaign (``parent_id``, ``wave_date``; manual, open from the wave date for
  ``response_days``) is opened once — the unique key (parent_id, wave_date) makes it
  exactly-once — and its audience invited.

The pair occasions become invitations of the pair's mentor and mentees (the campaign's roles
filter applies; the representatives of the pair's minor mentees when "representative" is
among the roles) keyed ``<role>:<participant>:m<mentorship>:<occasion>``, so a second tick
on the same day creates nothing (mentorship/surveys/audience.py).
"""
from __future__ import annotations

import logging
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from core.model import utcnow
from mentorship.pairing.models import Mentorship
from mentorship.region.calendar import reference_dates
from mentorship.region.models import RegionSettings
from mentorship.region.settings import default_settings
from mentorship.surveys.audience import BATCH, Occasion, audience_bounds, invite_audience, invite_pairs, pairs_filter
from mentorship.surveys.models import PAIR_TRIGGERS, SurveyCampaign
from tenants.context import unscoped
from tenants.models import Organization
from tenants.scoping import region_path

AUTOMATIC = (*PAIR_TRIGGERS, "monitoring")
log = logging.getLogger("nastavnik.surveys.triggers")


def run_triggers(today: date) -> list[int]:
    """Invite what is due by ``today`` for every open automatic campaign; returns the ids of the
    campaigns (a monitoring wave's child campaign, for "monitoring") that got new invitations.
    Commits after each campaign. Idempotent."""
    touched: list[int] = []
    with unscoped("surveys.triggers"):
        campaign_ids = db.session.scalars(
            sa.select(SurveyCampaign.id)
            .where(SurveyCampaign.status == "open", SurveyCampaign.trigger.in_(AUTOMATIC),
                   SurveyCampaign.opens_on <= today)
            .order_by(SurveyCampaign.id)
        ).all()
        for campaign_id in campaign_ids:
            try:
                created = invite_due(campaign_id, today)
                db.session.commit()
            except Exception:  # noqa: BLE001 - one broken campaign must not stop the others
                db.session.rollback()
                log.exception("survey triggers: campaign %s failed", campaign_id)
                continue
            touched += [cid for cid, count in created.items() if count]
    if touched:
        log.info("survey triggers on %s: invitations for campaigns %s", today, touched)
    return touched


# -- pair occasions ------------------------------------------------------------------------------

def _last_day(campaign: SurveyCampaign, today: date) -> date:
    return min(today, campaign.closes_on) if campaign.closes_on else today


def due_occasions(campaign: SurveyCampaign, today: date) -> list[Occasion]:
    """The pair occasions of a pair-trigger campaign due by ``today`` (under unscoped)."""
    bounds = audience_bounds(campaign)
    last = _last_day(campaign, today)
    if bounds is None or last < campaign.opens_on:
        return []
    pairs = pairs_filter(campaign, bounds)
    if campaign.trigger == "pair_start":
        stmt = sa.select(Mentorship.id).where(*pairs, Mentorship.started_on >= campaign.opens_on,
                                              Mentorship.started_on <= last)
        return [Occasion(pid, "start") for pid in _ids(stmt)]
    if campaign.trigger == "pair_completion":
        stmt = sa.select(Mentorship.id).where(
            *pairs, Mentorship.status.in_(("completed", "ended_early")), Mentorship.ended_on.is_not(None),
            Mentorship.ended_on >= campaign.opens_on, Mentorship.ended_on <= last)
        return [Occasion(pid, "end") for pid in _ids(stmt)]
    if campaign.trigger == "pair_interval" and campaign.interval_days:
        interval = campaign.interval_days
        stmt = (sa.select(Mentorship.id, Mentorship.started_on)
                .where(*pairs, Mentorship.status == "active", Mentorship.started_on <= last - timedelta(days=interval))
                .order_by(Mentorship.id))
        due = []
        for pid, started_on in db.session.execute(stmt.execution_options(yield_per=BATCH)):
            k = (last - started_on).days // interval
            if k >= 1 and started_on + timedelta(days=k * interval) >= campaign.opens_on:
                due.append(Occasion(pid, f"i{k}"))
        return due
    return []


def _ids(stmt) -> list[int]:
    return list(db.session.scalars(stmt.order_by(Mentorship.id).execution_options(yield_per=BATCH)))


# -- monitoring waves ----------------------------------------------------------------------------

def wave_dates(campaign: SurveyCampaign, today: date) -> list[date]:
    """The region's reference dates on which ``campaign`` (trigger "monitoring") opens a wave by
    ``today``: on or after its opening (and before its closing date), the wave still running."""
    owner_path = db.session.scalar(sa.select(Organization.path).where(Organization.id == campaign.org_id))
    if owner_path is None:
        return []
    settings = db.session.scalar(
        sa.select(RegionSettings).where(RegionSettings.org_path == region_path(owner_path))) or default_settings()
    last = _last_day(campaign, today)
    dates = [d for year in range(campaign.opens_on.year, today.year + 1) for d in reference_dates(settings, year)]
    return [d for d in dates
            if campaign.opens_on <= d <= last and d + timedelta(days=campaign.response_days) >= today]


def open_due_waves(parent: SurveyCampaign, today: date) -> list[SurveyCampaign]:
    """The child campaigns opened by this call for the due waves of ``parent`` (an existing
    wave is not opened again). Under unscoped; the caller commits."""
    opened = []
    for wave_date in wave_dates(parent, today):
        exists = db.session.scalar(sa.select(SurveyCampaign.id).where(
            SurveyCampaign.parent_id == parent.id, SurveyCampaign.wave_date == wave_date))
        if exists is not None:
            continue
        child = _child(parent, wave_date)
        try:
            with db.session.begin_nested():
                db.session.add(child)
        except IntegrityError:  # a concurrent tick opened it first
            continue
        opened.append(child)
    return opened


def _child(parent: SurveyCampaign, wave_date: date) -> SurveyCampaign:
    suffix = f" — {wave_date.strftime('%d.%m.%Y')}"
    return SurveyCampaign(
        org_id=parent.org_id, parent_id=parent.id, wave_date=wave_date,
        title=parent.title[:300 - len(suffix)] + suffix, template_id=parent.template_id, trigger="manual",
        status="open", roles=list(parent.roles or []), target_org_id=parent.target_org_id,
        form_code=parent.form_code, programme_id=parent.programme_id, pair_status=parent.pair_status,
        opens_on=wave_date, closes_on=wave_date + timedelta(days=parent.response_days),
        reminder_days=list(parent.reminder_days or []), response_days=parent.response_days,
        created_by_id=parent.created_by_id, launched_at=utcnow(),
    )


def create_invitations(campaign_id: int, today: date) -> int:
    """Create the invitations of campaign ``campaign_id`` due by ``today``; returns the number of
    rows inserted (0 when run again). Commits."""
    with unscoped("surveys.audience"):
        inserted = sum(invite_due(campaign_id, today).values())
        db.session.commit()
    return inserted


def invite_due(campaign_id: int, today: date) -> dict[int, int]:
    """{campaign id: rows inserted} for one campaign (a monitoring campaign's waves are other
    campaigns). Call under ``unscoped``; the caller commits."""
    campaign = db.session.get(SurveyCampaign, campaign_id)
    if campaign is None or campaign.status != "open":
        return {}
    if campaign.trigger == "monitoring":
        return {wave.id: invite_audience(wave, today) for wave in open_due_waves(campaign, today)}
    if campaign.trigger in PAIR_TRIGGERS:
        return {campaign.id: invite_pairs(campaign, due_occasions(campaign, today), today)}
    return {campaign.id: invite_audience(campaign, today)}
