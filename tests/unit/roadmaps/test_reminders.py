"""Roadmap deadline reminders (domain level, on SQLite and PostgreSQL): one reminder per
activity, due date and kind however often the job runs; an in-app notification and e-mails
to the school's active members; nothing for done activities or roadmaps not approved.

Mail is queued with the claim and sent by the mail task, run here in the test process through
the console backend, which keeps the messages in ``app.extensions["mail_outbox"]``;
tests/integration/roadmaps/test_roadmap_reminders_worker.py sends through a real worker and a real SMTP
server.
"""
from __future__ import annotations

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from celery.schedules import crontab

from core.extensions import db
from mentorship.roadmaps import reminders as rr
from mentorship.roadmaps.models import RoadmapReminder
from mentorship.roadmaps.reminders import send_deadline_reminders
from tasks.roadmaps import region_today
from tasks.schedule import BEAT_SCHEDULE
from tenants.context import unscoped
from tenants.models import Membership, Notification, Organization, User
from tests.support.roadmaps import make_roadmap

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2023, 11, 7)
SCHOOL = "r1m1s1"


def reminders() -> list[tuple[int, date, str]]:
    with unscoped("tests.reminders"):
        rows = db.session.execute(
            sa.select(RoadmapReminder.activity_id, RoadmapReminder.due_date, RoadmapReminder.kind)
            .order_by(RoadmapReminder.id)
        ).tuples().all()
        db.session.rollback()
    return rows


def notifications() -> list[Notification]:
    with unscoped("tests.reminders"):
        found = db.session.scalars(sa.select(Notification).order_by(Notification.id)).all()
        db.session.expunge_all()
    return found


def outbox(app) -> list:
    return list(app.extensions.get("mail_outbox", []))


def school_emails(tree, key=SCHOOL) -> set[str]:
    return {tree.emails[f"{key}.admin"], tree.emails[f"{key}.staff"]}


def test_a_reminder_before_the_due_date_exactly_once(app, ctx, tree):
    roadmap = make_roadmap(tree.ids[SCHOOL], ["10.11.2023"])
    activity = roadmap.activities[0]

    assert send_deadline_reminders(TODAY) == 1
    assert reminders() == [(activity, date(2023, 11, 10), "before")]

    [note] = notifications()
    assert (note.recipient_org_id, note.org_id) == (tree.ids[SCHOOL], tree.ids[SCHOOL])
    assert note.kind == "roadmap.deadline" and note.link == f"/roadmaps/{roadmap.id}"
    assert "«1.1 Мероприятие 1»" in note.text and "10.11.2023" in note.text and "через 3 дня" in note.text

    mails = outbox(app)
    assert {m["To"] for m in mails} == school_emails(tree) and len(mails) == 2
    for message in mails:
        assert message["Subject"] == "Наставник: срок мероприятия дорожной карты — 10.11.2023"
        body = message.get_content()
        assert body.startswith("Здравствуйте, ")
        assert "Мероприятие: 1.1 Мероприятие 1" in body and "Срок по плану: 10.11.2023" in body
        assert "Организация: Школа 1.1.1" in body and f"/roadmaps/{roadmap.id}" in body

    # The same day again, the next days in the window, the due date itself: nothing more.
    for day in (TODAY, date(2023, 11, 8), date(2023, 11, 10)):
        assert send_deadline_reminders(day) == 0
    assert len(reminders()) == 1 and len(notifications()) == 1 and len(outbox(app)) == 2


def test_a_reminder_after_the_due_date_exactly_once(app, ctx, tree):
    roadmap = make_roadmap(tree.ids[SCHOOL], ["10.11.2023"])
    activity = roadmap.activities[0]
    assert send_deadline_reminders(TODAY) == 1

    assert send_deadline_reminders(date(2023, 11, 11)) == 1
    for day in (date(2023, 11, 11), date(2023, 11, 20), date(2023, 12, 10)):
        assert send_deadline_reminders(day) == 0
    assert reminders() == [(activity, date(2023, 11, 10), "before"), (activity, date(2023, 11, 10), "after")]

    after = notifications()[-1]
    assert after.text.startswith("Просрочено мероприятие «1.1 Мероприятие 1»") and "10.11.2023" in after.text
    late_mails = outbox(app)[2:]
    assert {m["To"] for m in late_mails} == school_emails(tree) and len(late_mails) == 2
    assert all(m["Subject"] == "Наставник: просрочено мероприятие дорожной карты (срок 10.11.2023)" for m in late_mails)
    assert all("ещё не отмечено как выполненное" in m.get_content() for m in late_mails)


