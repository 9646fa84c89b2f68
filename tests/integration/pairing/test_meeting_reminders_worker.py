"""The weekly meeting-gap reminder through real workers, Redis, PostgreSQL and SMTP.

Two ``celery -A make_celery worker`` processes share a fresh PostgreSQL database and a Redis
broker with the test process, which plays the beat. The reminder task claims each school's
week and queues the e-mails through the mail task on commit; the mail goes to a real SMTP
server (aiosmtpd) on loopback. Run twice — and twice at once — in the same week, each curator
gets one e-mail.
"""
from __future__ import annotations

import time
from collections import Counter
from datetime import date

import sqlalchemy as sa

import config
from core.extensions import db
from mentorship.pairing.models import Meeting, MeetingGapReminder
from tenants.context import tenant_scope, unscoped
from tenants.models import Notification
from tests.conftest import service_url
from tests.integration.conftest import schema_and_tree
from tests.integration.roadmaps.test_roadmap_reminders_worker import _wait_for_workers
from tests.support.school import school_world
from tests.support.smtp import smtp_server

TASK = "nastavnik.meetings.gap_reminders"
PUBLIC_BASE_URL = "https://nastavnik.example.org"


def _reminder_rows(app) -> list[tuple[int, date]]:
    with app.app_context(), unscoped("tests.reminders"):
        rows = db.session.execute(sa.select(MeetingGapReminder.org_id, MeetingGapReminder.week_of)).tuples().all()
        notes = db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                                  .where(Notification.kind == "meetings.gap"))
        db.session.remove()
    return rows, notes


def _wait_for_mail(mailbox, count: int, timeout: float = 30) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(mailbox.messages) < count:
        time.sleep(0.1)
    time.sleep(0.5)  # nothing further may arrive
    return mailbox.messages


def test_gap_reminders_through_real_workers_mail_each_curator_once(fresh_pg_url, extra_app, start_worker):
    import redis

    redis_url = service_url("redis")
    redis.Redis.from_url(redis_url).flushdb()
    celery_settings = dict(config.TestingConfig().CELERY, broker_url=redis_url, result_backend=redis_url)
    app = extra_app(config.TestingConfig(), SQLALCHEMY_DATABASE_URI=fresh_pg_url, CELERY=celery_settings)
    celery_app = app.extensions["celery"]
    tree = schema_and_tree(app)

    with app.app_context():
        # r1m1s1 and r2m1s1: last met 16.09.2026 (stale); r1m1s2 met on 20.11.2026 (not stale).
        worlds = {key: school_world(tree, key) for key in ("r1m1s1", "r2m1s1", "r1m1s2")}
        with tenant_scope(tree.ids["r1m1s2"], tree.paths["r1m1s2"]):
            db.session.add(Meeting(org_id=tree.ids["r1m1s2"], mentorship_id=worlds["r1m1s2"].pair, kind="regular",
                                   held_on=date(2026, 11, 20)))
            db.session.commit()
        db.session.remove()

    curators = {tree.emails["r1m1s1.staff"], tree.emails["r2m1s1.staff"]}
    with smtp_server() as mailbox:
        env = {
            "DATABASE_URL": fresh_pg_url, "REDIS_URL": redis_url, "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mailbox.port), "MAIL_TIMEOUT": "5",
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        }
        workers = [start_worker(**env), start_worker(**env)]
        _wait_for_workers(celery_app, 2, workers)
        first = workers[0]

        # Monday 23 November 2026, then again on Wednesday of the same week.
        assert first.wait(celery_app.send_task(TASK, kwargs={"today": "2026-11-23"})).get(timeout=5) == 2
        assert first.wait(celery_app.send_task(TASK, kwargs={"today": "2026-11-25"})).get(timeout=5) == 0
        messages = _wait_for_mail(mailbox, 2)
        assert Counter(m["To"] for m in messages) == Counter(curators)  # one each; principals get none
        for message in messages:
            assert message["X-Envelope-To"] == message["To"]
            assert message["Subject"] == "Наставник: пары без встреч — 1 пара"
            assert f"{PUBLIC_BASE_URL}/school/meetings/stale" in message.get_content()

        # The next week, two runs at once in two workers: each school is claimed by one run only.
        from tasks.pairing import gap_reminders

        results = [gap_reminders.delay(today="2026-11-30"), gap_reminders.delay(today="2026-11-30")]
        assert sum(first.wait(r).get(timeout=5) for r in results) == 2
        messages = _wait_for_mail(mailbox, 4)
        assert Counter(m["To"] for m in messages) == Counter({email: 2 for email in curators})

        rows, notes = _reminder_rows(app)
        assert Counter(rows) == Counter({(tree.ids[k], week): 1 for k in ("r1m1s1", "r2m1s1")
                                         for week in (date(2026, 11, 23), date(2026, 11, 30))})
        assert notes == 4

        logs = "\n".join(w.log_tail(400) for w in workers)
        assert "Traceback" not in logs, logs
