"""Who a campaign invites: the audience resolved into ``SurveyInvitation`` rows.

``invite_audience`` and ``invite_pairs`` insert one invitation per recipient with
INSERT … ON CONFLICT DO NOTHING on (campaign_id, recipient_key), in batches of ``BATCH`` rows
read from a streamed SELECT (no ORM object per recipient: 100,000 recipients stay flat in
memory). A rerun, a retried task or a concurrent worker inserts nothing twice.

It runs as named cross-tenant work (``unscoped("surveys.audience")``) because a region's
campaign reaches every school of the region — but every query is restricted *explicitly* to
the materialised-path range of the campaign's owner (or of its target organisation, which
must lie inside the owner's subtree). An invitation is owned by the person's school.

The audience:

* ``mentor`` / ``mentee`` — members of mentorships in range (never a pair voided as entered by
  mistake), narrowed by the campaign's form, programme and pair status; only people with a
  valid consent (a consent not withdrawn) whose data are not erased (``anonymised_at`` empty);
* ``representative`` — the legal representatives of the minor mentees among them;
* ``curator`` — the active curators (``school_curator`` memberships) of the active schools in
  range.

Channel and address (the address itself is read at sending time, never stored here): an
adult or a minor with an e-mail of their own → e-mail to themselves; a minor without one → the
representative's e-mail, or paper (a printed sheet with a short code) when there is none; an
adult without e-mail → paper. A pupil with no birth date counts as a minor.

Keys: ``<role>:<participant_id>`` (a curator: ``curator:<user_id>``); the pair triggers
(mentorship/surveys/triggers.py) add ``:m<mentorship_id>:<occasion>`` with the occasion
"start", "i<k>" (the k-th interval) or "end", so each pair is asked once per occasion.

When, and for which occasions, is the triggers' business (mentorship/surveys/triggers.py:
``create_invitations``).

A manual campaign launched before its opening date gets its invitations at launch; they are
sent (by mentorship/surveys/dispatch.py) only from ``opens_on``.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.extensions import db
from core.model import utcnow
from mentorship.pairing.models import Mentorship, MentorshipMentee
from mentorship.people.models import Consent, Participant
from mentorship.people.rules import is_minor
from mentorship.surveys.models import OPEN_INVITATION_STATUSES, SurveyCampaign, SurveyInvitation
from tenants.directory import active_members_select
from tenants.models import Membership, Organization
from tenants.roles import Role
from tenants.scoping import subtree_bounds

BATCH = 1000
PERSON_ROLES = ("mentor", "mentee", "representative")
log = logging.getLogger("nastavnik.surveys.audience")


@dataclass(frozen=True)
class Occasion:
    """One pair's occasion to be asked: the mentorship and "start", "i<k>" or "end"."""

    mentorship_id: int
    occasion: str


# -- the range of the audience -------------------------------------------------------------------

def audience_bounds(campaign: SurveyCampaign) -> tuple[str, str] | None:
    """The path range the campaign may reach: its target organisation's subtree (which must lie
    inside the owner's), else the owner's. None when the target is outside (nothing is sent)."""
    owner_path = db.session.scalar(sa.select(Organization.path).where(Organization.id == campaign.org_id))
    if owner_path is None:
        return None
    if campaign.target_org_id is None:
        return subtree_bounds(owner_path)
    target_path = db.session.scalar(sa.select(Organization.path).where(Organization.id == campaign.target_org_id))
    if target_path is None or not target_path.startswith(owner_path):
        log.warning("campaign %s: target organisation %s is outside the owner's subtree",
                    campaign.id, campaign.target_org_id)
        return None
    return subtree_bounds(target_path)


def pairs_filter(campaign: SurveyCampaign, bounds: tuple[str, str]) -> list:
    low, high = bounds
    conditions = [Mentorship.org_path >= low, Mentorship.org_path < high, Mentorship.counted()]
    if campaign.form_code:
        conditions.append(Mentorship.form_code == campaign.form_code)
    if campaign.programme_id:
        conditions.append(Mentorship.programme_id == campaign.programme_id)
    if campaign.pair_status and campaign.pair_status != "any":
        conditions.append(Mentorship.status == campaign.pair_status)
    return conditions


def _consenting():
    """Participants with a valid consent whose data are not erased."""
    valid = sa.select(Consent.id).where(Consent.participant_id == Participant.id, Consent.withdrawn_on.is_(None))
    return sa.and_(Participant.anonymised_at.is_(None), valid.exists())


