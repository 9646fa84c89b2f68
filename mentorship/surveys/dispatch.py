"""Sending survey invitations and reminders by e-mail, expiring and closing campaigns, and
cancelling a person's invitations when their consent is withdrawn.

Exactly once. ``send_pending`` never sends from a row it has not *claimed*: a batch of due
invitations is switched from "pending" to "sending" by one conditional UPDATE (``… AND status =
'pending' RETURNING id``; on PostgreSQL the candidates are picked ``FOR UPDATE SKIP LOCKED``)
and committed before anything is sent. A repeated task, a retry or a concurrent worker can only
claim rows that are still pending, so no invitation is mailed twice. After the batch the sent
rows become "sent" in one UPDATE, committed with the campaign's progress. The one
at-least-once window: a worker killed between handing a message to the SMTP server and that
commit leaves its claims "sending"; a claim older than ``STALE_CLAIM`` (30 minutes) is given
back to "pending" and mailed again — a duplicate is possible only for the messages of that one
interrupted batch. Reminders are claimed the same way (``reminders_sent`` is raised by a
conditional UPDATE before the reminder goes out).

At sending time the address is read afresh (the participant's own or the legal
representative's, by ``address_kind``, or the curator's account) and the consent checked
again (a valid one, not withdrawn, the person not anonymised): without them the invitation is
cancelled ("no_consent", "no_address") and nothing is sent.

SMTP. One connection per batch of ``SURVEY_MAIL_BATCH`` messages, at most
``SURVEY_MAIL_RATE`` messages a second (0: unlimited). A recipient the server refuses makes
that invitation "failed". A connection or server error gives the batch's unsent claims back
("pending", ``attempts`` + 1, ``last_error``, ``next_attempt_at`` after an exponential backoff
of 1, 2, 4 … minutes, at most 6 hours; "failed" after ``MAX_ATTEMPTS``) and raises
``DispatchUnavailable`` so the task retries when the rows are due again.

Cross-tenant: the invitations of a campaign belong to many schools, so the dispatch runs
under ``unscoped("surveys.dispatch")`` and touches only the survey tables and the recipients'
addresses. Memory stays flat: rows are claimed, read and sent one batch at a time as plain
tuples, and nothing sent is kept.
"""
from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from core.extensions import db
from core.mail import build_message, smtp_connection
from core.model import utcnow
from mentorship.people.models import Consent, Participant
from mentorship.surveys import mail as survey_mail
from mentorship.surveys.links import link_builder
from mentorship.surveys.models import (
    OPEN_INVITATION_STATUSES,
    SurveyCampaign,
    SurveyInvitation,
    SurveyTemplate,
)
from tenants.context import unscoped
from tenants.models import Organization, User

log = logging.getLogger("nastavnik.surveys.dispatch")

SCOPE = "surveys.dispatch"
STALE_CLAIM = timedelta(minutes=30)
MAX_ATTEMPTS = 8
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=6)
ERROR_MAX = 500  # characters of an SMTP error kept in last_error

Inv = SurveyInvitation


class DispatchUnavailable(RuntimeError):
    """The SMTP server was unreachable or failed mid-batch; the unsent claims were given back.
    ``retry_in``: seconds until the first of them is due again (None: all of them gave up)."""

    def __init__(self, message: str, retry_in: float | None):
        super().__init__(message)
        self.retry_in = retry_in


