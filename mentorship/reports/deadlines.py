"""Report deadlines and the reminders about them (DESIGN §5–6).

* ``due_dates``: each reference date of the region's calendar has its own schools' and
  municipal bodies' deadlines (mentorship/region/calendar.py ``report_deadlines``: the day the
  region set, the first such day after the reference date, or the default rule — a month after
  the date for the schools; 30 November for the municipal bodies in the autumn round, a month
  after the schools in the other). A report keeps its deadline in ``Report.due_on``, set when
  it is created (workflow.ensure_reports).
* ``redate_open_reports``: when the ministry changes the calendar, the reports not submitted
  yet (draft or returned) of every period of the region take the new deadlines; submitted and
  accepted ones keep theirs. Connected to ``calendar_changed`` (mentorship/reports/receivers.py).
* ``send_report_reminders``: the daily job. Every report not submitted yet (draft or
  returned) whose deadline is within ``days`` days or already past is *claimed* by inserting
  its ``ReportReminder`` (one INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING for the
  whole country: the unique key (organisation, period, deadline) refuses a second claim from
  a rerun or a concurrent worker). Only the rows this call inserted get an in-app
  notification and e-mails to the organisation's members (school: principal and curators;
  municipal body: coordinator and specialists), queued through the mail task on commit
  (core.enqueue) — so a rerun never mails twice and a rollback mails nothing.
"""
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
from mentorship.monitoring.models import MonitoringPeriod
from mentorship.region.calendar import deadline_on, report_deadlines
from mentorship.region.models import RegionSettings
from mentorship.reports.models import Report, ReportReminder
from tenants.context import unscoped
from tenants.directory import active_members
from tenants.models import Notification, Organization
from tenants.roles import Role

log = logging.getLogger("nastavnik.reports.reminders")

DEFAULT_DAYS = 3  # remind this many days before the deadline (and once when it has passed)
NOTIFICATION_KIND = "reports.reminder"
OPEN_STATUSES = ("draft", "returned")  # not submitted yet
RECIPIENT_ROLES = {
    "school": (Role.SCHOOL_PRINCIPAL.value, Role.SCHOOL_CURATOR.value),
    "municipal": (Role.MUNICIPAL_COORDINATOR.value, Role.MUNICIPAL_SPECIALIST.value),
}


def dialect_insert(table):
    """INSERT with ON CONFLICT support for the session's database."""
    dialect = db.session.get_bind().dialect.name
    return {"postgresql": pg_insert, "sqlite": sqlite_insert}[dialect](table)


# -- deadlines ---------------------------------------------------------------------------------

def due_date(reference: date, month: int, day: int) -> date:
    """The first ``month``/``day`` on or after ``reference`` (29 February: the month's last day)."""
    return deadline_on(reference, month, day)


def due_dates(settings: RegionSettings, reference: date) -> dict[str, date]:
    """{report kind: deadline} for a period with ``reference`` date under ``settings``: the
    deadlines of its own round of the calendar."""
    deadlines = report_deadlines(settings, reference)
    return {"school": deadlines.school, "municipal": deadlines.municipal}


def redate_open_reports(region: Organization, settings: RegionSettings) -> int:
    """Give the reports not submitted yet of every period of ``region`` (acting as its
    ministry) the deadlines of ``settings``; one UPDATE per period and kind whose deadline
    moved. Returns the number of reports re-dated."""
    periods = db.session.execute(
        sa.select(MonitoringPeriod.id, MonitoringPeriod.reference_date)
        .where(MonitoringPeriod.org_path == region.path)
    ).all()
    moved = 0
    for period_id, reference in periods:
        for kind, due_on in due_dates(settings, reference).items():
            result = db.session.execute(
                sa.update(Report)
                .where(Report.period_id == period_id, Report.kind == kind, Report.status.in_(OPEN_STATUSES),
                       Report.due_on != due_on)
                .values(due_on=due_on)
                .execution_options(synchronize_session="fetch")
            )
            moved += result.rowcount or 0
    if moved:
        log.info("calendar of %s changed: %d open reports re-dated", region.path, moved)
    return moved


def is_overdue(status: str | None, due_on: date | None, today: date) -> bool:
    return (status is None or status in OPEN_STATUSES) and due_on is not None and due_on < today


# -- the daily reminder job --------------------------------------------------------------------

@dataclass(frozen=True)
class _Claimed:
    report_id: int
    org_id: int
    org_path: str
    kind: str
    org_name: str
    reference_date: date
    due_on: date


