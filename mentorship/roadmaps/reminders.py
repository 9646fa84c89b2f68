"""Roadmap deadline reminders: the daily job that reminds a school before an activity is due
and once more after its date has passed, if the activity is still not done.

Exactly once per (activity, due date, kind), however often the job runs and however many
workers run it at the same time: a reminder is *claimed* by inserting its
``RoadmapReminder`` row, whose unique key refuses a second claim (DESIGN §6). The claim, the
in-app notification and the e-mails (queued: ``core.mail.queue_mail``) commit together; the
mail task sends them after that commit and retries them while the SMTP server fails, so an
outage delays a reminder and never loses or doubles one.

Each reminder is claimed in its own short transaction. A concurrent claimer of the same key
waits on the unique index until the first commits, then fails with IntegrityError and skips
it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.links import absolute_url
from core.mail import queue_mail
from mentorship.roadmaps.deadlines import Deadline, DeadlineError, Period
from mentorship.roadmaps.models import Roadmap, RoadmapActivity, RoadmapReminder, RoadmapStage
from tenants.context import unscoped
from tenants.directory import Member, active_members
from tenants.models import Organization
from tenants.notifications import notify

log = logging.getLogger("nastavnik.roadmaps.reminders")

KINDS = ("before", "after")
DAYS_BEFORE = 7  # the first reminder: this many days before the due date (or later, catching up)
DAYS_AFTER = 30  # an overdue reminder is sent if the job runs within this many days of the date
# Due dates lie within the roadmap's period, save an explicit date written outside it; roadmaps
# whose period ended longer ago than this are not scanned (the job reads only current plans).
PERIOD_SLACK = timedelta(days=366)
NOTIFICATION_KIND = "roadmap.deadline"


@dataclass
class DueReminder:
    """One reminder to claim, with everything needed to send it (plain values: the claims
    commit one by one, which expires the ORM objects the plan was read from)."""

    activity_id: int
    due_date: date
    kind: str
    org_id: int
    org_name: str
    roadmap_id: int
    roadmap_title: str
    activity_label: str
    deadline_text: str
    recipients: list[Member] = field(default_factory=list)


def send_deadline_reminders(today: date, days_before: int = DAYS_BEFORE) -> int:
    """Remind about every activity of an approved roadmap that is not done and is due within
    ``days_before`` days of ``today`` ('before') or was due in the last ``DAYS_AFTER`` days
    ('after'). Returns the number of reminders sent by this call (0 when run again).

    The e-mails are queued with the claim (sent by the mail task once it commits, retried
    there while the SMTP server fails), so a reminder is claimed and mailed exactly once.
    """
    if days_before < 0:
        raise ValueError("days_before must not be negative")
    sent = 0
    with unscoped("roadmaps.deadline_reminders"):
        plan = plan_reminders(today, days_before)
        for due in plan:
            if _claim(due, today):
                sent += 1
    if plan:
        log.info("roadmap deadline reminders for %s: %d due, %d sent", today, len(plan), sent)
    return sent


# -- planning: a fixed number of queries however many roadmaps and activities ------------------

def _current_approved_roadmaps(today: date, days_before: int):
    """The latest approved version of each lineage (older approved versions are history),
    with the organisation's name; stages and activities not done are loaded alongside."""
    lineage = sa.func.coalesce(Roadmap.lineage_id, Roadmap.id)
    latest = (
        sa.select(lineage.label("lineage"), sa.func.max(Roadmap.version).label("version"))
        .where(Roadmap.status == "approved")
        .group_by(lineage)
        .subquery()
    )
    return db.session.execute(
        sa.select(Roadmap, sa.func.coalesce(Organization.short_name, Organization.name))
        .join(latest, sa.and_(lineage == latest.c.lineage, Roadmap.version == latest.c.version))
        .join(Organization, Organization.id == Roadmap.org_id)
        .where(
            Roadmap.status == "approved",
            Organization.is_active.is_(True),
            Roadmap.period_end >= today - PERIOD_SLACK,
            Roadmap.period_start <= today + timedelta(days=days_before) + PERIOD_SLACK,
        )
        .order_by(Roadmap.id)
        .options(
            selectinload(Roadmap.stages).selectinload(
                RoadmapStage.activities.and_(RoadmapActivity.done_at.is_(None))
            )
        )
    ).all()


def _due_dates(activity: RoadmapActivity, period: Period) -> list[date]:
    if not activity.deadline:
        return []
    try:
        return Deadline.from_json(activity.deadline).due_dates(period)
    except (DeadlineError, KeyError, TypeError, ValueError):
        log.warning("activity %s: unreadable deadline %r", activity.id, activity.deadline)
        return []


def _kind_for(due: date, today: date, days_before: int) -> str | None:
    if today <= due <= today + timedelta(days=days_before):
        return "before"
    if today - timedelta(days=DAYS_AFTER) <= due < today:
        return "after"
    return None


