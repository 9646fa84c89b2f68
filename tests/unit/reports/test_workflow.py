"""Reports up the hierarchy: reports exist for every school and municipal body of a frozen
period (set-based, idempotent), their deadlines, the workflow (submit, double submit,
return with a comment, accept, edits only while open, attachments), the reminders exactly
once, and other tenants' reports invisible."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.monitoring.aggregation import aggregate_period
from mentorship.monitoring.models import Indicator, MonitoringPeriod, Target
from mentorship.region.models import RegionSettings
from mentorship.reports import workflow as service
from mentorship.reports.deadlines import due_date, send_report_reminders
from mentorship.reports.models import Report, ReportAttachment, ReportReminder, ReportTransition
from tenants.context import tenant_scope, unscoped
from tenants.models import Membership, Notification, Organization, User
from tenants.roles import OrgKind
from tenants.tree import create_organization
from tests.support.mail import SentMail
from tests.support.monitoring import SchoolFacts, make_period

pytestmark = pytest.mark.backends("sqlite", "postgresql")

REF = date(2026, 12, 20)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _frozen_period(tree, region="r1", ref=REF) -> int:
    period_id = make_period(tree.ids[region], ref)
    assert aggregate_period(period_id) is True
    return period_id


def _reports(period_id=None) -> dict[int, tuple]:
    with unscoped("tests.reports"):
        stmt = sa.select(Report.org_id, Report.kind, Report.status, Report.due_on)
        if period_id is not None:
            stmt = stmt.where(Report.period_id == period_id)
        rows = db.session.execute(stmt).all()
        db.session.remove()
    return {org_id: (kind, status, due) for org_id, kind, status, due in rows}


def _report_id(period_id, org_id) -> int:
    with unscoped("tests.reports"):
        rid = db.session.scalar(sa.select(Report.id).where(Report.period_id == period_id, Report.org_id == org_id))
        db.session.remove()
    return rid


@contextmanager
def acting(tree, who: str):
    """(membership, user) of ``who`` (e.g. "r1m1s1.admin"), in that organisation's scope."""
    key = who.split(".")[0]
    with tenant_scope(tree.ids[key], tree.paths[key]):
        membership = db.session.scalar(sa.select(Membership).where(
            Membership.org_id == tree.ids[key], Membership.user_id == tree.users[who].id))
        yield membership, db.session.get(User, tree.users[who].id)
        db.session.remove()


def _owner(report):
    return db.session.get(Organization, report.org_id)


# -- deadlines ----------------------------------------------------------------------------

def test_due_on_is_the_first_deadline_on_or_after_the_reference_date(ctx):
    assert due_date(date(2026, 12, 20), 11, 20) == date(2027, 11, 20)
    assert due_date(date(2026, 6, 20), 11, 30) == date(2026, 11, 30)
    assert due_date(date(2026, 11, 30), 11, 30) == date(2026, 11, 30)  # the same day counts
    assert due_date(date(2026, 12, 20), 1, 15) == date(2027, 1, 15)
    assert due_date(date(2027, 1, 1), 2, 29) == date(2027, 2, 28)  # clamped, never invalid


# -- reports exist -----------------------------------------------------------------------------

def test_ensure_reports_creates_one_per_school_and_body_of_the_region_once(ctx, tree):
    with unscoped("tests.settings"):
        db.session.add(RegionSettings(org_id=tree.ids["r1"], school_report_month_2=1, school_report_day_2=15,
                                      municipal_report_month_2=2, municipal_report_day_2=1))
        db.session.commit()
    period_id = _frozen_period(tree)
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert service.ensure_reports(period_id) == 6
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1 and "SELECT" in inserts[0].upper()  # set-based: one INSERT … SELECT

    rows = _reports(period_id)
    schools = {tree.ids[k] for k in ("r1m1s1", "r1m1s2", "r1m2s1", "r1m2s2")}
    bodies = {tree.ids[k] for k in ("r1m1", "r1m2")}
    assert set(rows) == schools | bodies  # not the ministry, nothing of region r2
    assert all(rows[o] == ("school", "draft", date(2027, 1, 15)) for o in schools)
    assert all(rows[o] == ("municipal", "draft", date(2027, 2, 1)) for o in bodies)

    assert service.ensure_reports(period_id) == 0  # idempotent
    assert _reports(period_id) == rows


