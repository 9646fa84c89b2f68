"""Survey dispatch against a real SMTP server on loopback (aiosmtpd): exactly-once claims,
batches over one connection, pacing, SMTP outages and refusals, consent and addresses read at
sending time, reminders to non-responders, expiry and closing."""
from __future__ import annotations

import re
import smtplib
import threading
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import current_app

from core.extensions import db
from mentorship.people.consents import withdraw_consent
from mentorship.people.models import Consent, Participant
from mentorship.people.signals import person_erased
from mentorship.surveys import dispatch as survey_dispatch
from mentorship.surveys.dispatch import (
    DispatchUnavailable,
    Pacer,
    cancel_for_participant,
    expire_and_close,
    retry_delay,
    send_pending,
    send_reminders,
)
from mentorship.surveys.links import read_link_token
from mentorship.surveys.models import SurveyCampaign, SurveyInvitation
from mentorship.surveys.receivers import cancel_invitations
from tenants.context import tenant_scope, unscoped
from tests.support.school import make_mentee, make_mentor
from tests.support.services import free_port
from tests.support.smtp import Mailbox, smtp_server
from tests.support.surveys import CLOSES, make_campaign, make_template

pytestmark = pytest.mark.backends("sqlite", "postgresql")

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
LINK = re.compile(r"https?://\S+/s/(\S+)")


@pytest.fixture
def mail_config(app):
    """SMTP delivery, no pacing; the session app's mail settings are restored afterwards."""
    keys = ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT", "MAIL_TIMEOUT", "SURVEY_MAIL_RATE", "SURVEY_MAIL_BATCH")
    saved = {k: app.config[k] for k in keys}
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=5,
                      SURVEY_MAIL_RATE=0, SURVEY_MAIL_BATCH=200)
    try:
        yield app.config
    finally:
        app.config.update(saved)


@pytest.fixture
def mail(mail_config):
    """A real SMTP server on loopback that the app sends to."""
    with smtp_server() as mailbox:
        mail_config["MAIL_PORT"] = mailbox.port
        yield mailbox


class World:
    def __init__(self, tree):
        self.org_id, self.path = tree.ids["r1m1s1"], tree.paths["r1m1s1"]
        with self.scope():
            template = make_template(self.org_id)
            self.campaign = make_campaign(self.org_id, template, "Итоговое анкетирование").id
            db.session.commit()

    def scope(self):
        return tenant_scope(self.org_id, self.path)

    def invite(self, person: Participant, *, role: str = "mentor", campaign: int | None = None, **fields) -> int:
        fields.setdefault("expires_on", CLOSES)
        invitation = SurveyInvitation(org_id=self.org_id, campaign_id=campaign or self.campaign,
                                      recipient_key=f"{role}:{person.id}", role=role, participant_id=person.id,
                                      **fields)
        db.session.add(invitation)
        db.session.flush()
        return invitation.id

    def mentors(self, n: int, prefix: str = "m") -> list[Participant]:
        return [make_mentor(self.org_id, f"Наставник {prefix}{i}", email=f"{prefix}{i}@example.org") for i in range(n)]


def rows(**where) -> dict[int, SurveyInvitation]:
    with unscoped("tests.surveys"):
        db.session.expire_all()
        found = db.session.scalars(sa.select(SurveyInvitation).filter_by(**where)).all()
        return {i.id: i for i in found}


def status(invitation_id: int) -> str:
    with unscoped("tests.surveys"):
        db.session.expire_all()
        return db.session.get(SurveyInvitation, invitation_id).status


def link_of(message) -> int:
    match = LINK.search(message.get_content())
    assert match, message.get_content()
    return read_link_token(match.group(1))


