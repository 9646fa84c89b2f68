"""Survey dispatch through real Celery workers, Redis, PostgreSQL and a real SMTP server.

Two ``celery -A make_celery worker`` processes share a fresh PostgreSQL database and a Redis
broker with the test process. The dispatch task, queued twice at once, mails each of 50
invitations exactly once; with the SMTP server down at first, the task retries with backoff
and delivers once the server is back, again exactly once.

The task reads the wall clock (it is a production task), so the campaign is open around the
real today.
"""
from __future__ import annotations

import re
import time
from collections import Counter
from datetime import date, timedelta

import sqlalchemy as sa
from aiosmtpd.controller import Controller

import config
from core.extensions import db
from mentorship.surveys.links import read_link_token
from mentorship.surveys.models import SurveyCampaign, SurveyInvitation
from tenants.context import tenant_scope, unscoped
from tests.conftest import service_url
from tests.integration.conftest import schema_and_tree
from tests.integration.roadmaps.test_roadmap_reminders_worker import _wait_for_workers
from tests.support.school import make_mentor
from tests.support.services import free_port
from tests.support.smtp import Mailbox, smtp_server
from tests.support.surveys import make_campaign, make_template

TASK = "nastavnik.surveys.dispatch"
PUBLIC_BASE_URL = "https://nastavnik.example.org"
LINK = re.compile(re.escape(PUBLIC_BASE_URL) + r"/s/(\S+)")


def _setup(extra_app, fresh_pg_url, invitations: int):
    import redis

    redis_url = service_url("redis")
    redis.Redis.from_url(redis_url).flushdb()
    celery_settings = dict(config.TestingConfig().CELERY, broker_url=redis_url, result_backend=redis_url)
    app = extra_app(config.TestingConfig(), SQLALCHEMY_DATABASE_URI=fresh_pg_url, CELERY=celery_settings,
                    PUBLIC_BASE_URL=PUBLIC_BASE_URL)
    tree = schema_and_tree(app)
    today = date.today()
    with app.app_context():
        org_id = tree.ids["r1m1s1"]
        with tenant_scope(org_id, tree.paths["r1m1s1"]):
            template = make_template(org_id)
            campaign = make_campaign(org_id, template, "Опрос удовлетворённости", opens_on=today - timedelta(days=10),
                                     closes_on=today + timedelta(days=30))
            ids = {}
            for i in range(invitations):
                mentor = make_mentor(org_id, f"Наставник {i}", email=f"mentor{i}@example.org")
                invitation = SurveyInvitation(
                    org_id=org_id, campaign_id=campaign.id, recipient_key=f"mentor:{mentor.id}", role="mentor",
                    participant_id=mentor.id, expires_on=today + timedelta(days=30))
                db.session.add(invitation)
                db.session.flush()
                ids[mentor.email] = invitation.id
            campaign_id = campaign.id
            db.session.commit()
        db.session.remove()
    env = {
        "DATABASE_URL": fresh_pg_url, "REDIS_URL": redis_url, "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1",
        "MAIL_TIMEOUT": "5", "PUBLIC_BASE_URL": PUBLIC_BASE_URL, "SURVEY_MAIL_BATCH": "7", "SURVEY_MAIL_RATE": "0",
        "SECRET_KEY": app.config["SECRET_KEY"],  # the links are signed with it
    }
    return app, campaign_id, ids, env


def _wait_for_mail(mailbox, count: int, timeout: float = 30) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(mailbox.messages) < count:
        time.sleep(0.1)
    time.sleep(0.5)  # nothing further may arrive
    return mailbox.messages


def _statuses(app) -> Counter:
    with app.app_context(), unscoped("tests.surveys"):
        found = Counter(db.session.scalars(sa.select(SurveyInvitation.status)))
        db.session.remove()
    return found


def _check_links(app, messages, ids: dict[str, int]) -> None:
    with app.app_context():
        for message in messages:
            match = LINK.search(message.get_content())
            assert match, message.get_content()
            assert read_link_token(match.group(1)) == ids[message["To"]]


def test_dispatch_queued_twice_at_once_mails_each_invitation_once(fresh_pg_url, extra_app, start_worker):
    app, campaign_id, ids, env = _setup(extra_app, fresh_pg_url, 50)
    celery_app = app.extensions["celery"]
    with smtp_server() as mailbox:
        env["MAIL_PORT"] = str(mailbox.port)
        workers = [start_worker(**env), start_worker(**env)]
        _wait_for_workers(celery_app, 2, workers)

        results = [celery_app.send_task(TASK, args=[campaign_id]) for _ in range(2)]
        sent = [workers[0].wait(r).get(timeout=5) for r in results]
        assert sum(sent) == 50, sent
        messages = _wait_for_mail(mailbox, 50)
        assert len(messages) == 50 and Counter(m["To"] for m in messages) == Counter(set(ids))
        _check_links(app, messages, ids)

        # Once more, later: nothing left to send.
        assert workers[0].wait(celery_app.send_task(TASK, args=[campaign_id])).get(timeout=5) == 0
        assert len(_wait_for_mail(mailbox, 51, timeout=1)) == 50
    assert _statuses(app) == Counter({"sent": 50})
    with app.app_context(), unscoped("tests.surveys"):
        campaign = db.session.get(SurveyCampaign, campaign_id)
        assert (campaign.dispatch_state, campaign.dispatch_done, campaign.dispatch_total) == ("done", 50, 50)
        db.session.remove()
    logs = "\n".join(w.log_tail(400) for w in workers)
    assert "Traceback" not in logs, logs


def test_dispatch_retries_with_backoff_while_smtp_is_down(fresh_pg_url, extra_app, start_worker):
    app, campaign_id, ids, env = _setup(extra_app, fresh_pg_url, 10)
    celery_app = app.extensions["celery"]
    port = free_port()  # nothing listens here yet
    env["MAIL_PORT"] = str(port)
    worker = start_worker(**env)
    _wait_for_workers(celery_app, 1, [worker])

    # A one-second backoff unit instead of a minute: the retry comes after 1, 2, 4 … seconds.
    result = celery_app.send_task(TASK, args=[campaign_id], kwargs={"retry_base": 1})
    deadline = time.monotonic() + 30
    while not (_statuses(app) == Counter({"pending": 10}) and _attempted(app)):
        assert time.monotonic() < deadline, worker.log_tail()
        time.sleep(0.1)
    assert not result.ready()  # waiting for its retry

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert worker.wait(result).get(timeout=5) == 10
        messages = _wait_for_mail(mailbox, 10)
    finally:
        controller.stop()
    assert Counter(m["To"] for m in messages) == Counter(set(ids))
    _check_links(app, messages, ids)
    assert _statuses(app) == Counter({"sent": 10})
    log = worker.log_tail(400)
    assert "Retry in" in log and "DispatchUnavailable" in log


def _attempted(app) -> bool:
    with app.app_context(), unscoped("tests.surveys"):
        attempts = db.session.scalar(sa.select(sa.func.max(SurveyInvitation.attempts)))
        db.session.remove()
    return bool(attempts)