def test_which_deadlines_are_due_when(app, ctx, tree):
    roadmap = make_roadmap(tree.ids[SCHOOL], [
        "10.11.2023",        # in 3 days: before
        "01.11.2023",        # 6 days ago (the job did not run then): after only
        "01.09.2023",        # more than 30 days ago: nothing
        "постоянно",         # no due date
        "ноябрь",            # the month of the roadmap's period: 30.11.2023, too far for now
        "ежегодно, не позднее 14 ноября",  # 14.11.2023: exactly 7 days ahead
    ])
    a = roadmap.activities
    assert send_deadline_reminders(TODAY) == 3
    assert sorted(reminders()) == sorted([
        (a[0], date(2023, 11, 10), "before"), (a[1], date(2023, 11, 1), "after"), (a[5], date(2023, 11, 14), "before"),
    ])
    assert send_deadline_reminders(date(2023, 11, 25)) == 3  # «ноябрь» before; 10.11 and 14.11 after
    assert sorted(reminders()) == sorted([
        (a[0], date(2023, 11, 10), "before"), (a[0], date(2023, 11, 10), "after"),
        (a[1], date(2023, 11, 1), "after"),
        (a[4], date(2023, 11, 30), "before"),
        (a[5], date(2023, 11, 14), "before"), (a[5], date(2023, 11, 14), "after"),
    ])
    assert len(outbox(app)) == 6 * 2


def test_done_activities_and_roadmaps_not_approved_get_none(app, ctx, tree):
    make_roadmap(tree.ids[SCHOOL], ["10.11.2023", "01.11.2023"], done=(0, 1))
    for key, status in (("r1m1s2", "draft"), ("r1m2s1", "submitted"), ("r1m2s2", "returned")):
        make_roadmap(tree.ids[key], ["10.11.2023", "01.11.2023"], status=status)

    for day in (TODAY, date(2023, 11, 11)):
        assert send_deadline_reminders(day) == 0
    assert reminders() == [] and notifications() == [] and outbox(app) == []


def test_only_the_latest_approved_version_of_a_roadmap_reminds(app, ctx, tree):
    v1 = make_roadmap(tree.ids[SCHOOL], ["10.11.2023"])
    v2 = make_roadmap(tree.ids[SCHOOL], ["10.11.2023"], version=2, lineage_id=v1.lineage_id)
    make_roadmap(tree.ids[SCHOOL], ["10.11.2023"], version=3, lineage_id=v1.lineage_id, status="draft")

    assert send_deadline_reminders(TODAY) == 1
    assert reminders() == [(v2.activities[0], date(2023, 11, 10), "before")]


def test_mail_goes_to_active_members_of_the_school_only(app, ctx, tree):
    make_roadmap(tree.ids[SCHOOL], ["10.11.2023"])
    make_roadmap(tree.ids["r2m1s1"], ["10.11.2023"])
    make_roadmap(tree.ids["r1m2s1"], ["10.11.2023"])
    with unscoped("tests.reminders"):
        staff = db.session.scalar(sa.select(Membership).where(Membership.user_id == tree.users[f"{SCHOOL}.staff"].id))
        staff.is_active = False
        db.session.get(User, tree.users["r2m1s1.admin"].id).is_active = False
        db.session.get(Organization, tree.ids["r1m2s1"]).is_active = False
        db.session.commit()

    assert send_deadline_reminders(TODAY) == 2  # not the inactive school's
    assert sorted(m["To"] for m in outbox(app)) == sorted([tree.emails[f"{SCHOOL}.admin"], tree.emails["r2m1s1.staff"]])
    assert sorted(n.recipient_org_id for n in notifications()) == sorted([tree.ids[SCHOOL], tree.ids["r2m1s1"]])