def test_sends_each_due_invitation_once_with_its_own_link(ctx, tree, mail):
    w = World(tree)
    with w.scope():
        mentors = w.mentors(3)
        ids = {m.email: w.invite(m) for m in mentors}
        pupil = make_mentee(w.org_id, "Кузнецов Павел Андреевич", representative_email="mama@example.org")
        for_parent = w.invite(pupil, role="mentee", address_kind="representative")
        paper = w.invite(make_mentee(w.org_id, "Петров Иван"), role="mentee", channel="paper")
        db.session.commit()

    assert send_pending(w.campaign, now=NOW) == 4
    messages = mail.messages
    by_to = {m["To"]: m for m in messages}
    assert len(messages) == 4 and set(by_to) == {*ids, "mama@example.org"}
    for address, invitation_id in ids.items():
        assert link_of(by_to[address]) == invitation_id  # each link opens its own invitation
        assert by_to[address]["X-Envelope-To"] == address
        assert "Итоговое анкетирование" in by_to[address]["Subject"]
    parent = by_to["mama@example.org"]
    assert link_of(parent) == for_parent
    assert "Ваш ребёнок участвует в программе наставничества" in parent.get_content()
    assert "Кузнецов" not in parent["Subject"] and "Кузнецов" not in parent.get_content()
    body = messages[0].get_content()
    assert "анонимный" in body and "один раз" in body and "31.12.2026" in body

    sent = rows(status="sent")
    assert set(sent) == {*ids.values(), for_parent}
    assert all(i.sent_at is not None and i.claimed_at is None for i in sent.values())
    assert status(paper) == "pending"  # a paper invitation is printed, never mailed

    # A repeated run (a retried or duplicated task) sends nothing.
    assert send_pending(w.campaign, now=NOW + timedelta(minutes=5)) == 0
    assert send_pending(None, now=NOW + timedelta(minutes=5)) == 0
    assert len(mail.messages) == 4
    with unscoped("tests"):
        campaign = db.session.get(SurveyCampaign, w.campaign)
        assert (campaign.dispatch_state, campaign.dispatch_total, campaign.dispatch_done) == ("done", 4, 4)


class _CountingSMTP(smtplib.SMTP):
    connections: list[list[str]] = []

    def __init__(self, *args, **kwargs):
        self.sent_here: list[str] = []
        _CountingSMTP.connections.append(self.sent_here)
        super().__init__(*args, **kwargs)

    def send_message(self, message, *args, **kwargs):
        self.sent_here.append(message["To"])
        return super().send_message(message, *args, **kwargs)


def test_batches_share_one_connection_and_are_paced(ctx, tree, mail, app, monkeypatch):
    w = World(tree)
    with w.scope():
        for m in w.mentors(5):
            w.invite(m)
        db.session.commit()
    _CountingSMTP.connections = []
    monkeypatch.setattr(survey_dispatch.smtplib, "SMTP", _CountingSMTP)
    app.config.update(SURVEY_MAIL_BATCH=2, SURVEY_MAIL_RATE=10)
    clock, sleeps = [100.0], []

    def sleep(seconds):
        sleeps.append(round(seconds, 6))
        clock[0] += seconds

    assert send_pending(w.campaign, now=NOW, sleep=sleep, clock=lambda: clock[0]) == 5
    assert [len(c) for c in _CountingSMTP.connections] == [2, 2, 1]
    assert len(mail.messages) == 5
    # 10 a second: the clock does not move by itself here, so every message after the first waits 0.1 s.
    assert sleeps == [0.1] * 4


def test_pacer_does_not_wait_when_sending_is_slower_than_the_rate():
    clock, sleeps = [0.0], []
    pacer = Pacer(4, sleeps.append, lambda: clock[0])
    for step in (0.0, 0.5, 0.5, 0.1):
        clock[0] += step
        pacer.wait()
    assert sleeps == [pytest.approx(0.15)]
    assert Pacer(0, sleeps.append).wait() is None and len(sleeps) == 1


def test_concurrent_workers_never_send_an_invitation_twice(ctx, tree, mail, app, backend):
    if backend != "postgresql":
        pytest.skip("concurrent claims need separate connections (PostgreSQL)")
    w = World(tree)
    with w.scope():
        for m in w.mentors(40):
            w.invite(m)
        db.session.commit()
    app.config.update(SURVEY_MAIL_BATCH=3)
    counts, errors = [], []
    start = threading.Barrier(3)

    def worker():
        try:
            with app.app_context():
                start.wait()
                counts.append(send_pending(None, now=NOW))
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and sum(counts) == 40
    recipients = Counter(m["To"] for m in mail.messages)
    assert len(recipients) == 40 and set(recipients.values()) == {1}
    assert len(rows(status="sent")) == 40


def test_a_claim_held_by_another_transaction_is_skipped(ctx, tree, mail, backend):
    w = World(tree)
    with w.scope():
        first, second = (w.invite(m) for m in w.mentors(2))
        db.session.commit()
    if backend == "postgresql":
        # Another worker is between picking its rows and committing its claim: they are locked.
        with db.engine.connect() as other:
            other.execute(sa.text("SELECT id FROM survey_invitations WHERE id = :id FOR UPDATE"), {"id": first})
            assert send_pending(w.campaign, now=NOW) == 1
            other.rollback()
        assert [m["To"] for m in mail.messages] == ["m1@example.org"]
    # A claim committed by another worker ("sending", fresh) is never taken over …
    with unscoped("tests"):
        db.session.execute(sa.update(SurveyInvitation).where(SurveyInvitation.id.in_([first, second]))
                           .values(status="sending", claimed_at=NOW).execution_options(synchronize_session=False))
        db.session.commit()
    before = len(mail.messages)
    assert send_pending(w.campaign, now=NOW + timedelta(minutes=29)) == 0
    # … until it is 30 minutes old (a killed worker): then it is sent again, once.
    assert send_pending(w.campaign, now=NOW + timedelta(minutes=31)) == 2
    assert send_pending(w.campaign, now=NOW + timedelta(minutes=32)) == 0
    assert len(mail.messages) == before + 2


