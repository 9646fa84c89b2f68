"""Reports up the hierarchy (DESIGN §2 ``Report``; the issue's "Reports up the hierarchy").

After each reference date every school of the region has a semiannual report for its
municipal body, and every municipal body a consolidated report for the ministry:

* ``ensure_reports(period_id)`` creates the missing ones for the whole region in one
  INSERT … SELECT … ON CONFLICT DO NOTHING (called when a period is frozen, and lazily by the
  list pages through ``ensure_region_reports``). Deadlines: mentorship/reports/deadlines.py.
* The workflow: the owner (principal/curator of the school; coordinator/specialist of the
  municipal body) fills in the narrative and attachments while the report is a draft or was
  returned, and submits it; the body above (the parent's coordinator/specialist for a school,
  the ministry's admin/analyst for a municipal body) accepts it or returns it with a comment.
  Every step is a ``ReportTransition``; the row's version column refuses a concurrent second
  submit (StaleDataError → ``ReportError("changed_meanwhile")``).
* Read models for the pages: the organisation's figures (its frozen snapshots against the
  region's targets), the municipal body's schools with their figures and report states, and
  the lists one level up — each a fixed number of queries, whatever the number of schools.

Figures come only from snapshots and counts: no personal data leaves the school here.
Periods are owned by the ministry and invisible to the levels below, so their dates are read
as plain columns under a labelled ``unscoped`` (never as entities in the request's session).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import undefer
from sqlalchemy.orm.exc import StaleDataError

from core.errors import DomainError
from core.extensions import db
from core.model import utcnow
from core.uploads import CheckedFile, UploadError, check_upload
from mentorship.monitoring.aggregation import region_indicators
from mentorship.monitoring.facts import indicator_codes_only
from mentorship.monitoring.models import Indicator, MetricSnapshot, MonitoringPeriod, Target
from mentorship.monitoring.readings import PeriodInfo, period_info, region_periods
from mentorship.region.settings import settings_for
from mentorship.reports.deadlines import (
    OPEN_STATUSES,
    dialect_insert,
    due_dates,
    is_overdue,
)
from mentorship.reports.models import Report, ReportAttachment, ReportTransition
from tenants import audit
from tenants.context import unscoped
from tenants.models import Membership, Organization, User
from tenants.notifications import notify
from tenants.roles import OrgKind, Role
from tenants.scoping import region_path, subtree_bounds

NARRATIVE_FIELDS = ("work_done", "problems", "best_practices", "plans")
REQUIRED_FIELDS = ("work_done",)
MAX_ATTACHMENTS = 20
DONE_STATUSES = ("submitted", "accepted")

OWNER_ROLES = {
    "school": {Role.SCHOOL_PRINCIPAL, Role.SCHOOL_CURATOR},
    "municipal": {Role.MUNICIPAL_COORDINATOR, Role.MUNICIPAL_SPECIALIST},
}
REVIEWER_ROLES = {
    "school": {Role.MUNICIPAL_COORDINATOR, Role.MUNICIPAL_SPECIALIST},
    "municipal": {Role.MINISTRY_ADMIN, Role.MINISTRY_ANALYST},
}
REPORT_KIND_OF_ORG = {OrgKind.SCHOOL.value: "school", OrgKind.MUNICIPALITY.value: "municipal"}

# The state shown one level up (list pages): the status, with "not submitted" split by deadline.
STATES = ("not_submitted", "overdue", "submitted", "returned", "accepted")


class ReportError(DomainError):
    """A workflow step that is not allowed, or an attachment refused."""

    MESSAGES = {
        "not_allowed": _l("You cannot do this with this report."),
        "not_editable": _l("The report cannot be changed now: it has been submitted or accepted."),
        "already_submitted": _l("The report has already been submitted; nothing was changed."),
        "already_accepted": _l("The report has already been accepted; nothing was changed."),
        "work_done_required": _l("Describe what was done before submitting the report."),
        "period_not_frozen": _l("The period's figures are being recalculated: submit the report once they are "
                                "final."),
        "not_submitted": _l("Only a submitted report can be accepted or returned."),
        "comment_required": _l("Say what to change: a comment is required to return the report."),
        "bad_decision": _l("Choose to accept or to return."),
        "too_many_files": _l("Too many files for one report."),
        "changed_meanwhile": _l("The report was changed by someone else meanwhile; nothing was saved. "
                                "Look at it again."),
        # an attachment refused by core.uploads.check_upload
        "empty": _l("The file is empty."),
        "too_large": _l("The file is larger than 10 MB."),
        "type_not_allowed": _l("Only PDF, JPEG, PNG, DOCX and XLSX files are accepted."),
        "name_mismatch": _l("The file's content does not match its name."),
    }


# -- periods ---------------------------------------------------------------------------------

def reporting_periods(org: Organization) -> list[PeriodInfo]:
    """The periods of ``org``'s region that have figures (frozen now, or aggregated before
    and unfrozen for a re-run), newest first."""
    return [p for p in region_periods(org) if p.has_figures]


# -- reports exist for every school and municipal body ----------------------------------------

def ensure_reports(period_id: int) -> int:
    """Create the missing reports of a frozen period for every active school and municipal
    body of its region, in one INSERT … SELECT (idempotent; a concurrent call inserts nothing
    twice). Commits; returns the number of reports created."""
    reports, orgs, periods = Report.__table__, Organization.__table__, MonitoringPeriod.__table__
    with unscoped("reports.ensure"):
        row = db.session.execute(
            sa.select(periods.c.reference_date, periods.c.org_path, periods.c.status).where(periods.c.id == period_id)
        ).one_or_none()
        if row is None or row.status != "frozen":
            db.session.rollback()
            return 0
        region = db.session.scalar(sa.select(Organization).where(Organization.path == row.org_path))
        due = due_dates(settings_for(region), row.reference_date)
        low, high = subtree_bounds(row.org_path)
        now = utcnow()
        is_school = orgs.c.kind == OrgKind.SCHOOL.value
        missing = (
            sa.select(
                orgs.c.id, orgs.c.path, sa.literal(period_id),
                sa.case((is_school, sa.literal("school")), else_=sa.literal("municipal")),
                sa.literal("draft"),
                sa.case((is_school, sa.literal(due["school"], sa.Date)), else_=sa.literal(due["municipal"], sa.Date)),
                sa.literal(1), sa.literal(now, sa.DateTime(timezone=True)), sa.literal(now, sa.DateTime(timezone=True)),
            )
            .where(orgs.c.path >= low, orgs.c.path < high, orgs.c.is_active.is_(True),
                   orgs.c.kind.in_((OrgKind.SCHOOL.value, OrgKind.MUNICIPALITY.value)),
                   ~sa.exists().where(reports.c.period_id == period_id, reports.c.org_id == orgs.c.id))
        )
        stmt = (
            dialect_insert(reports)
            .from_select(["org_id", "org_path", "period_id", "kind", "status", "due_on", "version", "created_at",
                          "updated_at"], missing)
            .on_conflict_do_nothing(index_elements=["period_id", "org_id"])
            .returning(reports.c.id)
        )
        created = len(db.session.execute(stmt).all())
        db.session.commit()
    return created


def ensure_region_reports(org: Organization) -> int:
    """Lazily complete the reports of ``org``'s region (a school added after the freeze):
    one query when nothing is missing, an ``ensure_reports`` per period that lacks some."""
    reports, orgs, periods = Report.__table__, Organization.__table__, MonitoringPeriod.__table__
    rpath = region_path(org.path)
    low, high = subtree_bounds(rpath)
    with unscoped("reports.ensure"):
        lacking = db.session.scalars(
            sa.select(periods.c.id).distinct()
            .select_from(periods.join(orgs, sa.true()))
            .where(periods.c.org_path == rpath, periods.c.status == "frozen",
                   orgs.c.path >= low, orgs.c.path < high, orgs.c.is_active.is_(True),
                   orgs.c.kind.in_((OrgKind.SCHOOL.value, OrgKind.MUNICIPALITY.value)),
                   ~sa.exists().where(reports.c.period_id == periods.c.id, reports.c.org_id == orgs.c.id))
        ).all()
    return sum(ensure_reports(period_id) for period_id in lacking)


# -- who may do what ----------------------------------------------------------------------------

def is_owner(report: Report, acting: Membership | None) -> bool:
    return acting is not None and acting.org_id == report.org_id and acting.role_enum in OWNER_ROLES[report.kind]


def is_reviewer(report: Report, acting: Membership | None, owner: Organization) -> bool:
    return (acting is not None and acting.org_id == owner.parent_id
            and acting.role_enum in REVIEWER_ROLES[report.kind])


def is_editable(report: Report) -> bool:
    return report.status in OPEN_STATUSES


def can_edit(report: Report, acting: Membership | None) -> bool:
    return is_owner(report, acting) and is_editable(report)


def missing_fields(report: Report) -> list[str]:
    return [name for name in REQUIRED_FIELDS if not (getattr(report, name) or "").strip()]


# -- the workflow ---------------------------------------------------------------------------------

def _require_editable(report: Report, acting: Membership) -> None:
    if not is_owner(report, acting):
        raise ReportError("not_allowed")
    if not is_editable(report):
        raise ReportError("not_editable")


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as exc:  # someone else changed the report since it was read
        raise changed_meanwhile() from exc


def changed_meanwhile() -> ReportError:
    """The refusal of a change that lost the version check to a concurrent one (StaleDataError)."""
    return ReportError("changed_meanwhile")


def update_narrative(report: Report, acting: Membership, values: dict[str, str | None]) -> Report:
    """Save the narrative fields (the owner, while the report is a draft or returned)."""
    _require_editable(report, acting)
    for name in NARRATIVE_FIELDS:
        if name in values:
            setattr(report, name, (values[name] or "").strip() or None)
    _flush()
    return report


def check_attachment(filename: str | None, data: bytes) -> CheckedFile:
    """The uploaded file checked by content (core.uploads), or ReportError about ``file``."""
    try:
        return check_upload(filename or "", data)
    except UploadError as exc:
        raise ReportError(exc.code, field="file") from None


def add_attachment(report: Report, acting: Membership, user: User, checked: CheckedFile) -> ReportAttachment:
    """Attach a file already checked by ``check_attachment``."""
    _require_editable(report, acting)
    count = db.session.scalar(sa.select(sa.func.count(ReportAttachment.id))
                              .where(ReportAttachment.report_id == report.id))
    if count >= MAX_ATTACHMENTS:
        raise ReportError("too_many_files", field="file")
    attachment = ReportAttachment(org_id=report.org_id, report_id=report.id, filename=checked.filename,
                                  content_type=checked.content_type, size=len(checked.data), data=checked.data,
                                  uploaded_by_id=user.id)
    db.session.add(attachment)
    report.updated_at = utcnow()  # bumps the version: a concurrent submit sees the change
    _flush()
    return attachment


def open_attachment(report: Report, attachment_id: int, org: Organization) -> ReportAttachment | None:
    """An attachment of ``report`` with its content, its opening by ``org`` audited; None if
    the report has no such attachment."""
    attachment = db.session.scalar(
        sa.select(ReportAttachment).where(ReportAttachment.id == attachment_id, ReportAttachment.report_id == report.id)
        .options(undefer(ReportAttachment.data))
    )
    if attachment is not None:
        audit.record("report.attachment_viewed", org=org, obj=attachment, details={"report": report.id})
    return attachment


def remove_attachment(report: Report, attachment: ReportAttachment, acting: Membership) -> None:
    _require_editable(report, acting)
    if attachment.report_id != report.id:
        raise ReportError("not_allowed")
    db.session.delete(attachment)
    report.updated_at = utcnow()
    _flush()


def _step(report: Report, action: str, to_status: str, acting: Membership, user: User,
          comment: str | None = None) -> ReportTransition:
    transition = ReportTransition(org_id=report.org_id, report_id=report.id, action=action,
                                  from_status=report.status, to_status=to_status, by_user_id=user.id,
                                  by_org_id=acting.org_id, comment=comment)
    db.session.add(transition)
    report.status = to_status
    return transition


def submit(report: Report, acting: Membership, user: User, owner: Organization) -> Report:
    """Send the report up (the owner; draft or returned; work done described; the period's
    figures final). A second submit — sequential or concurrent — is refused."""
    if not is_owner(report, acting):
        raise ReportError("not_allowed")
    if report.status == "submitted":
        raise ReportError("already_submitted")
    if report.status == "accepted":
        raise ReportError("already_accepted")
    if missing_fields(report):
        raise ReportError("work_done_required", field="work_done")
    period = period_info(report.period_id)
    if period is None or not period.frozen:
        raise ReportError("period_not_frozen")
    _step(report, "submit", "submitted", acting, user)
    report.submitted_at = utcnow()
    if owner.parent_id is not None:
        notify(owner.parent_id, report.org_id, "reports.submitted",
               f"«{owner.display_name}» отправил(а) отчёт за период на {period.reference_date:%d.%m.%Y}",
               link=f"/reports/{report.id}")
    audit.record("report.submit", org=acting.org, obj=report, user=user,
                 details={"period": report.period_id, "kind": report.kind})
    _flush()
    return report


def decide(report: Report, acting: Membership, user: User, owner: Organization, decision: str,
           comment: str | None) -> Report:
    """Accept a submitted report, or return it for revision (a comment is required)."""
    if not is_reviewer(report, acting, owner):
        raise ReportError("not_allowed")
    if decision not in ("accept", "return"):
        raise ReportError("bad_decision", field="decision")
    if report.status != "submitted":
        raise ReportError("not_submitted")
    comment = (comment or "").strip() or None
    if decision == "return" and not comment:
        raise ReportError("comment_required", field="comment")
    to_status = "accepted" if decision == "accept" else "returned"
    _step(report, decision, to_status, acting, user, comment)
    report.decided_at = utcnow()
    period = period_info(report.period_id)
    when = f" за период на {period.reference_date:%d.%m.%Y}" if period else ""
    text = (f"Отчёт{when} принят" if decision == "accept"
            else f"Отчёт{when} возвращён на доработку: {comment}")
    notify(owner.id, report.org_id, f"reports.{to_status}", text, link=f"/reports/{report.id}")
    audit.record(f"report.{decision}", org=acting.org, obj=report, user=user,
                 details={"period": report.period_id, "comment": comment})
    _flush()
    return report


# -- figures ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FigureRow:
    code: str
    name: str
    numerator: int | None
    denominator: int | None
    value: float | None
    target: Decimal | None

    @property
    def over_100(self) -> bool:  # a data-quality warning, kept as counted
        return self.value is not None and self.value > 100

    @property
    def below_target(self) -> bool:
        return self.value is not None and self.target is not None and self.value < float(self.target)


def _indicator_names(org_path: str) -> list[tuple[str, str]]:
    return [(spec.code, spec.name) for spec in region_indicators(region_path(org_path))]


def _targets(org_path: str, year: int) -> dict[str, Decimal]:
    rows = db.session.execute(
        sa.select(Indicator.code, Target.value).join(Target, Target.indicator_id == Indicator.id)
        .where(Indicator.org_path == region_path(org_path), Target.year == year)
    ).all()
    return dict(rows)


def org_figures(org_id: int, org_path: str, period: PeriodInfo) -> list[FigureRow]:
    """The organisation's snapshot for the period, indicator by indicator, with the targets
    of the reference year (three queries, through the tenant scope)."""
    snapshots = {
        code: (num, den, value) for code, num, den, value in db.session.execute(
            sa.select(MetricSnapshot.indicator_code, MetricSnapshot.numerator, MetricSnapshot.denominator,
                      MetricSnapshot.value)
            .where(MetricSnapshot.period_id == period.id, MetricSnapshot.org_id == org_id,
                   indicator_codes_only(MetricSnapshot.indicator_code))  # not the pairs by form
        )
    }
    targets = _targets(org_path, period.reference_date.year)
    names = _indicator_names(org_path)
    known = {code for code, _ in names}
    names += [(code, code) for code in sorted(snapshots) if code not in known]  # retired since
    return [FigureRow(code, name, *snapshots.get(code, (None, None, None)), targets.get(code)) for code, name in names]


@dataclass
class SchoolLine:
    org_id: int
    name: str
    report_id: int | None
    status: str | None
    due_on: date | None
    values: dict[str, float | None] = field(default_factory=dict)

    def state(self, today: date) -> str:
        return state_of(self.status, self.due_on, today)


def state_of(status: str | None, due_on: date | None, today: date) -> str:
    """One of ``STATES`` for a report's status (None: no report) at ``today``."""
    if status in DONE_STATUSES:
        return status
    if is_overdue(status, due_on, today):
        return "overdue"
    return "returned" if status == "returned" else "not_submitted"