def retry_delay(attempts: int, base: timedelta = RETRY_BASE) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: base, 2·base, 4·base … ≤ 6 hours."""
    return min(base * 2 ** max(attempts - 1, 0), RETRY_CAP)


class Pacer:
    """At most ``rate`` messages a second (0: no limit); ``sleep`` and ``clock`` injectable."""

    def __init__(self, rate: float, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.sleep, self.clock = sleep, clock
        self._next: float | None = None

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if self._next is not None and self._next > now:
            self.sleep(self._next - now)
            now = self._next
        self._next = now + self.interval


# -- sending one batch ---------------------------------------------------------------------------

@dataclass
class _Recipient:
    id: int
    campaign_id: int
    role: str
    address_kind: str
    expires_on: date
    address: str | None
    consented: bool


@dataclass
class _Outcome:
    sent: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    cancelled: list[tuple[int, str]] = field(default_factory=list)
    unsent: list[int] = field(default_factory=list)
    error: str | None = None


def _recipients(ids: list[int]) -> list[_Recipient]:
    """The claimed rows with the address and consent as they are now."""
    consented = sa.select(Consent.id).where(
        Consent.participant_id == Inv.participant_id, Consent.withdrawn_on.is_(None)).exists()
    rows = db.session.execute(
        sa.select(Inv.id, Inv.campaign_id, Inv.role, Inv.address_kind, Inv.expires_on, Inv.participant_id,
                  Participant.email, Participant.representative_email, Participant.anonymised_at,
                  User.email, User.is_active, consented)
        .outerjoin(Participant, Participant.id == Inv.participant_id)
        .outerjoin(User, User.id == Inv.user_id)
        .where(Inv.id.in_(ids)).order_by(Inv.id)
    ).all()
    out = []
    for (id_, campaign_id, role, kind, expires_on, participant_id, email, rep_email, anonymised,
         user_email, user_active, has_consent) in rows:
        if participant_id is not None:
            ok = bool(has_consent) and anonymised is None
            address = {"self": email, "representative": rep_email}.get(kind)
        else:
            ok = True  # a curator: staff of the school, no personal-data consent involved
            address = user_email if user_active else None
        out.append(_Recipient(id_, campaign_id, role, kind, expires_on, (address or "").strip() or None, ok))
    return out


def _campaign_texts(campaign_ids: set[int], cache: dict) -> None:
    """Fill ``cache``: campaign id → (CampaignText, closes_on)."""
    missing = campaign_ids - cache.keys()
    if not missing:
        return
    for id_, title, org_name, purpose, closes_on in db.session.execute(
        sa.select(SurveyCampaign.id, SurveyCampaign.title, Organization.name, SurveyTemplate.purpose,
                  SurveyCampaign.closes_on)
        .join(Organization, Organization.id == SurveyCampaign.org_id)
        .join(SurveyTemplate, SurveyTemplate.id == SurveyCampaign.template_id)
        .where(SurveyCampaign.id.in_(missing))
    ):
        cache[id_] = (survey_mail.CampaignText(title=title, organisation=org_name, purpose=purpose), closes_on)


def _send_batch(recipients: list[_Recipient], compose, pacer: Pacer, texts: dict, *,
                cancel_without_address: bool = True) -> _Outcome:
    """Send one message per recipient over one connection; never raises for SMTP trouble."""
    config = current_app.config
    sender = config["MAIL_DEFAULT_SENDER"]
    outcome = _Outcome()
    _campaign_texts({r.campaign_id for r in recipients}, texts)
    todo = []
    for r in recipients:
        if not r.consented:
            outcome.cancelled.append((r.id, "no_consent"))
        elif r.address is None:
            if cancel_without_address:
                outcome.cancelled.append((r.id, "no_address"))
        else:
            todo.append(r)
    if not todo:
        return outcome
    done = 0
    try:
        with smtp_connection() as connection:
            links = link_builder()
            for r in todo:
                text, closes_on = texts[r.campaign_id]
                answer_by = min(r.expires_on, closes_on) if closes_on else r.expires_on
                subject, body = compose(text, role=r.role, address_kind=r.address_kind,
                                        link=links(r.id), answer_by=answer_by)
                try:
                    message = build_message(r.address, subject, body, sender)
                except ValueError as exc:  # a malformed address
                    outcome.failed.append((r.id, str(exc)[:ERROR_MAX]))
                    done += 1
                    continue
                pacer.wait()
                try:
                    connection.send_message(message)
                except smtplib.SMTPRecipientsRefused as exc:
                    outcome.failed.append((r.id, str(exc.recipients)[:ERROR_MAX]))
                else:
                    outcome.sent.append(r.id)
                done += 1
    except (OSError, smtplib.SMTPException) as exc:
        outcome.error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
        outcome.unsent = [r.id for r in todo[done:]]
        log.warning("survey mail: SMTP failed after %s of %s messages: %s", done, len(todo), outcome.error)
    return outcome


# -- invitations ---------------------------------------------------------------------------------

def _utc(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def _local_date(now: datetime) -> date:
    return now.astimezone(ZoneInfo(current_app.config["CELERY"]["timezone"])).date()


def _open_campaign(campaign, today: date):
    return sa.and_(campaign.status == "open", campaign.opens_on <= today,
                   sa.or_(campaign.closes_on.is_(None), campaign.closes_on >= today))


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _execute(stmt):
    return db.session.execute(stmt.execution_options(synchronize_session=False))


def release_stale_claims(now: datetime) -> int:
    """Claims of a worker that died mid-batch go back to "pending" (the at-least-once window)."""
    result = _execute(sa.update(Inv).where(Inv.status == "sending", Inv.claimed_at < now - STALE_CLAIM)
                      .values(status="pending", claimed_at=None))
    return result.rowcount


def _picked(due: sa.Select, candidate) -> sa.Select:
    """The ids chosen by ``due`` (ordered, limited) as a subquery for the claiming UPDATE. On
    PostgreSQL they are locked ``FOR UPDATE SKIP LOCKED`` in a MATERIALIZED CTE: evaluated
    exactly once (a LIMIT subquery in ``IN (…)`` may be re-run by the planner and claim more
    rows than asked), and rows another worker is claiming right now are skipped, not waited for."""
    if not _postgres():
        return due
    cte = due.with_for_update(skip_locked=True, of=candidate).cte("due").prefix_with("MATERIALIZED")
    return sa.select(cte.c.id)


def _claim(campaign_id: int | None, now: datetime, today: date, size: int) -> list[int]:
    candidate = aliased(Inv)
    due = (
        sa.select(candidate.id)
        .join(SurveyCampaign, SurveyCampaign.id == candidate.campaign_id)
        .where(candidate.status == "pending", candidate.channel == "email",
               sa.or_(candidate.next_attempt_at.is_(None), candidate.next_attempt_at <= now),
               candidate.expires_on >= today, _open_campaign(SurveyCampaign, today))
        .order_by(candidate.id).limit(size)
    )
    if campaign_id is not None:
        due = due.where(candidate.campaign_id == campaign_id)
    ids = _execute(
        sa.update(Inv).where(Inv.id.in_(_picked(due, candidate)), Inv.status == "pending")
        .values(status="sending", claimed_at=now).returning(Inv.id)
    ).scalars().all()
    db.session.commit()
    return sorted(ids)


def _record_invitations(outcome: _Outcome, recipients: list[_Recipient], now: datetime,
                        retry_base: timedelta) -> timedelta | None:
    """The batch's results in one transaction, with the campaigns' progress. Returns the
    soonest backoff of the claims given back (None: none given back)."""
    if outcome.sent:
        _execute(sa.update(Inv).where(Inv.id.in_(outcome.sent), Inv.status == "sending")
                 .values(status="sent", sent_at=now, claimed_at=None, last_error=None, next_attempt_at=None))
    for reason in {reason for _, reason in outcome.cancelled}:
        ids = [id_ for id_, r in outcome.cancelled if r == reason]
        _execute(sa.update(Inv).where(Inv.id.in_(ids), Inv.status == "sending")
                 .values(status="cancelled", cancel_reason=reason, claimed_at=None))
    for id_, error in outcome.failed:
        _execute(sa.update(Inv).where(Inv.id == id_, Inv.status == "sending")
                 .values(status="failed", last_error=error, claimed_at=None, attempts=Inv.attempts + 1))
    gave_up: set[int] = set()
    soonest: timedelta | None = None
    if outcome.unsent:
        by_attempts: dict[int, list[int]] = {}
        for id_, attempts in db.session.execute(sa.select(Inv.id, Inv.attempts).where(Inv.id.in_(outcome.unsent))):
            by_attempts.setdefault(attempts, []).append(id_)
        for attempts, ids in by_attempts.items():
            final = attempts + 1 >= MAX_ATTEMPTS
            if final:
                gave_up.update(ids)
            else:
                delay = retry_delay(attempts + 1, retry_base)
                soonest = delay if soonest is None else min(soonest, delay)
            _execute(sa.update(Inv).where(Inv.id.in_(ids), Inv.status == "sending").values(
                status="failed" if final else "pending", attempts=attempts + 1, last_error=outcome.error,
                claimed_at=None, next_attempt_at=None if final else now + retry_delay(attempts + 1, retry_base)))
    # Progress: sent or given up counts as done; a cancelled one leaves the total.
    per_campaign: dict[int, list[int]] = {}
    campaign_of = {r.id: r.campaign_id for r in recipients}
    for id_ in [*outcome.sent, *(i for i, _ in outcome.failed), *gave_up]:
        per_campaign.setdefault(campaign_of[id_], [0, 0])[0] += 1
    for id_, _ in outcome.cancelled:
        per_campaign.setdefault(campaign_of[id_], [0, 0])[1] += 1
    for campaign_id, (done, cancelled) in per_campaign.items():
        _execute(sa.update(SurveyCampaign).where(SurveyCampaign.id == campaign_id).values(
            dispatch_done=SurveyCampaign.dispatch_done + done,
            dispatch_total=SurveyCampaign.dispatch_total - cancelled))
    db.session.commit()
    return soonest


def _start_progress(campaign_id: int) -> None:
    email = sa.and_(Inv.campaign_id == campaign_id, Inv.channel == "email")
    total, done = db.session.execute(
        sa.select(sa.func.count().filter(Inv.status.notin_(("cancelled", "expired"))),
                  sa.func.count().filter(Inv.status.in_(("sent", "answered", "failed"))))
        .select_from(Inv).where(email)
    ).one()
    _execute(sa.update(SurveyCampaign).where(SurveyCampaign.id == campaign_id).values(
        dispatch_state="running", dispatch_total=total, dispatch_done=done, dispatch_error=None))
    db.session.commit()


def _finish_progress(campaign_id: int, state: str, error: str | None = None) -> None:
    _execute(sa.update(SurveyCampaign).where(SurveyCampaign.id == campaign_id)
             .values(dispatch_state=state, dispatch_error=error))
    db.session.commit()


def send_pending(campaign_id: int | None = None, *, now: datetime | None = None, limit: int | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 retry_base: timedelta = RETRY_BASE) -> int:
    """Send the due e-mail invitations of one campaign (or of every open one), at most
    ``limit``; returns how many were sent. Raises ``DispatchUnavailable`` when the SMTP server
    fails (what was sent before stays sent; the rest is due again after the backoff)."""
    now = _utc(now)
    today = _local_date(now)
    config = current_app.config
    batch_size = max(int(config["SURVEY_MAIL_BATCH"]), 1)
    pacer = Pacer(config["SURVEY_MAIL_RATE"], sleep, clock)
    texts: dict = {}
    sent = 0
    with unscoped(SCOPE):
        release_stale_claims(now)
        db.session.commit()
        if campaign_id is not None:
            _start_progress(campaign_id)
        exhausted = False
        started = clock()
        while limit is None or sent < limit:
            size = batch_size if limit is None else min(batch_size, limit - sent)
            # The time moves on during a long run: each batch's claim is stamped when it is
            # made, so the stale-claim release of a tick never takes a batch being sent now.
            batch_now = now + timedelta(seconds=max(clock() - started, 0.0))
            ids = _claim(campaign_id, batch_now, today, size)
            if not ids:
                exhausted = True
                break
            recipients = _recipients(ids)
            outcome = _send_batch(recipients, survey_mail.invitation, pacer, texts)
            backoff = _record_invitations(outcome, recipients, now + timedelta(seconds=max(clock() - started, 0.0)),
                                          retry_base)
            sent += len(outcome.sent)
            if outcome.error is not None:
                if campaign_id is not None:
                    # The campaign is seen along its whole line: only the kind of failure goes
                    # there; the server's own words (which may name an address) stay on the
                    # school's invitations.
                    _finish_progress(campaign_id, "failed", outcome.error.split(":", 1)[0])
                raise DispatchUnavailable(outcome.error, backoff.total_seconds() if backoff else None)
        if campaign_id is not None:
            # Stopped at ``limit`` with mail still due: the next tick goes on, still "running".
            _finish_progress(campaign_id, "done" if exhausted else "running")
    return sent


# -- reminders -----------------------------------------------------------------------------------

def _claim_reminders(campaign_id: int, step: int, cutoff: datetime, today: date, now: datetime,
                     size: int) -> list[int]:
    candidate = aliased(Inv)
    due = (
        sa.select(candidate.id)
        .where(candidate.campaign_id == campaign_id, candidate.status == "sent", candidate.channel == "email",
               candidate.reminders_sent <= step, candidate.sent_at < cutoff, candidate.expires_on >= today)
        .order_by(candidate.id).limit(size)
    )
    ids = _execute(
        sa.update(Inv).where(Inv.id.in_(_picked(due, candidate)), Inv.status == "sent", Inv.reminders_sent <= step)
        .values(reminders_sent=step + 1, last_reminded_at=now).returning(Inv.id)
    ).scalars().all()
    db.session.commit()
    return sorted(ids)


def send_reminders(today: date, *, now: datetime | None = None, sleep: Callable[[float], None] = time.sleep,
                   clock: Callable[[], float] = time.monotonic) -> int:
    """Remind those who have not answered (status "sent"): step k of ``reminder_days`` is due
    when the sending day + reminder_days[k] ≤ ``today``; each step is claimed (``reminders_sent``
    raised by a conditional UPDATE) before it is mailed, so nobody is reminded twice for it. Of
    several steps due at once (a missed tick) only one reminder goes out. Returns how many."""
    now = _utc(now)
    config = current_app.config
    batch_size = max(int(config["SURVEY_MAIL_BATCH"]), 1)
    pacer = Pacer(config["SURVEY_MAIL_RATE"], sleep, clock)
    texts: dict = {}
    reminded = 0
    with unscoped(SCOPE):
        campaigns = db.session.execute(
            sa.select(SurveyCampaign.id, SurveyCampaign.reminder_days).where(_open_campaign(SurveyCampaign, today))
            .order_by(SurveyCampaign.id)
        ).all()
        db.session.commit()
        for campaign_id, reminder_days in campaigns:
            days = [d for d in (reminder_days or []) if isinstance(d, int) and d > 0]
            for step in reversed(range(len(days))):
                # sent_at's local date + days[step] ≤ today  ⇔  sent_at < the local midnight
                # starting the day after (today − days[step])
                cutoff = datetime.combine(today - timedelta(days=days[step] - 1), dt_time(),
                                          tzinfo=ZoneInfo(current_app.config["CELERY"]["timezone"]))
                while True:
                    ids = _claim_reminders(campaign_id, step, cutoff, today, now, batch_size)
                    if not ids:
                        break
                    outcome = _send_batch(_recipients(ids), survey_mail.reminder, pacer, texts,
                                          cancel_without_address=False)
                    _record_reminders(outcome, step)
                    reminded += len(outcome.sent)
                    if outcome.error is not None:
                        raise DispatchUnavailable(outcome.error, retry_delay(1).total_seconds())
    return reminded


def _record_reminders(outcome: _Outcome, step: int) -> None:
    ids = [id_ for id_, reason in outcome.cancelled if reason == "no_consent"]
    if ids:
        _execute(sa.update(Inv).where(Inv.id.in_(ids), Inv.status.in_(OPEN_INVITATION_STATUSES))
                 .values(status="cancelled", cancel_reason="no_consent"))
    for id_, error in outcome.failed:
        _execute(sa.update(Inv).where(Inv.id == id_).values(last_error=error))
    if outcome.unsent:  # not reminded after all: the step is due again on the next run
        _execute(sa.update(Inv).where(Inv.id.in_(outcome.unsent), Inv.reminders_sent == step + 1)
                 .values(reminders_sent=step, last_error=outcome.error))
    db.session.commit()


# -- closing, expiry, withdrawal -----------------------------------------------------------------

def expire_and_close(today: date, *, now: datetime | None = None) -> int:
    """Close the open campaigns whose closing date has passed; expire the open invitations of
    closed campaigns and those past their ``expires_on``. Returns the invitations expired."""
    now = _utc(now)
    with unscoped(SCOPE):
        _execute(sa.update(SurveyCampaign)
                 .where(SurveyCampaign.status == "open", SurveyCampaign.closes_on < today)
                 .values(status="closed", closed_at=now))
        closed = sa.select(SurveyCampaign.id).where(SurveyCampaign.status == "closed")
        result = _execute(
            sa.update(Inv).where(Inv.status.in_(OPEN_INVITATION_STATUSES),
                                 sa.or_(Inv.expires_on < today, Inv.campaign_id.in_(closed)))
            .values(status="expired", claimed_at=None, next_attempt_at=None)
        )
        db.session.commit()
    return result.rowcount


def cancel_for_participant(person: Participant) -> int:
    """Every open invitation of ``person`` is cancelled ("consent_withdrawn"); runs in the
    school's scope, not committed (mentorship/surveys/receivers.py, on ``person_erased``)."""
    result = _execute(
        sa.update(Inv).where(Inv.participant_id == person.id, Inv.status.in_(OPEN_INVITATION_STATUSES))
        .values(status="cancelled", cancel_reason="consent_withdrawn", claimed_at=None, next_attempt_at=None)
    )
    return result.rowcount