_PERSON = (Participant.id, Participant.org_id, Participant.org_path, Participant.category, Participant.birth_date,
           Participant.email, Participant.representative_email)


# -- rows ----------------------------------------------------------------------------------------

def _minor(category: str, birth_date: date | None, today: date) -> bool:
    if birth_date is None:
        return category == "pupil"
    return is_minor(birth_date, today)


def _has(address: str | None) -> bool:
    return bool((address or "").strip())


def person_rows(role: str, person, today: date, *, key_suffix: str = "", mentorship_id: int | None,
                form_code: str | None, want_self: bool, want_representative: bool) -> Iterator[dict]:
    """The invitation rows for one person (a mentor or mentee) and, for a minor mentee, their
    representative. ``person`` is a row of ``_PERSON``."""
    pid, org_id, org_path, category, birth_date, email, representative_email = person
    minor = _minor(category, birth_date, today)
    common = {"participant_id": pid, "org_id": org_id, "org_path": org_path, "mentorship_id": mentorship_id,
              "form_code": form_code, "user_id": None}
    if want_self:
        if _has(email):
            channel, kind = "email", "self"
        elif minor and _has(representative_email):
            channel, kind = "email", "representative"
        else:
            channel, kind = "paper", "self"
        yield {**common, "role": role, "recipient_key": f"{role}:{pid}{key_suffix}", "channel": channel,
               "address_kind": kind}
    if want_representative and role == "mentee" and minor:
        yield {**common, "role": "representative", "recipient_key": f"representative:{pid}{key_suffix}",
               "channel": "email" if _has(representative_email) else "paper", "address_kind": "representative"}


def _audience_rows(campaign: SurveyCampaign, bounds: tuple[str, str], today: date) -> Iterator[dict]:
    roles = set(campaign.roles or [])
    pairs = pairs_filter(campaign, bounds)
    if "mentor" in roles:
        stmt = (
            sa.select(*_PERSON, sa.func.min(Mentorship.form_code), sa.func.min(Mentorship.id))
            .select_from(Mentorship).join(Participant, Participant.id == Mentorship.mentor_id)
            .where(*pairs, _consenting())
            .group_by(*_PERSON).order_by(Participant.id)
        )
        for row in _stream(stmt):
            yield from person_rows("mentor", row[:7], today, form_code=row[7], mentorship_id=row[8],
                                   want_self=True, want_representative=False)
    if roles & {"mentee", "representative"}:
        stmt = (
            sa.select(*_PERSON, sa.func.min(Mentorship.form_code), sa.func.min(Mentorship.id))
            .select_from(MentorshipMentee)
            .join(Mentorship, Mentorship.id == MentorshipMentee.mentorship_id)
            .join(Participant, Participant.id == MentorshipMentee.participant_id)
            .where(*pairs, _consenting())
            .group_by(*_PERSON).order_by(Participant.id)
        )
        for row in _stream(stmt):
            yield from person_rows("mentee", row[:7], today, form_code=row[7], mentorship_id=row[8],
                                   want_self="mentee" in roles, want_representative="representative" in roles)
    if "curator" in roles:
        low, high = bounds
        stmt = (
            active_members_select([Role.SCHOOL_CURATOR])
            .join(Organization, Organization.id == Membership.org_id)
            .where(Organization.path >= low, Organization.path < high, Organization.kind == "school",
                   Organization.is_active.is_(True))
            .with_only_columns(Membership.user_id, Organization.id, Organization.path)
            .order_by(Membership.user_id, Organization.id)
        )
        for user_id, org_id, org_path in _stream(stmt):
            yield {"participant_id": None, "user_id": user_id, "org_id": org_id, "org_path": org_path,
                   "mentorship_id": None, "form_code": None, "role": "curator",
                   "recipient_key": f"curator:{user_id}", "channel": "email", "address_kind": "user"}