def test_smtp_outage_puts_the_batch_back_with_backoff_then_sends_once(ctx, tree, app, mail_config):
    w = World(tree)
    with w.scope():
        ids = [w.invite(m) for m in w.mentors(3)]
        db.session.commit()
    with pytest.raises(DispatchUnavailable) as raised:
        send_pending(w.campaign, now=NOW, clock=lambda: 0.0)  # a stopped clock: times exactly NOW
    assert raised.value.retry_in == 60
    found = rows()
    assert {i.status for i in found.values()} == {"pending"}
    for invitation in found.values():
        assert invitation.attempts == 1 and invitation.sent_at is None
        assert "Connection refused" in invitation.last_error or "Errno" in invitation.last_error
        assert invitation.next_attempt_at.replace(tzinfo=UTC) == NOW + timedelta(minutes=1)
    with unscoped("tests"):
        campaign = db.session.get(SurveyCampaign, w.campaign)
        assert campaign.dispatch_state == "failed" and campaign.dispatch_error

    with smtp_server() as mailbox:
        app.config.update(MAIL_PORT=mailbox.port)
        assert send_pending(w.campaign, now=NOW + timedelta(seconds=30)) == 0  # not due yet
        assert send_pending(w.campaign, now=NOW + timedelta(minutes=1)) == 3
        assert send_pending(w.campaign, now=NOW + timedelta(minutes=2)) == 0
        assert sorted(m["To"] for m in mailbox.messages) == [f"m{i}@example.org" for i in range(3)]
    assert {i.status for i in rows().values()} == {"sent"} and set(rows()) == set(ids)


def test_backoff_doubles_and_gives_up_after_eight_attempts(ctx, tree, app, mail_config):
    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert retry_delay(30) == timedelta(hours=6)
    w = World(tree)
    with w.scope():
        (mentor,) = w.mentors(1)
        invitation = w.invite(mentor, attempts=7)
        w.invite(w.mentors(1, "n")[0], attempts=2)
        db.session.commit()
    with pytest.raises(DispatchUnavailable) as raised:
        send_pending(w.campaign, now=NOW)
    assert raised.value.retry_in == 4 * 60  # the other one's third attempt: due in 4 minutes
    found = rows()[invitation]
    assert (found.status, found.attempts, found.next_attempt_at) == ("failed", 8, None)


