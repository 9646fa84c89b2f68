"""Weekly reminders to a school's curators of pairs with no recent meeting: one per school and
week, made exactly-once by a unique key (a repeated or concurrent task sends nothing twice)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.extensions import db
from core.links import absolute_url
from core.mail import queue_mail
from core.model import utcnow
from mentorship.pairing.meetings import last_meetings, stale_condition
from mentorship.pairing.models import MeetingGapReminder, Mentorship, Programme
from tenants.context import unscoped
from tenants.directory import active_members
from tenants.models import Organization
from tenants.notifications import notify
from tenants.roles import Role

# -- the weekly job ----------------------------------------------------------------------------
#
# Like roadmap_reminders: each school's reminder is *claimed* by inserting its row (the unique
# key on org_id and week_of refuses a second claim, from a rerun or a concurrent worker); the
# claim and the in-app notification commit together, and the e-mails are queued on that commit
# (core.enqueue), so a rerun never mails twice and a rollback mails nothing.

NOTIFICATION_KIND = "meetings.gap"
STALE_PATH = "/school/meetings/stale"
log = logging.getLogger("nastavnik.meetings.reminders")


@dataclass(frozen=True)
class _School:
    org_id: int
    org_path: str
    name: str
    pairs: int


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def send_gap_reminders(today: date) -> int:
    """Remind every school that has stale pairs (mentorship.pairing.meetings), once per week: a
    ``MeetingGapReminder`` row, a notification for the school and an e-mail to each of its
    active curators, queued to be sent once the claim commits. Returns the number of schools
    reminded by this call (0 when run again)."""
    monday = week_of(today)
    sent = 0
    with unscoped("meetings.gap_reminders"):
        schools = _schools_with_stale_pairs(today)
        curators = active_members([s.org_id for s in schools], [Role.SCHOOL_CURATOR])
        for school in schools:
            if not _claim(school, monday):
                db.session.rollback()
                continue
            notify(school.org_id, school.org_id, NOTIFICATION_KIND, _text(school), link=STALE_PATH)
            subject, body_for = _message(school)
            for curator in curators.get(school.org_id, []):
                queue_mail(curator.email, subject, body_for(curator.name))
            db.session.commit()
            sent += 1
    if schools:
        log.info("meeting gap reminders for the week of %s: %d schools, %d reminded", monday, len(schools), sent)
    return sent


def _schools_with_stale_pairs(today: date) -> list[_School]:
    """Active schools with their number of stale pairs (one GROUP BY over the whole region set)."""
    last = last_meetings(today)
    rows = db.session.execute(
        sa.select(Organization.id, Organization.path, sa.func.coalesce(Organization.short_name, Organization.name),
                  sa.func.count(Mentorship.id))
        .select_from(Mentorship)
        .join(Programme, Programme.id == Mentorship.programme_id)
        .outerjoin(last, last.c.mentorship_id == Mentorship.id)
        .join(Organization, Organization.id == Mentorship.org_id)
        .where(stale_condition(today, last), Organization.is_active.is_(True))
        .group_by(Organization.id, Organization.path, Organization.short_name, Organization.name)
        .order_by(Organization.id)
    ).all()
    return [_School(org_id, path, name, count) for org_id, path, name, count in rows]


def _claim(school: _School, monday: date) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: True if this call inserted the week's row."""
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[dialect]
    stmt = (
        insert(MeetingGapReminder)
        .values(org_id=school.org_id, org_path=school.org_path, week_of=monday, pairs_flagged=school.pairs,
                created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["org_id", "week_of"])
        .returning(MeetingGapReminder.id)
    )
    return db.session.execute(stmt).scalar() is not None


# -- wording (Russian) -------------------------------------------------------------------------

def _pairs(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} пара"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} пары"
    return f"{n} пар"


def _text(school: _School) -> str:
    return f"Наставнические пары без встреч дольше установленного срока: {_pairs(school.pairs)}"



def _message(school: _School):
    subject = f"Наставник: пары без встреч — {_pairs(school.pairs)}"
    link = absolute_url(STALE_PATH)

    def body(name: str) -> str:
        return "\n".join([
            f"Здравствуйте, {name}!",
            "",
            f"В организации «{school.name}» есть наставнические пары и группы, которые не встречались "
            f"дольше срока, установленного программой наставничества: {_pairs(school.pairs)}.",
            "",
            "Список пар и даты их последних встреч:",
            link,
            "",
            "Это автоматическое сообщение системы «Наставник», отвечать на него не нужно.",
        ])

    return subject, body