def municipal_schools(body: Organization, period: PeriodInfo) -> list[SchoolLine]:
    """The body's active schools with their report for the period and their figures (two
    queries: schools with reports, then all the schools' snapshots at once)."""
    rows = db.session.execute(
        sa.select(Organization.id, Organization.name, Report.id, Report.status, Report.due_on)
        .outerjoin(Report, sa.and_(Report.org_id == Organization.id, Report.period_id == period.id))
        .where(Organization.parent_id == body.id, Organization.is_active.is_(True))
        .order_by(Organization.name, Organization.id)
    ).all()
    lines = {org_id: SchoolLine(org_id, name, rid, status, due) for org_id, name, rid, status, due in rows}
    low, high = subtree_bounds(body.path)
    for org_id, code, value in db.session.execute(
        sa.select(MetricSnapshot.org_id, MetricSnapshot.indicator_code, MetricSnapshot.value)
        .where(MetricSnapshot.period_id == period.id, MetricSnapshot.org_kind == "school",
               MetricSnapshot.org_path >= low, MetricSnapshot.org_path < high,
               indicator_codes_only(MetricSnapshot.indicator_code))
    ):
        if org_id in lines:
            lines[org_id].values[code] = value
    return list(lines.values())


# -- lists one level up -------------------------------------------------------------------------