def test_reports_wait_for_the_freeze_and_late_schools_are_added_lazily(ctx, tree):
    pending = make_period(tree.ids["r1"], REF)
    assert service.ensure_reports(pending) == 0 and _reports() == {}
    assert aggregate_period(pending) is True
    with unscoped("tests.tree"):
        late = create_organization(kind=OrgKind.SCHOOL, name="Новая школа",
                                   parent=db.session.get(Organization, tree.ids["r1m2"]), school_type="school")
        closed = create_organization(kind=OrgKind.SCHOOL, name="Закрытая школа",
                                     parent=db.session.get(Organization, tree.ids["r1m2"]), school_type="school")
        closed.is_active = False
        db.session.commit()
        late_id, closed_id = late.id, closed.id
    with unscoped("tests.tree"):
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        assert service.ensure_region_reports(school) == 7  # the task did not run here: all of them
        assert service.ensure_region_reports(school) == 0
    rows = _reports(pending)
    assert late_id in rows and closed_id not in rows


def test_the_aggregation_task_creates_the_reports(ctx, tree):
    from tasks.monitoring import aggregate

    period_id = make_period(tree.ids["r1"], REF)
    assert aggregate(tree.ids["r1"], period_id) is True
    assert len(_reports(period_id)) == 6
    assert aggregate(tree.ids["r1"], period_id) is False  # redelivered: nothing twice
    assert len(_reports(period_id)) == 6


# -- the workflow ------------------------------------------------------------------------------

@pytest.fixture
def period(ctx, tree):
    period_id = _frozen_period(tree)
    service.ensure_reports(period_id)
    return period_id


def test_a_school_report_is_submitted_returned_with_a_comment_and_accepted(tree, period):
    rid = _report_id(period, tree.ids["r1m1s1"])
    with acting(tree, "r1m1s1.staff") as (curator, user):  # the curator
        report = db.session.get(Report, rid)
        with pytest.raises(service.ReportError) as refused:
            service.submit(report, curator, user, _owner(report))
        assert refused.value.code == "work_done_required"
        db.session.rollback()
        service.update_narrative(report, curator, {"work_done": "  Проведено 12 встреч  ", "problems": ""})
        service.submit(db.session.get(Report, rid), curator, user, _owner(report))
        db.session.commit()
        assert (report.work_done, report.problems, report.status) == ("Проведено 12 встреч", None, "submitted")

        for change in (lambda: service.submit(report, curator, user, _owner(report)),
                       lambda: service.update_narrative(report, curator, {"work_done": "другое"})):
            with pytest.raises(service.ReportError) as refused:
                change()
            assert refused.value.code in ("already_submitted", "not_editable")
            db.session.rollback()

    with acting(tree, "r1m1s1.admin") as (principal, user):  # the school cannot decide its own
        report = db.session.get(Report, rid)
        with pytest.raises(service.ReportError, match="not_allowed"):
            service.decide(report, principal, user, _owner(report), "accept", None)
    with acting(tree, "r1.admin") as (ministry, user):  # nor the ministry a school's report
        report = db.session.get(Report, rid)
        with pytest.raises(service.ReportError, match="not_allowed"):
            service.decide(report, ministry, user, _owner(report), "accept", None)

    with acting(tree, "r1m1.staff") as (specialist, user):
        report = db.session.get(Report, rid)
        with pytest.raises(service.ReportError, match="comment_required"):
            service.decide(report, specialist, user, _owner(report), "return", "   ")
        db.session.rollback()
        assert db.session.get(Report, rid).status == "submitted"
        with pytest.raises(service.ReportError, match="not_allowed"):  # the reviewer does not submit
            service.submit(report, specialist, user, _owner(report))
        db.session.rollback()
        service.decide(db.session.get(Report, rid), specialist, user, _owner(report), "return", "Добавьте проблемы")
        db.session.commit()

    with acting(tree, "r1m1s1.staff") as (curator, user):
        report = db.session.get(Report, rid)
        assert report.status == "returned"
        service.update_narrative(report, curator, {"problems": "Мало наставников"})
        service.submit(report, curator, user, _owner(report))
        db.session.commit()

    with acting(tree, "r1m1.admin") as (coordinator, user):
        report = db.session.get(Report, rid)
        service.decide(report, coordinator, user, _owner(report), "accept", None)
        db.session.commit()
        with pytest.raises(service.ReportError, match="not_submitted"):
            service.decide(report, coordinator, user, _owner(report), "return", "ещё раз")
        db.session.rollback()
        history = db.session.execute(
            sa.select(ReportTransition.action, ReportTransition.from_status, ReportTransition.to_status,
                      ReportTransition.comment).where(ReportTransition.report_id == rid).order_by(ReportTransition.id)
        ).all()
        assert history == [("submit", "draft", "submitted", None),
                           ("return", "submitted", "returned", "Добавьте проблемы"),
                           ("submit", "returned", "submitted", None), ("accept", "submitted", "accepted", None)]
        kinds = db.session.scalars(sa.select(Notification.kind).order_by(Notification.id)).all()
        assert kinds == ["reports.submitted", "reports.returned", "reports.submitted", "reports.accepted"]

    with acting(tree, "r1m1s1.admin") as (principal, user):
        report = db.session.get(Report, rid)
        with pytest.raises(service.ReportError, match="already_accepted"):
            service.submit(report, principal, user, _owner(report))


