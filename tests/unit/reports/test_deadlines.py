"""Report deadlines per reference date (mentorship/reports/deadlines.py over the region's
calendar): the June period's reports fall due in July and November, the December period's in
January and February — not eleven months later; a change of the calendar re-dates the reports
not submitted yet (``calendar_changed``), never a submitted or accepted one; the reminders
follow."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.monitoring.aggregation import aggregate_period
from mentorship.region import calendar as region_calendar
from mentorship.region.settings import default_settings
from mentorship.reports import workflow as service
from mentorship.reports.deadlines import due_dates, send_report_reminders
from mentorship.reports.models import Report
from tenants.context import tenant_scope, unscoped
from tenants.models import Organization
from tests.support.mail import SentMail
from tests.support.monitoring import make_period

pytestmark = pytest.mark.backends("sqlite", "postgresql")

JUNE, DECEMBER = date(2026, 6, 20), date(2026, 12, 20)


def _frozen(tree, ref) -> int:
    period_id = make_period(tree.ids["r1"], ref)
    assert aggregate_period(period_id) is True
    service.ensure_reports(period_id)
    return period_id


def _due(period_id) -> dict[str, set[date]]:
    with unscoped("tests.reports"):
        rows = db.session.execute(sa.select(Report.kind, Report.due_on).where(Report.period_id == period_id)).all()
        db.session.remove()
    out: dict[str, set[date]] = {}
    for kind, due in rows:
        out.setdefault(kind, set()).add(due)
    return out


def _set_status(tree, key, period_id, status):
    with unscoped("tests.reports"):
        db.session.execute(sa.update(Report.__table__).where(
            Report.__table__.c.org_id == tree.ids[key], Report.__table__.c.period_id == period_id)
            .values(status=status))
        db.session.commit()


def test_due_dates_of_both_rounds(ctx):
    settings = default_settings()
    assert due_dates(settings, JUNE) == {"school": date(2026, 7, 20), "municipal": date(2026, 11, 30)}
    assert due_dates(settings, DECEMBER) == {"school": date(2027, 1, 20), "municipal": date(2027, 2, 20)}


def test_each_period_gets_the_deadlines_of_its_own_reference_date(ctx, tree):
    june, december = _frozen(tree, JUNE), _frozen(tree, DECEMBER)
    assert _due(june) == {"school": {date(2026, 7, 20)}, "municipal": {date(2026, 11, 30)}}
    assert _due(december) == {"school": {date(2027, 1, 20)}, "municipal": {date(2027, 2, 20)}}


def test_a_calendar_change_re_dates_the_open_reports_only(ctx, tree):
    june, december = _frozen(tree, JUNE), _frozen(tree, DECEMBER)
    _set_status(tree, "r1m1s1", december, "submitted")
    _set_status(tree, "r1m1s2", december, "returned")
    with tenant_scope(tree.ids["r1"], tree.paths["r1"]):
        ministry = db.session.get(Organization, tree.ids["r1"])
        values = region_calendar.calendar_values(ministry)
        values.update(school_report_day_2=1, school_report_month_2=2, municipal_report_day_2=1,
                      municipal_report_month_2=3)
        assert region_calendar.save_calendar(ministry, values) == []
        db.session.commit()
    db.session.remove()
    with unscoped("tests.reports"):
        rows = dict(db.session.execute(sa.select(Report.org_id, Report.due_on).where(Report.period_id == december,
                                                                                   Report.kind == "school")).all())
        db.session.remove()
    assert rows[tree.ids["r1m1s1"]] == date(2027, 1, 20)  # submitted: keeps its deadline
    assert rows[tree.ids["r1m1s2"]] == date(2027, 2, 1)  # returned: open again, re-dated
    assert {rows[tree.ids[k]] for k in ("r1m2s1", "r1m2s2")} == {date(2027, 2, 1)}
    assert _due(december)["municipal"] == {date(2027, 3, 1)}
    assert _due(june) == {"school": {date(2026, 7, 20)}, "municipal": {date(2026, 11, 30)}}  # its round unchanged


def test_the_reminders_come_a_few_days_before_each_rounds_own_deadline(app, ctx, tree):
    june, _december = _frozen(tree, JUNE), _frozen(tree, DECEMBER)
    for key in ("r1m1s1", "r1m1s2", "r1m2s1", "r1m2s2", "r1m1", "r1m2"):
        _set_status(tree, key, june, "accepted")
    mail = SentMail(app)
    assert send_report_reminders(date(2026, 12, 21)) == 0  # the December round is not due for a month
    assert send_report_reminders(date(2027, 1, 17)) == 4  # its schools, three days ahead
    assert {subject for _to, subject, _body in mail.sent} == {"Наставник: срок сдачи отчёта — 20.01.2027"}
    assert "20.12.2026" in mail.sent[0][2]  # the period it is about
    assert send_report_reminders(date(2027, 2, 17)) == 2  # then its municipal bodies
