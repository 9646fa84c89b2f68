"""An announcement's e-mails through real workers, Redis, PostgreSQL and SMTP.

The ministry of region r1 sends an announcement to every organisation below it (two municipal
bodies, four schools); the fan-out task ``nastavnik.region.announcement_mail`` runs in a real
``celery -A make_celery worker``, claims the receipts a batch at a time and queues each
recipient's staff e-mail through the mail task on commit; the mail reaches a real SMTP server
(aiosmtpd) on loopback. Run twice at once in two workers, then once more: every member gets
exactly one message.
"""
from __future__ import annotations

import time
from collections import Counter

import sqlalchemy as sa

import config
from core.extensions import db
from mentorship.region.announcements import Audience, send_announcement
from mentorship.region.models import AnnouncementReceipt
from tenants.context import tenant_scope, unscoped
from tenants.models import Membership, User
from tests.conftest import service_url
from tests.integration.conftest import schema_and_tree
from tests.integration.roadmaps.test_roadmap_reminders_worker import _wait_for_workers
from tests.support.smtp import smtp_server

TASK = "nastavnik.region.announcement_mail"
PUBLIC_BASE_URL = "https://nastavnik.example.org"
RECIPIENTS = ("r1m1", "r1m2", "r1m1s1", "r1m1s2", "r1m2s1", "r1m2s2")


def _wait_for_mail(mailbox, count: int, timeout: float = 30) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(mailbox.messages) < count:
        time.sleep(0.1)
    time.sleep(0.5)  # nothing further may arrive
    return mailbox.messages


def _announce(app, tree) -> int:
    with app.app_context(), tenant_scope(tree.ids["r1"], tree.paths["r1"]):
        user = db.session.get(User, tree.users["r1.admin"].id)
        membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
        announcement = send_announcement(membership, user, title="Совещание кураторов 12 марта",
                                         text="Просим направить кураторов.", markdown=False, audience=Audience("all"))
        db.session.commit()
        announcement_id = announcement.id
        db.session.remove()
    return announcement_id


def test_the_announcement_mail_through_real_workers_reaches_each_member_once(fresh_pg_url, extra_app, start_worker):
    import redis

    redis_url = service_url("redis")
    redis.Redis.from_url(redis_url).flushdb()
    celery_settings = dict(config.TestingConfig().CELERY, broker_url=redis_url, result_backend=redis_url)
    app = extra_app(config.TestingConfig(), SQLALCHEMY_DATABASE_URI=fresh_pg_url, CELERY=celery_settings)
    celery_app = app.extensions["celery"]
    tree = schema_and_tree(app)
    announcement_id = _announce(app, tree)

    with smtp_server() as mailbox:
        env = {
            "DATABASE_URL": fresh_pg_url, "REDIS_URL": redis_url, "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mailbox.port), "MAIL_TIMEOUT": "5",
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        }
        workers = [start_worker(**env), start_worker(**env)]
        _wait_for_workers(celery_app, 2, workers)
        first = workers[0]

        # Two fan-outs at once (batches of two organisations), then a third later: 12 e-mails in all.
        runs = [celery_app.send_task(TASK, args=[tree.ids["r1"], announcement_id], kwargs={"batch_size": 2})
                for _ in range(2)]
        assert sum(first.wait(r).get(timeout=5) for r in runs) == 12
        again = celery_app.send_task(TASK, args=[tree.ids["r1"], announcement_id])
        assert first.wait(again).get(timeout=5) == 0

        members = [tree.emails[f"{k}.{r}"] for k in RECIPIENTS for r in ("admin", "staff")]
        messages = _wait_for_mail(mailbox, 12)
        assert Counter(m["To"] for m in messages) == Counter(members)  # each once
        for message in messages:
            assert message["Subject"] == "Наставник: объявление — Совещание кураторов 12 марта"
            content = message.get_content()
            assert "Просим направить кураторов." in content
            assert f"{PUBLIC_BASE_URL}/announcements/{announcement_id}" in content

        with app.app_context(), unscoped("tests.announcements"):
            mailed = db.session.scalar(sa.select(sa.func.count()).select_from(AnnouncementReceipt)
                                       .where(AnnouncementReceipt.mailed_at.is_not(None)))
            db.session.remove()
        assert mailed == 6

        logs = "\n".join(w.log_tail(400) for w in workers)
        assert "Traceback" not in logs, logs