def test_a_claim_taken_by_another_run_meanwhile_is_skipped(app, ctx, tree, monkeypatch):
    roadmap = make_roadmap(tree.ids[SCHOOL], ["10.11.2023", "01.11.2023"])
    real_plan = rr.plan_reminders

    def plan_then_another_worker_claims(today, days_before):
        plan = real_plan(today, days_before)
        first = plan[0]
        # Another worker commits the first claim after this run read the reminders sent.
        db.session.add(RoadmapReminder(org_id=first.org_id, activity_id=first.activity_id,
                                       due_date=first.due_date, kind=first.kind))
        db.session.commit()
        return plan

    monkeypatch.setattr(rr, "plan_reminders", plan_then_another_worker_claims)
    assert send_deadline_reminders(TODAY) == 1  # the duplicate is skipped, the other still sent
    assert sorted(reminders()) == sorted([(roadmap.activities[0], date(2023, 11, 10), "before"),
                                          (roadmap.activities[1], date(2023, 11, 1), "after")])
    assert len(notifications()) == 1 and len(outbox(app)) == 2


def test_the_mails_commit_with_their_claim(app, ctx, tree):
    """A run that fails after its claim was flushed queues nothing: no mail for a reminder
    that was not recorded (the mail task retries SMTP failures of the committed ones)."""
    make_roadmap(tree.ids[SCHOOL], ["10.11.2023"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rr, "queue_mail", lambda *args: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            send_deadline_reminders(TODAY)
    db.session.rollback()
    assert reminders() == [] and notifications() == [] and outbox(app) == []
    assert send_deadline_reminders(TODAY) == 1 and len(outbox(app)) == 2


def test_the_planning_reads_are_a_fixed_number_of_queries(app, ctx, tree):
    for key in ("r1m1s1", "r1m1s2", "r2m1s1"):
        make_roadmap(tree.ids[key], ["10.11.2023", "01.11.2023", "ноябрь", "постоянно", "12.11.2023"])
    assert send_deadline_reminders(TODAY) == 9

    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert send_deadline_reminders(TODAY) == 0
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # Reminders sent, roadmaps, their stages, their activities: not one per activity.
    assert len(selects) == 4, selects


@pytest.mark.backends("postgresql")
def test_two_concurrent_runs_send_each_reminder_once(app, ctx, tree, monkeypatch):
    roadmap = make_roadmap(tree.ids[SCHOOL], ["10.11.2023", "01.11.2023", "12.11.2023"])
    real_plan = rr.plan_reminders
    both_planned = threading.Barrier(2, timeout=20)

    def plan_together(today, days_before):
        plan = real_plan(today, days_before)
        both_planned.wait()  # both runs have read "nothing sent yet" before either claims
        return plan

    monkeypatch.setattr(rr, "plan_reminders", plan_together)
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                results.append(send_deadline_reminders(TODAY))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and len(results) == 2
    assert sum(results) == 3
    assert sorted(reminders()) == sorted([(roadmap.activities[0], date(2023, 11, 10), "before"),
                                          (roadmap.activities[1], date(2023, 11, 1), "after"),
                                          (roadmap.activities[2], date(2023, 11, 12), "before")])
    assert len(notifications()) == 3
    mails = [(m["To"], m["Subject"]) for m in outbox(app)]
    assert len(mails) == len(set(mails)) == 3 * 2


def test_the_daily_task_is_scheduled_in_the_region_time_zone(app):
    entry = BEAT_SCHEDULE["roadmap-deadline-reminders"]
    assert entry["task"] == "nastavnik.roadmaps.deadline_reminders"
    assert entry["schedule"] == crontab(hour=7, minute=0) and entry["options"]["expires"] == 3600
    assert entry["task"] in app.extensions["celery"].tasks
    with app.app_context():
        assert region_today() == datetime.now(ZoneInfo("Europe/Moscow")).date()