def plan_reminders(today: date, days_before: int) -> list[DueReminder]:
    """The reminders due at ``today`` and not claimed yet, in the order they are claimed (a
    fixed number of queries, whatever the number of roadmaps and activities)."""
    window = (today - timedelta(days=DAYS_AFTER), today + timedelta(days=days_before))
    already = set(
        db.session.execute(
            sa.select(RoadmapReminder.activity_id, RoadmapReminder.due_date, RoadmapReminder.kind)
            .where(RoadmapReminder.due_date.between(*window))
        ).tuples()
    )
    plan: list[DueReminder] = []
    for roadmap, org_name in _current_approved_roadmaps(today, days_before):
        period = roadmap.period  # a recurring deadline's occurrences before it came into force are not due
        for stage in roadmap.stages:
            for activity in stage.activities:
                if activity.done_at:
                    continue
                for due_date in _due_dates(activity, period):
                    kind = _kind_for(due_date, today, days_before)
                    if kind is None or (activity.id, due_date, kind) in already:
                        continue
                    plan.append(DueReminder(
                        activity_id=activity.id, due_date=due_date, kind=kind, org_id=roadmap.org_id,
                        org_name=org_name, roadmap_id=roadmap.id, roadmap_title=roadmap.title,
                        activity_label=" ".join(p for p in (activity.number, activity.title) if p),
                        deadline_text=activity.deadline_text or activity.deadline.get("text") or "",
                    ))
    if plan:
        recipients = active_members({due.org_id for due in plan})
        for due in plan:
            due.recipients = recipients.get(due.org_id, [])
    return plan


# -- claiming and sending --------------------------------------------------------------------

def _claim(due: DueReminder, today: date) -> bool:
    """Insert the reminder's row and its notification in one transaction; False if another
    run (or a concurrent worker) already holds the claim."""
    db.session.add(RoadmapReminder(org_id=due.org_id, activity_id=due.activity_id,
                                   due_date=due.due_date, kind=due.kind))
    try:
        db.session.flush()  # the unique key decides here (waiting for a concurrent claimer's commit)
    except IntegrityError:
        db.session.rollback()
        log.info("reminder %s/%s/%s already sent", due.activity_id, due.due_date, due.kind)
        return False
    notify(due.org_id, due.org_id, NOTIFICATION_KIND, _notification_text(due, today),
           link=f"/roadmaps/{due.roadmap_id}")
    subject, body_for = _message(due, today)
    for recipient in due.recipients:
        queue_mail(recipient.email, subject, body_for(recipient))
    db.session.commit()
    return True


# -- wording (Russian) -----------------------------------------------------------------------

def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _when(due: date, today: date) -> str:
    days = (due - today).days
    if days == 0:
        return "сегодня"
    if days == 1:
        return "завтра"
    if days > 0:
        return f"через {days} {_plural(days, 'день', 'дня', 'дней')}"
    late = -days
    return f"{late} {_plural(late, 'день', 'дня', 'дней')} назад"


def _notification_text(due: DueReminder, today: date) -> str:
    when = due.due_date.strftime("%d.%m.%Y")
    if due.kind == "before":
        return (f"Срок мероприятия «{due.activity_label}» дорожной карты «{due.roadmap_title}» — "
                f"{when} ({_when(due.due_date, today)})")
    return (f"Просрочено мероприятие «{due.activity_label}» дорожной карты «{due.roadmap_title}»: "
            f"срок истёк {when}")



def _message(due: DueReminder, today: date):
    when = due.due_date.strftime("%d.%m.%Y")
    if due.kind == "before":
        subject = f"Наставник: срок мероприятия дорожной карты — {when}"
        lead = (f"Напоминаем: срок выполнения мероприятия дорожной карты наступает {when} "
                f"({_when(due.due_date, today)}).")
    else:
        subject = f"Наставник: просрочено мероприятие дорожной карты (срок {when})"
        lead = f"Срок выполнения мероприятия дорожной карты истёк {when}, а оно ещё не отмечено как выполненное."
    link = absolute_url(f"/roadmaps/{due.roadmap_id}")

    def body(recipient: Member) -> str:
        lines = [
            f"Здравствуйте, {recipient.name}!",
            "",
            lead,
            "",
            f"Организация: {due.org_name}",
            f"Дорожная карта: {due.roadmap_title}",
            f"Мероприятие: {due.activity_label}",
        ]
        if due.deadline_text:
            lines.append(f"Срок по плану: {due.deadline_text}")
        lines += [
            "",
            "Когда мероприятие выполнено, отметьте его в дорожной карте и приложите подтверждающие документы:",
            link,
            "",
            "Это автоматическое сообщение системы «Наставник», отвечать на него не нужно.",
        ]
        return "\n".join(lines)

    return subject, body