class _Refusing(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_refused_recipient_fails_and_the_rest_are_sent(ctx, tree, app, mail):
    w = World(tree)
    with w.scope():
        good = w.invite(make_mentor(w.org_id, "Иванова А.", email="ok@example.org"))
        bad = w.invite(make_mentor(w.org_id, "Петрова Б.", email="nobody@example.org"))
        later = w.invite(make_mentor(w.org_id, "Сидорова В.", email="ok2@example.org"))
        db.session.commit()
    with smtp_server(_Refusing()) as mailbox:
        app.config.update(MAIL_PORT=mailbox.port)
        assert send_pending(w.campaign, now=NOW) == 2
        assert sorted(m["To"] for m in mailbox.messages) == ["ok2@example.org", "ok@example.org"]
    found = rows()
    assert (found[good].status, found[later].status, found[bad].status) == ("sent", "sent", "failed")
    assert "550" in found[bad].last_error and found[bad].sent_at is None


def test_consent_and_address_are_checked_at_sending_time(ctx, tree, mail):
    w = World(tree)
    with w.scope():
        withdrawn = make_mentor(w.org_id, "Отозвавшая Согласие", email="gone@example.org")
        w_id = w.invite(withdrawn)
        no_consent = w.invite(make_mentor(w.org_id, "Без Согласия", email="nc@example.org", consent=False))
        no_address = w.invite(make_mentor(w.org_id, "Без Адреса"))
        moved = make_mentor(w.org_id, "Сменила Адрес", email="old@example.org")
        moved_id = w.invite(moved)
        db.session.commit()
        moved.email = "new@example.org"  # the address is read when the mail goes out
        consent = db.session.scalars(sa.select(Consent).where(Consent.participant_id == withdrawn.id)).one()
        assert cancel_invitations in person_erased.receivers_for(withdrawn)
        assert withdraw_consent(consent, date(2026, 11, 19), "по заявлению", date(2026, 11, 20)) is True
        db.session.commit()

    assert status(w_id) == "cancelled"  # the withdrawal signal, before any sending
    assert send_pending(w.campaign, now=NOW) == 1
    assert [m["To"] for m in mail.messages] == ["new@example.org"]
    found = rows()
    assert (found[w_id].status, found[w_id].cancel_reason) == ("cancelled", "consent_withdrawn")
    assert (found[no_consent].status, found[no_consent].cancel_reason) == ("cancelled", "no_consent")
    assert (found[no_address].status, found[no_address].cancel_reason) == ("cancelled", "no_address")
    assert found[moved_id].status == "sent"


def test_withdrawal_cancels_only_open_invitations_of_that_person(ctx, tree):
    w = World(tree)
    with w.scope():
        person, other = w.mentors(2)
        pending = w.invite(person)
        template = make_template(w.org_id, "Вторая анкета")
        second = make_campaign(w.org_id, template, "Вторая").id
        answered = w.invite(person, campaign=second, status="answered")
        others = w.invite(other)
        assert cancel_for_participant(person) == 1
        db.session.commit()
    assert (status(pending), status(answered), status(others)) == ("cancelled", "answered", "pending")


def test_nothing_is_sent_before_opening_after_closing_or_past_expiry(ctx, tree, mail):
    w = World(tree)
    with w.scope():
        template = make_template(w.org_id, "Ещё анкета")
        future = make_campaign(w.org_id, template, "Будущая", opens_on=date(2026, 12, 1)).id
        draft = make_campaign(w.org_id, template, "Черновик", status="draft").id
        a, b, c = w.mentors(3)
        w.invite(a, campaign=future)
        w.invite(b, campaign=draft)
        expired = w.invite(c, expires_on=date(2026, 11, 19))
        db.session.commit()
    assert send_pending(None, now=NOW) == 0 and mail.messages == []
    assert status(expired) == "pending"


def test_reminders_go_to_non_responders_once_per_step(ctx, tree, mail):
    w = World(tree)  # reminder_days [3, 7]
    sent_at = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
    with w.scope():
        waiting, answered, late = w.mentors(3)
        waiting_id = w.invite(waiting, status="sent", sent_at=sent_at)
        w.invite(answered, status="answered", sent_at=sent_at)
        late_id = w.invite(late, status="sent", sent_at=datetime(2026, 11, 1, 8, 0, tzinfo=UTC))
        db.session.commit()

    assert send_reminders(date(2026, 11, 12)) == 1  # late: both steps due (missed ticks), one reminder
    assert send_reminders(date(2026, 11, 12)) == 0
    assert send_reminders(date(2026, 11, 13)) == 1  # waiting: sent on the 10th + 3 days
    assert send_reminders(date(2026, 11, 13)) == 0  # a rerun reminds nobody twice
    assert send_reminders(date(2026, 11, 16)) == 0
    assert send_reminders(date(2026, 11, 17)) == 1
    assert send_reminders(date(2026, 11, 30)) == 0  # every step done
    recipients = Counter(m["To"] for m in mail.messages)
    assert recipients == Counter({"m0@example.org": 2, "m2@example.org": 1})
    reminder = mail.messages[-1]
    assert "напоминание" in reminder["Subject"] and link_of(reminder) == waiting_id
    found = rows()
    assert (found[waiting_id].reminders_sent, found[late_id].reminders_sent) == (2, 2)
    assert all(i.status in ("sent", "answered") for i in found.values())


def test_expire_and_close(ctx, tree):
    w = World(tree)
    with w.scope():
        template = make_template(w.org_id, "Ещё анкета")
        ending = make_campaign(w.org_id, template, "Кончается", closes_on=date(2026, 11, 30)).id
        a, b, c, d, e = w.mentors(5)
        pending = w.invite(a, campaign=ending, expires_on=date(2026, 11, 30))
        answered = w.invite(b, campaign=ending, status="answered", expires_on=date(2026, 11, 30))
        short_life = w.invite(c, status="sent", expires_on=date(2026, 11, 25))
        alive = w.invite(d, status="sent")
        failed = w.invite(e, status="failed", expires_on=date(2026, 11, 20))
        db.session.commit()

    assert expire_and_close(date(2026, 11, 26)) == 2  # short_life and failed: past their own dates
    assert expire_and_close(date(2026, 12, 1)) == 1  # the campaign closes: its open invitation
    assert expire_and_close(date(2026, 12, 1)) == 0
    assert [status(i) for i in (pending, answered, short_life, alive, failed)] == [
        "expired", "answered", "expired", "sent", "expired"]
    with unscoped("tests"):
        assert db.session.get(SurveyCampaign, ending).status == "closed"
        assert db.session.get(SurveyCampaign, w.campaign).status == "open"


def test_console_backend_keeps_the_messages_in_the_outbox(ctx, tree, app, mail_config):
    w = World(tree)
    with w.scope():
        w.invite(w.mentors(1)[0])
        db.session.commit()
    mail_config["MAIL_BACKEND"] = "console"
    assert send_pending(w.campaign, now=NOW) == 1
    (message,) = app.extensions["mail_outbox"]
    assert message["To"] == "m0@example.org"


def test_tick_is_scheduled_with_expiry(app):
    from tasks.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["surveys-tick"]
    celery_app = app.extensions["celery"]
    assert entry["task"] == "nastavnik.surveys.tick" and entry["task"] in celery_app.tasks
    assert 0 < entry["options"]["expires"] <= 15 * 60
    assert "nastavnik.surveys.dispatch" in celery_app.tasks


def test_a_worker_without_server_name_links_to_the_public_address(ctx, tree, mail, app):
    w = World(tree)
    with w.scope():
        invitation = w.invite(w.mentors(1)[0])
        db.session.commit()
    saved = app.config["SERVER_NAME"], app.config["PUBLIC_BASE_URL"]
    app.config.update(SERVER_NAME=None, PUBLIC_BASE_URL="https://nastavnik.example.org")
    try:
        assert send_pending(w.campaign, now=NOW) == 1
    finally:
        app.config["SERVER_NAME"], app.config["PUBLIC_BASE_URL"] = saved
    (message,) = mail.messages
    assert "https://nastavnik.example.org/s/" in message.get_content() and link_of(message) == invitation


def test_tick_runs_every_step_and_outlives_an_smtp_outage(app, monkeypatch):
    from mentorship.surveys import triggers as survey_triggers
    from tasks.surveys import tick

    def down(*args, **kwargs):
        raise DispatchUnavailable("SMTPServerDisconnected", 60)

    monkeypatch.setattr(survey_triggers, "run_triggers", lambda today: [7])
    monkeypatch.setattr(survey_dispatch, "send_pending", down)
    monkeypatch.setattr(survey_dispatch, "send_reminders", lambda today: 2)
    monkeypatch.setattr(survey_dispatch, "expire_and_close", lambda today: 3)
    assert tick.apply().get() == {"triggered": 1, "sent": None, "reminded": 2, "expired": 3}


def test_claims_of_a_long_run_carry_the_time_they_were_made(ctx, tree, mail):
    """A tick's stale-claim release (30 minutes) must never take the batch a long run is
    sending now: each batch is stamped with the time it was claimed, not the run's start."""
    w = World(tree)
    with w.scope():
        for mentor in w.mentors(4, prefix="long"):
            w.invite(mentor)
        db.session.commit()
    # start, claim 1, record 1, claim 2, record 2, (no claim 3): each batch an hour after the last
    ticks = iter([0.0, 0.0, 3600.0, 3600.0, 7200.0, 7200.0])
    mail_config_batch = current_app.config["SURVEY_MAIL_BATCH"]
    current_app.config["SURVEY_MAIL_BATCH"] = 2
    try:
        assert send_pending(w.campaign, now=NOW, clock=lambda: next(ticks, 7200.0)) == 4
    finally:
        current_app.config["SURVEY_MAIL_BATCH"] = mail_config_batch
    sent = sorted(i.sent_at.replace(tzinfo=UTC) for i in rows(status="sent").values())
    assert sent == [NOW + timedelta(hours=1)] * 2 + [NOW + timedelta(hours=2)] * 2


def test_a_limited_run_leaves_the_rest_due_and_the_campaign_running(ctx, tree, mail):
    w = World(tree)
    with w.scope():
        for mentor in w.mentors(5, prefix="lim"):
            w.invite(mentor)
        db.session.commit()

    def state():
        with unscoped("tests.surveys"):
            db.session.expire_all()
            campaign = db.session.get(SurveyCampaign, w.campaign)
            return campaign.dispatch_state, campaign.dispatch_done, campaign.dispatch_total

    assert send_pending(w.campaign, now=NOW, limit=2) == 2
    assert state() == ("running", 2, 5) and len(mail.messages) == 2
    assert send_pending(w.campaign, now=NOW) == 3
    assert state() == ("done", 5, 5) and len({m["To"] for m in mail.messages}) == 5