def own_reports(org: Organization) -> sa.Select:
    """A school's (or body's) own reports, newest deadline first."""
    return sa.select(Report).where(Report.org_id == org.id).order_by(Report.due_on.desc(), Report.id.desc())


def own_report(org: Organization, period_id: int) -> Report | None:
    return db.session.scalar(sa.select(Report).where(Report.org_id == org.id, Report.period_id == period_id))


def _state_condition(state: str, today: date):
    open_ = sa.or_(Report.id.is_(None), Report.status.in_(OPEN_STATUSES))
    if state == "not_submitted":
        return open_
    if state == "overdue":
        return sa.and_(Report.status.in_(OPEN_STATUSES), Report.due_on < today)
    return Report.status == state


def children_with_reports(parent: Organization, period_id: int | None, search: str = "", state: str | None = None,
                          today: date | None = None) -> sa.Select:
    """The parent's active children (schools or municipal bodies), filtered by name and by
    the state of their report for the period; paginate it, then ``reports_of`` the page."""
    stmt = sa.select(Organization).where(Organization.parent_id == parent.id, Organization.is_active.is_(True))
    if search:
        pattern = f"%{search}%"
        stmt = stmt.where(sa.or_(Organization.name.ilike(pattern), Organization.short_name.ilike(pattern)))
    if state in STATES and period_id is not None:
        stmt = (stmt.outerjoin(Report, sa.and_(Report.org_id == Organization.id, Report.period_id == period_id))
                .where(_state_condition(state, today or date.today())))
    return stmt.order_by(Organization.name, Organization.id)