def test_a_concurrent_second_submit_is_refused_by_the_version_lock(tree, period):
    rid = _report_id(period, tree.ids["r1m1s1"])
    with acting(tree, "r1m1s1.admin") as (principal, user):
        report = db.session.get(Report, rid)
        service.update_narrative(report, principal, {"work_done": "Встречи"})
        db.session.commit()
        assert report.status == "draft" and report.version == 2
        # Another request submits meanwhile (its UPDATE bumps the version under our feet).
        with unscoped("tests.other_request"):
            db.session.execute(sa.update(Report.__table__).where(Report.__table__.c.id == rid)
                               .values(status="submitted", version=Report.__table__.c.version + 1))
        with pytest.raises(service.ReportError, match="changed_meanwhile"):
            service.submit(report, principal, user, _owner(report))
        db.session.rollback()
    with unscoped("tests.reports"):
        assert db.session.scalar(sa.select(sa.func.count(ReportTransition.id))) == 0
        db.session.remove()


def test_a_report_is_not_submitted_while_its_period_is_recalculated(tree, period):
    rid = _report_id(period, tree.ids["r1m1"])
    with unscoped("tests.unfreeze"):
        db.session.execute(sa.update(MonitoringPeriod.__table__).where(MonitoringPeriod.__table__.c.id == period)
                           .values(status="pending"))
        db.session.commit()
    with acting(tree, "r1m1.admin") as (coordinator, user):
        report = db.session.get(Report, rid)
        service.update_narrative(report, coordinator, {"work_done": "Свод"})
        with pytest.raises(service.ReportError, match="period_not_frozen"):
            service.submit(report, coordinator, user, _owner(report))


def test_attachments_are_checked_and_only_changed_while_the_report_is_open(tree, period):
    with pytest.raises(service.ReportError, match="name_mismatch") as refused:
        service.check_attachment("otchet.pdf", PNG)
    assert refused.value.messages[0][0] == "file"  # shown beside the file field
    with pytest.raises(service.ReportError, match="type_not_allowed"):
        service.check_attachment("otchet.txt", "Отчёт".encode())
    rid = _report_id(period, tree.ids["r1m1s1"])
    with acting(tree, "r1m1s1.staff") as (curator, user):
        report = db.session.get(Report, rid)
        attachment = service.add_attachment(report, curator, user, service.check_attachment("foto.png", PNG))
        service.update_narrative(report, curator, {"work_done": "Встречи"})
        service.submit(report, curator, user, _owner(report))
        db.session.commit()
        with pytest.raises(service.ReportError, match="not_editable"):
            service.add_attachment(report, curator, user, service.check_attachment("foto2.png", PNG))
        db.session.rollback()
        with pytest.raises(service.ReportError, match="not_editable"):
            service.remove_attachment(report, db.session.get(ReportAttachment, attachment.id), curator)
        db.session.rollback()
    with acting(tree, "r1m1.admin") as (coordinator, user):  # the reviewer reads, never edits
        report = db.session.get(Report, rid)
        with pytest.raises(service.ReportError, match="not_allowed"):
            service.add_attachment(report, coordinator, user, service.check_attachment("foto3.png", PNG))
    with unscoped("tests.reports"):
        assert db.session.scalars(sa.select(ReportAttachment.filename)).all() == ["foto.png"]
        db.session.remove()


# -- figures and visibility --------------------------------------------------------------------

def test_figures_come_from_the_snapshots_with_the_years_targets(ctx, tree):
    with SchoolFacts(tree, "r1m1s1") as s:
        s.contingent(2026, pupils_10_19=10, pupils_15_19=4)
        s.pair(s.teacher(), [s.pupil(date(2012, 1, 1)), s.pupil(date(2013, 1, 1))])
    with unscoped("tests.targets"):
        indicator = Indicator(org_id=tree.ids["r1"], code="mentees_10_19", name="Доля наставляемых 10–19",
                              kind="standard", numerator_fact="mentees_10_19", denominator_fact="pupils_10_19")
        indicator.targets.extend([Target(org_id=tree.ids["r1"], year=2026, value=15),
                                  Target(org_id=tree.ids["r1"], year=2027, value=30)])
        db.session.add(indicator)
        db.session.commit()
    period_id = _frozen_period(tree)
    service.ensure_reports(period_id)
    with acting(tree, "r1m1s1.admin"):
        info = service.period_info(period_id)
        rows = service.org_figures(tree.ids["r1m1s1"], tree.paths["r1m1s1"], info)
        assert [(r.code, r.name, r.numerator, r.denominator, r.value, float(r.target)) for r in rows] == [
            ("mentees_10_19", "Доля наставляемых 10–19", 2, 10, 20.0, 15.0)]
    with acting(tree, "r1m1.admin"):
        body = db.session.get(Organization, tree.ids["r1m1"])
        lines = {line.name: line for line in service.municipal_schools(body, info)}
        assert set(lines) == {"Школа 1.1.1", "Школа 1.1.2"}
        assert lines["Школа 1.1.1"].values == {"mentees_10_19": 20.0}
        assert lines["Школа 1.1.2"].state(date(2027, 12, 1)) == "overdue"
        assert lines["Школа 1.1.2"].state(date(2027, 1, 1)) == "not_submitted"
    with acting(tree, "r1m1s2.admin"):  # the neighbour school sees none of it
        rows = service.org_figures(tree.ids["r1m1s1"], tree.paths["r1m1s1"], info)
        assert all(r.numerator is None for r in rows)