def _pair_rows(campaign: SurveyCampaign, bounds: tuple[str, str], occasions: list[Occasion],
               today: date) -> Iterator[dict]:
    """The members of each pair for each of its occasions (the roles filter applies)."""
    roles = set(campaign.roles or [])
    low, high = bounds
    for start in range(0, len(occasions), BATCH):
        chunk = occasions[start:start + BATCH]
        by_pair: dict[int, list[str]] = {}
        for item in chunk:
            by_pair.setdefault(item.mentorship_id, []).append(item.occasion)
        in_range = [Mentorship.id.in_(list(by_pair)), Mentorship.org_path >= low, Mentorship.org_path < high,
                    Mentorship.counted()]
        people = []
        if "mentor" in roles:
            people.append(("mentor", sa.select(*_PERSON, Mentorship.id, Mentorship.form_code)
                           .select_from(Mentorship).join(Participant, Participant.id == Mentorship.mentor_id)
                           .where(*in_range, _consenting()).order_by(Mentorship.id)))
        if roles & {"mentee", "representative"}:
            people.append(("mentee", sa.select(*_PERSON, Mentorship.id, Mentorship.form_code)
                           .select_from(MentorshipMentee)
                           .join(Mentorship, Mentorship.id == MentorshipMentee.mentorship_id)
                           .join(Participant, Participant.id == MentorshipMentee.participant_id)
                           .where(*in_range, _consenting()).order_by(Mentorship.id, Participant.id)))
        for role, stmt in people:
            for row in db.session.execute(stmt).all():
                mentorship_id, form_code = row[7], row[8]
                for occasion in by_pair[mentorship_id]:
                    yield from person_rows(
                        role, row[:7], today, key_suffix=f":m{mentorship_id}:{occasion}", mentorship_id=mentorship_id,
                        form_code=form_code, want_self=role == "mentor" or "mentee" in roles,
                        want_representative="representative" in roles)


def _stream(stmt) -> Iterator:
    """Rows of a SELECT, fetched ``BATCH`` at a time (a server-side cursor on PostgreSQL)."""
    result = db.session.execute(stmt.execution_options(yield_per=BATCH))
    for partition in result.partitions():
        yield from partition


# -- inserting -----------------------------------------------------------------------------------

def expires_on(campaign: SurveyCampaign, today: date) -> date:
    """The links' last day: the campaign's closing date, else ``response_days`` from today."""
    return campaign.closes_on or today + timedelta(days=campaign.response_days)


def invite_audience(campaign: SurveyCampaign, today: date) -> int:
    """Insert the whole audience of ``campaign``; returns the rows inserted. Under unscoped."""
    bounds = audience_bounds(campaign)
    if bounds is None or not campaign.roles:
        return 0
    return _insert(campaign, _audience_rows(campaign, bounds, today), today)


def invite_pairs(campaign: SurveyCampaign, occasions: Iterable[Occasion], today: date) -> int:
    """Insert the invitations of the given pairs' occasions; returns the rows inserted."""
    occasions = list(occasions)
    bounds = audience_bounds(campaign)
    if bounds is None or not occasions or not (set(campaign.roles or []) & set(PERSON_ROLES)):
        return 0
    return _insert(campaign, _pair_rows(campaign, bounds, occasions, today), today)


def _insert(campaign: SurveyCampaign, rows: Iterable[dict], today: date) -> int:
    fixed = {"campaign_id": campaign.id, "status": "pending", "expires_on": expires_on(campaign, today),
             "attempts": 0, "reminders_sent": 0, "created_at": utcnow()}
    inserted, batch = 0, []
    for row in rows:
        batch.append({**fixed, **row})
        if len(batch) >= BATCH:
            inserted += _insert_batch(batch)
            batch = []
    if batch:
        inserted += _insert_batch(batch)
    if inserted:
        log.info("campaign %s: %d invitations created", campaign.id, inserted)
    return inserted


def _insert_batch(rows: list[dict]) -> int:
    """INSERT … ON CONFLICT (campaign_id, recipient_key) DO NOTHING; the number inserted."""
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[dialect]
    table = SurveyInvitation.__table__
    stmt = (
        insert(table).values(rows)
        .on_conflict_do_nothing(index_elements=["campaign_id", "recipient_key"])
        .returning(table.c.id)
    )
    return len(db.session.execute(stmt).all())


def cancel_for_pair(mentorship_id: int) -> int:
    """Open invitations about a pair voided as entered by mistake are cancelled ("pair_voided"):
    the pair is out of every audience, and nobody is asked about a pair that never was. Runs
    in the school's scope, not committed (mentorship/surveys/receivers.py)."""
    result = db.session.execute(
        sa.update(SurveyInvitation)
        .where(SurveyInvitation.mentorship_id == mentorship_id, SurveyInvitation.status.in_(OPEN_INVITATION_STATUSES))
        .values(status="cancelled", cancel_reason="pair_voided", claimed_at=None, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
