"""The daily roadmap deadline reminders through real workers, Redis, PostgreSQL and SMTP.

Two ``celery -A make_celery worker`` processes (as production starts them, configured only by
environment variables) share a fresh PostgreSQL database and a Redis broker with the test
process, which plays the beat: it sends the task by name and with ``.delay()``. Mail goes
to a real SMTP server (aiosmtpd) on loopback. However often the task runs, and when two
workers run it at the same moment, each reminder is recorded once and each recipient gets
each reminder's e-mail exactly once.
"""
from __future__ import annotations

import time
from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa

import config
from core.extensions import db
from mentorship.roadmaps.models import RoadmapReminder
from tenants.context import unscoped
from tenants.models import Notification
from tests.conftest import service_url
from tests.integration.conftest import schema_and_tree
from tests.support.roadmaps import make_roadmap
from tests.support.smtp import smtp_server

TASK = "nastavnik.roadmaps.deadline_reminders"
PUBLIC_BASE_URL = "https://nastavnik.example.org"


def _wait_for_workers(celery_app, count: int, workers, timeout: float = 60) -> None:
    """Until ``count`` workers answer a broadcast ping (consuming, so both take tasks)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for worker in workers:
            if worker.process.poll() is not None:
                pytest.fail(f"a worker exited:\n{worker.log_tail()}", pytrace=False)
        if len(celery_app.control.ping(timeout=0.5) or []) >= count:
            return
    pytest.fail("the workers did not come up:\n" + "\n".join(w.log_tail() for w in workers), pytrace=False)


def _wait_for_mail(mailbox, count: int, timeout: float = 30) -> list:
    """The messages received once ``count`` have arrived (the mail task sends them after the
    reminder task's commit, so they come a moment after its result), and nothing more."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(mailbox.messages) < count:
        time.sleep(0.1)
    time.sleep(0.5)  # nothing further may arrive
    return mailbox.messages


def _rows(app) -> list[tuple[int, date, str]]:
    with app.app_context(), unscoped("tests.reminders"):
        rows = db.session.execute(
            sa.select(RoadmapReminder.activity_id, RoadmapReminder.due_date, RoadmapReminder.kind)
        ).tuples().all()
        db.session.remove()
    return rows


def _notification_count(app) -> int:
    with app.app_context(), unscoped("tests.reminders"):
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Notification))
        db.session.remove()
    return count


def _activity_of(message) -> str:
    [line] = [x for x in message.get_content().splitlines() if x.startswith("Мероприятие: ")]
    return line.removeprefix("Мероприятие: ")


def test_reminders_through_real_workers_are_sent_once(fresh_pg_url, extra_app, start_worker):
    import redis

    from tasks.roadmaps import deadline_reminders

    redis_url = service_url("redis")
    redis.Redis.from_url(redis_url).flushdb()
    celery_settings = dict(config.TestingConfig().CELERY, broker_url=redis_url, result_backend=redis_url)
    app = extra_app(config.TestingConfig(), SQLALCHEMY_DATABASE_URI=fresh_pg_url, CELERY=celery_settings)
    celery_app = app.extensions["celery"]
    tree = schema_and_tree(app)

    with app.app_context():
        school = make_roadmap(tree.ids["r1m1s1"], ["10.11.2023", "01.11.2023", "ноябрь", "01.09.2023"])
        other = make_roadmap(tree.ids["r2m1s1"], ["12.11.2023", "постоянно"], done=())
        make_roadmap(tree.ids["r1m1s2"], ["10.11.2023"], status="submitted")  # not approved: none
        make_roadmap(tree.ids["r1m2s1"], ["10.11.2023"], done=(0,))  # done: none

    recipients = {
        tree.ids[key]: {tree.emails[f"{key}.admin"], tree.emails[f"{key}.staff"]} for key in ("r1m1s1", "r2m1s1")
    }
    with smtp_server() as mailbox:
        env = {
            "DATABASE_URL": fresh_pg_url, "REDIS_URL": redis_url, "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mailbox.port), "MAIL_TIMEOUT": "5",
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        }
        workers = [start_worker(**env), start_worker(**env)]
        _wait_for_workers(celery_app, 2, workers)
        first = workers[0]

        # 7 November 2023: 10.11 and 12.11 are days ahead ('before'), 01.11 has passed ('after').
        sent = first.wait(celery_app.send_task(TASK, kwargs={"today": "2023-11-07"})).get(timeout=5)
        assert sent == 3
        again = first.wait(celery_app.send_task(TASK, kwargs={"today": "2023-11-07"})).get(timeout=5)
        assert again == 0

        expected_rows = {
            (school.activities[0], date(2023, 11, 10), "before"),
            (school.activities[1], date(2023, 11, 1), "after"),
            (other.activities[0], date(2023, 11, 12), "before"),
        }
        assert Counter(_rows(app)) == Counter(expected_rows)
        messages = _wait_for_mail(mailbox, 3 * 2)
        assert len(messages) == 3 * 2
        assert {(m["To"], _activity_of(m)) for m in messages} == {
            (email, "1.1 Мероприятие 1") for email in recipients[tree.ids["r1m1s1"]] | recipients[tree.ids["r2m1s1"]]
        } | {(email, "1.2 Мероприятие 2") for email in recipients[tree.ids["r1m1s1"]]}
        for message in messages:
            assert message["X-Envelope-To"] == message["To"]
            assert message["Subject"].startswith("Наставник: ")
            assert f"{PUBLIC_BASE_URL}/roadmaps/" in message.get_content()

        # 25 November, two runs at once in two workers: «ноябрь» (30.11) is due in 5 days and
        # 10.11 / 12.11 have passed — three new reminders, each claimed by one run only.
        results = [deadline_reminders.delay(today="2023-11-25"), deadline_reminders.delay(today="2023-11-25")]
        counts = [first.wait(result).get(timeout=5) for result in results]
        assert sum(counts) == 3, counts
        assert first.wait(celery_app.send_task(TASK, kwargs={"today": "2023-11-25"})).get(timeout=5) == 0

        expected_rows |= {
            (school.activities[2], date(2023, 11, 30), "before"),
            (school.activities[0], date(2023, 11, 10), "after"),
            (other.activities[0], date(2023, 11, 12), "after"),
        }
        rows = _rows(app)
        assert Counter(rows) == Counter(expected_rows)  # one row per activity, due date and kind
        assert _notification_count(app) == len(expected_rows)

        # Exactly one e-mail per recipient per reminder.
        messages = _wait_for_mail(mailbox, 6 * 2)
        per_recipient = Counter((m["To"], _activity_of(m), m["Subject"]) for m in messages)
        assert set(per_recipient.values()) == {1}, per_recipient
        assert len(messages) == sum(
            len(recipients[tree.ids["r1m1s1"] if activity in school.activities else tree.ids["r2m1s1"]])
            for activity, _due, _kind in expected_rows
        ) == 6 * 2

        logs = "\n".join(w.log_tail(400) for w in workers)
        assert "Traceback" not in logs, logs
