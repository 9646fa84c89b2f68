"""The report reminders through real workers, Redis, PostgreSQL and SMTP.

Two ``celery -A make_celery worker`` processes share a fresh PostgreSQL database and a Redis
broker with the test process, which plays the beat. The aggregation task freezes region r1's
period and creates its reports; the reminder task claims each open report's deadline and
queues the e-mails through the mail task on commit; the mail goes to a real SMTP server
(aiosmtpd) on loopback. Run twice — and twice at once — each member gets one e-mail per
report and deadline.
"""
from __future__ import annotations

import time
from collections import Counter
from datetime import date

import sqlalchemy as sa

import config
from core.extensions import db
from mentorship.reports.models import Report, ReportReminder
from tenants.context import unscoped
from tenants.models import Notification
from tests.conftest import service_url
from tests.integration.conftest import schema_and_tree
from tests.integration.roadmaps.test_roadmap_reminders_worker import _wait_for_workers
from tests.support.monitoring import make_period
from tests.support.smtp import smtp_server

TASK = "nastavnik.reports.reminders"
PUBLIC_BASE_URL = "https://nastavnik.example.org"
SCHOOLS = ("r1m1s1", "r1m1s2", "r1m2s1", "r1m2s2")
BODIES = ("r1m1", "r1m2")


def _rows(app):
    with app.app_context(), unscoped("tests.reminders"):
        reminders = db.session.execute(sa.select(ReportReminder.org_id, ReportReminder.deadline)).tuples().all()
        notes = db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                                  .where(Notification.kind == "reports.reminder"))
        reports = db.session.execute(sa.select(Report.org_id, Report.kind, Report.due_on)).tuples().all()
        db.session.remove()
    return reminders, notes, reports


def _wait_for_mail(mailbox, count: int, timeout: float = 30) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(mailbox.messages) < count:
        time.sleep(0.1)
    time.sleep(0.5)  # nothing further may arrive
    return mailbox.messages


def test_report_reminders_through_real_workers_mail_each_member_once(fresh_pg_url, extra_app, start_worker):
    import redis

    redis_url = service_url("redis")
    redis.Redis.from_url(redis_url).flushdb()
    celery_settings = dict(config.TestingConfig().CELERY, broker_url=redis_url, result_backend=redis_url)
    app = extra_app(config.TestingConfig(), SQLALCHEMY_DATABASE_URI=fresh_pg_url, CELERY=celery_settings)
    celery_app = app.extensions["celery"]
    tree = schema_and_tree(app)
    with app.app_context():
        period_id = make_period(tree.ids["r1"], date(2026, 12, 20))

    with smtp_server() as mailbox:
        env = {
            "DATABASE_URL": fresh_pg_url, "REDIS_URL": redis_url, "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mailbox.port), "MAIL_TIMEOUT": "5",
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        }
        workers = [start_worker(**env), start_worker(**env)]
        _wait_for_workers(celery_app, 2, workers)
        first = workers[0]

        # The aggregation freezes the period and creates a report per school and body of r1.
        aggregated = celery_app.send_task("nastavnik.monitoring.aggregate", args=[tree.ids["r1"], period_id])
        assert first.wait(aggregated).get(timeout=5) is True
        _, _, reports = _rows(app)
        assert Counter((kind, due) for _org, kind, due in reports) == Counter(
            {("school", date(2027, 1, 20)): 4, ("municipal", date(2027, 2, 20)): 2})  # the December round's own

        # Three days before the schools' deadline, then again the next day.
        assert first.wait(celery_app.send_task(TASK, kwargs={"today": "2027-01-17"})).get(timeout=5) == 4
        assert first.wait(celery_app.send_task(TASK, kwargs={"today": "2027-01-18"})).get(timeout=5) == 0
        school_members = [tree.emails[f"{k}.{r}"] for k in SCHOOLS for r in ("admin", "staff")]
        messages = _wait_for_mail(mailbox, 8)
        assert Counter(m["To"] for m in messages) == Counter(school_members)  # principal and curator, once
        for message in messages:
            assert message["X-Envelope-To"] == message["To"]
            assert message["Subject"] == "Наставник: срок сдачи отчёта — 20.01.2027"
            assert f"{PUBLIC_BASE_URL}/reports/" in message.get_content()

        # Past the bodies' deadline: two runs at once in two workers. The bodies are reminded
        # once; the schools, overdue now, were already reminded for this deadline.
        from tasks.reports import reminders

        results = [reminders.delay(today="2027-02-21"), reminders.delay(today="2027-02-21")]
        assert sum(first.wait(r).get(timeout=5) for r in results) == 2
        body_members = [tree.emails[f"{k}.{r}"] for k in BODIES for r in ("admin", "staff")]
        messages = _wait_for_mail(mailbox, 12)
        assert Counter(m["To"] for m in messages) == Counter(school_members + body_members)
        assert {m["Subject"] for m in messages[8:]} == {"Наставник: отчёт не сдан, срок истёк 20.02.2027"}

        reminders_rows, notes, _ = _rows(app)
        assert Counter(reminders_rows) == Counter(
            {(tree.ids[k], date(2027, 1, 20)): 1 for k in SCHOOLS} | {(tree.ids[k], date(2027, 2, 20)): 1
                                                                      for k in BODIES})
        assert notes == 6

        logs = "\n".join(w.log_tail(400) for w in workers)
        assert "Traceback" not in logs, logs