def reports_of(org_ids: list[int], period_id: int | None) -> dict[int, Report]:
    if not org_ids or period_id is None:
        return {}
    rows = db.session.scalars(sa.select(Report).where(Report.org_id.in_(org_ids), Report.period_id == period_id))
    return {r.org_id: r for r in rows}


@dataclass(frozen=True)
class SchoolCounts:
    total: int = 0
    submitted: int = 0  # submitted or accepted
    accepted: int = 0
    overdue: int = 0

    @property
    def not_submitted(self) -> int:
        return self.total - self.submitted


def school_counts(body_ids: list[int], period_id: int | None, today: date) -> dict[int, SchoolCounts]:
    """Per municipal body: its active schools and how many submitted / were accepted / are
    overdue for the period (one GROUP BY query for the whole page)."""
    if not body_ids or period_id is None:
        return {}
    done = sa.func.sum(sa.case((Report.status.in_(DONE_STATUSES), 1), else_=0))
    accepted = sa.func.sum(sa.case((Report.status == "accepted", 1), else_=0))
    overdue = sa.func.sum(sa.case((sa.and_(Report.status.in_(OPEN_STATUSES), Report.due_on < today), 1), else_=0))
    rows = db.session.execute(
        sa.select(Organization.parent_id, sa.func.count(Organization.id), done, accepted, overdue)
        .outerjoin(Report, sa.and_(Report.org_id == Organization.id, Report.period_id == period_id))
        .where(Organization.parent_id.in_(body_ids), Organization.is_active.is_(True))
        .group_by(Organization.parent_id)
    ).all()
    return {parent: SchoolCounts(total, int(d or 0), int(a or 0), int(o or 0)) for parent, total, d, a, o in rows}


def state_counts(parent: Organization, period_id: int | None, today: date) -> dict[str, int]:
    """How many of the parent's active children are in each state (one query)."""
    counts = school_counts([parent.id], period_id, today).get(parent.id, SchoolCounts())
    return {"total": counts.total, "submitted": counts.submitted, "accepted": counts.accepted,
            "overdue": counts.overdue, "not_submitted": counts.not_submitted}