def test_another_schools_report_is_invisible(tree, period):
    rid = _report_id(period, tree.ids["r1m1s1"])
    for who in ("r1m1s2.admin", "r1m2.admin", "r2.admin"):
        with acting(tree, who):
            assert db.session.get(Report, rid) is None
            assert db.session.scalar(sa.select(Report).where(Report.id == rid)) is None
    with acting(tree, "r1m1s2.admin"):
        assert db.session.scalars(sa.select(Report.org_id)).all() == [tree.ids["r1m1s2"]]
    with acting(tree, "r1m1.admin"):
        body = db.session.get(Organization, tree.ids["r1m1"])
        ids = [tree.ids[k] for k in ("r1m1s1", "r1m1s2", "r1m2s1")]
        assert set(service.reports_of(ids, period)) == {tree.ids["r1m1s1"], tree.ids["r1m1s2"]}
        assert service.state_counts(body, period, date(2027, 1, 1))["total"] == 2


# -- reminders ---------------------------------------------------------------------------------

def test_reminders_go_once_per_report_and_deadline_to_the_members(app, tree, period):
    # Defaults of the December round: schools due 20.01.2027, municipal bodies 20.02.2027.
    submitted = _report_id(period, tree.ids["r1m2s2"])
    with unscoped("tests.reports"):
        db.session.execute(sa.update(Report.__table__).where(Report.__table__.c.id == submitted)
                           .values(status="submitted"))
        db.session.commit()
    mail = SentMail(app)
    assert send_report_reminders(date(2027, 1, 16)) == 0  # four days ahead: not yet
    assert send_report_reminders(date(2027, 1, 17)) == 3  # three schools still open
    recipients = sorted(to for to, _subject, _body in mail.sent)
    assert recipients == sorted(tree.emails[f"{k}.{r}"] for k in ("r1m1s1", "r1m1s2", "r1m2s1")
                                for r in ("admin", "staff"))
    to, subject, body = mail.sent[0]
    assert subject == "Наставник: срок сдачи отчёта — 20.01.2027" and "/reports/" in body
    assert send_report_reminders(date(2027, 1, 18)) == 0  # a rerun: nothing twice
    assert send_report_reminders(date(2027, 2, 25)) == 2  # the bodies, overdue by now
    assert len(mail.sent) == 6 + 4
    assert mail.sent[-1][1] == "Наставник: отчёт не сдан, срок истёк 20.02.2027"
    assert send_report_reminders(date(2027, 2, 26)) == 0
    with unscoped("tests.reports"):
        assert db.session.scalar(sa.select(sa.func.count(ReportReminder.id))) == 5
        notes = db.session.execute(sa.select(Notification.recipient_org_id, Notification.link)
                                   .where(Notification.kind == "reports.reminder")).all()
        assert len(notes) == 5 and {org for org, _ in notes} == {
            tree.ids[k] for k in ("r1m1s1", "r1m1s2", "r1m2s1", "r1m1", "r1m2")}
        db.session.remove()



def test_a_coming_period_counted_provisionally_is_not_a_reporting_period(ctx, tree):
    from mentorship.monitoring.aggregation import unfreeze

    june = _frozen_period(tree, ref=date(2026, 6, 20))
    december = make_period(tree.ids["r1"], REF)
    assert aggregate_period(december, freeze=False) is True  # the nightly provisional count
    with unscoped("tests.reports"):
        body = db.session.get(Organization, tree.ids["r1m1"])
        assert [p.id for p in service.reporting_periods(body)] == [june]
        # a period unfrozen for a re-run keeps its reports listed
        unfreeze(db.session.get(MonitoringPeriod, june), "ошибка в контингенте", None)
        db.session.commit()
        assert [p.id for p in service.reporting_periods(body)] == [june]
        db.session.remove()