def send_report_reminders(today: date, days: int = DEFAULT_DAYS) -> int:
    """Remind every organisation whose report is not submitted and is due within ``days``
    days of ``today`` (or overdue), once per report and deadline; the e-mails are queued to be
    sent once the claim commits. Returns the number of reminders this call sent (0 when run
    again)."""
    now = utcnow()
    reports, reminders = Report.__table__, ReportReminder.__table__
    orgs = Organization.__table__
    with unscoped("reports.reminders"):
        due = (
            sa.select(reports.c.org_id, reports.c.org_path, reports.c.period_id, reports.c.due_on,
                      sa.literal(now, sa.DateTime(timezone=True)))
            .join(orgs, orgs.c.id == reports.c.org_id)
            .where(reports.c.status.in_(OPEN_STATUSES), reports.c.due_on <= today + timedelta(days=days),
                   orgs.c.is_active.is_(True))
        )
        claim = (
            dialect_insert(reminders)
            .from_select(["org_id", "org_path", "period_id", "deadline", "sent_at"], due)
            .on_conflict_do_nothing(index_elements=["org_id", "period_id", "deadline"])
            .returning(reminders.c.org_id, reminders.c.period_id, reminders.c.deadline)
        )
        claimed_keys = {tuple(row) for row in db.session.execute(claim)}
        if not claimed_keys:
            db.session.commit()
            return 0
        claimed = _claimed_reports(claimed_keys)
        members = active_members({c.org_id for c in claimed}, [r for pair in RECIPIENT_ROLES.values() for r in pair])
        db.session.execute(sa.insert(Notification.__table__), [
            {"org_id": c.org_id, "org_path": c.org_path, "recipient_org_id": c.org_id, "kind": NOTIFICATION_KIND,
             "text": _text(c, today), "link": f"/reports/{c.report_id}", "created_at": now}
            for c in claimed
        ])
        for c in claimed:
            subject, body_for = _message(c, today)
            for member in members.get(c.org_id, []):
                if member.role in RECIPIENT_ROLES[c.kind]:
                    queue_mail(member.email, subject, body_for(member.name))
        db.session.commit()
    log.info("report reminders on %s: %d sent", today, len(claimed))
    return len(claimed)


def _claimed_reports(keys: set[tuple[int, int, date]]) -> list[_Claimed]:
    """The reports behind the reminders just inserted (one query)."""
    reports, orgs, periods = Report.__table__, Organization.__table__, MonitoringPeriod.__table__
    rows = db.session.execute(
        sa.select(reports.c.id, reports.c.org_id, reports.c.org_path, reports.c.period_id, reports.c.kind,
                  reports.c.due_on, sa.func.coalesce(orgs.c.short_name, orgs.c.name), periods.c.reference_date)
        .join(orgs, orgs.c.id == reports.c.org_id)
        .join(periods, periods.c.id == reports.c.period_id)
        .where(reports.c.org_id.in_({k[0] for k in keys}), reports.c.period_id.in_({k[1] for k in keys}))
        .order_by(reports.c.id)
    ).all()
    out = []
    for report_id, org_id, org_path, period_id, kind, due_on, name, reference in rows:
        if (org_id, period_id, due_on) in keys:
            out.append(_Claimed(report_id, org_id, org_path, kind, name, reference, due_on))
    return out


# -- wording (Russian, like the other reminders) -----------------------------------------------

def _what(c: _Claimed) -> str:
    kind = "сводный отчёт муниципального органа" if c.kind == "municipal" else "полугодовой отчёт о наставничестве"
    return f"{kind} за период мониторинга на {c.reference_date:%d.%m.%Y}"


def _text(c: _Claimed, today: date) -> str:
    if c.due_on < today:
        return f"Не сдан {_what(c)}: срок истёк {c.due_on:%d.%m.%Y}."
    return f"Срок сдачи: {c.due_on:%d.%m.%Y} — {_what(c)}."



def _message(c: _Claimed, today: date):
    overdue = c.due_on < today
    subject = (f"Наставник: отчёт не сдан, срок истёк {c.due_on:%d.%m.%Y}" if overdue
               else f"Наставник: срок сдачи отчёта — {c.due_on:%d.%m.%Y}")
    link = absolute_url(f"/reports/{c.report_id}")

    def body(name: str) -> str:
        return "\n".join([
            f"Здравствуйте, {name}!",
            "",
            f"Организация «{c.org_name}»: {_text(c, today)}",
            "",
            "Заполните и отправьте отчёт:",
            link,
            "",
            "Это автоматическое сообщение системы «Наставник», отвечать на него не нужно.",
        ])

    return subject, body
