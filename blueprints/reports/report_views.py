"""Reports up the hierarchy: the lists per level, a report's page, its narrative,
attachments, submission and the decision of the body above (mentorship/reports/workflow.py)."""
from __future__ import annotations

from urllib.parse import quote

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.pagination import paginate, search_term
from blueprints.reports import bp
from blueprints.reports.forms import AttachmentForm, DecisionForm, ReportForm
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.monitoring import readings
from mentorship.reports import workflow as service
from mentorship.reports.models import Report, ReportAttachment, ReportTransition
from tenants.access import current_membership, current_org, get_or_404, membership_required
from tenants.models import Organization
from tenants.roles import OrgKind

STATUS_LABELS = {
    "draft": _l("draft"),
    "submitted": _l("submitted"),
    "returned": _l("returned for revision"),
    "accepted": _l("accepted"),
}

STATE_LABELS = {
    "not_submitted": _l("not submitted"),
    "overdue": _l("overdue"),
    "submitted": _l("submitted"),
    "returned": _l("returned for revision"),
    "accepted": _l("accepted"),
}

ACTION_LABELS = {
    "submit": _l("submitted"),
    "accept": _l("accepted"),
    "return": _l("returned for revision"),
}


def _labels() -> dict:
    return {"STATUS_LABELS": STATUS_LABELS, "STATE_LABELS": STATE_LABELS, "ACTION_LABELS": ACTION_LABELS,
            "STATES": service.STATES}


# -- lists ----------------------------------------------------------------------------------------

def _selected_period(periods: list[readings.PeriodInfo]) -> readings.PeriodInfo | None:
    wanted = request.args.get("period", type=int)
    return next((p for p in periods if p.id == wanted), periods[0] if periods else None)


@bp.route("/reports/")
@membership_required
def index():
    org = current_org._get_current_object()
    today = region_today()
    service.ensure_region_reports(org)  # a school added after the freeze gets its report now
    if org.kind == OrgKind.SCHOOL.value:
        page = paginate(service.own_reports(org))
        periods = readings.periods_by_id(r.period_id for r in page.items)
        return render_template("reports/report_index_school.html", org=org, page=page, periods=periods,
                               today=today, state_of=service.state_of, **_labels())
    search = search_term()
    periods = service.reporting_periods(org)
    period = _selected_period(periods)
    period_id = period.id if period else None
    state = request.args.get("state") if request.args.get("state") in service.STATES else None
    page = paginate(service.children_with_reports(org, period_id, search, state, today))
    ids = [child.id for child in page.items]
    reports = service.reports_of(ids, period_id)
    args = {"period": period_id, "q": search, "state": state}
    context = dict(org=org, page=page, periods=periods, period=period, reports=reports, search=search, state=state,
                   args={k: v for k, v in args.items() if v}, today=today, state_of=service.state_of, **_labels())
    if org.kind == OrgKind.MUNICIPALITY.value:
        own = service.own_report(org, period_id) if period_id else None
        counts = service.state_counts(org, period_id, today)
        return render_template("reports/report_index_municipal.html", own=own, counts=counts, **context)
    counts = service.school_counts(ids, period_id, today)
    return render_template("reports/report_index_ministry.html", counts=counts, **context)


# -- a report's page ------------------------------------------------------------------------------

def _report_or_404(report_id: int) -> Report:
    report = db.session.scalar(
        sa.select(Report).where(Report.id == report_id)
        .options(selectinload(Report.attachments),
                 selectinload(Report.transitions).joinedload(ReportTransition.by_user))
    )
    if report is None:
        abort(404)
    return report


def _render_show(report: Report, *, form=None, attach_form=None, decision_form=None, status: int = 200):
    membership = current_membership()
    owner = db.session.get(Organization, report.org_id)
    period = readings.period_info(report.period_id)
    today = region_today()
    figures = service.org_figures(report.org_id, report.org_path, period) if period else []
    schools = service.municipal_schools(owner, period) if report.kind == "municipal" and period else []
    lagging = [s for s in schools if s.status not in service.DONE_STATUSES]
    editable = service.can_edit(report, membership)
    reviewer = service.is_reviewer(report, membership, owner) and report.status == "submitted"
    return render_template(
        "reports/report_show.html", report=report, owner=owner, period=period, figures=figures, schools=schools,
        lagging=lagging, today=today, editable=editable, reviewer=reviewer,
        can_submit=editable,
        missing=service.missing_fields(report),
        form=form or (ReportForm(obj=report) if editable else None),
        attach_form=attach_form or (AttachmentForm() if editable else None),
        decision_form=decision_form or (DecisionForm() if reviewer else None),
        confirm_form=ConfirmForm(), state_of=service.state_of, **_labels(),
    ), status


@bp.route("/reports/<int:report_id>")
@membership_required
def report_show(report_id: int):
    return _render_show(_report_or_404(report_id))


def _fail(error: Exception, report_id: int):
    """Roll back and say why on the report's page (a StaleDataError: a concurrent change won)."""
    db.session.rollback()
    flash_error(error if isinstance(error, DomainError) else service.changed_meanwhile())
    return redirect(url_for("reports.report_show", report_id=report_id))


def _require_owner(report: Report) -> None:
    if not service.is_owner(report, current_membership()):
        abort(403)


def _commit(message: str, report_id: int):
    try:
        db.session.commit()
    except StaleDataError as exc:  # a concurrent change won the version check
        return _fail(exc, report_id)
    flash(message, "success")
    return redirect(url_for("reports.report_show", report_id=report_id))


@bp.route("/reports/<int:report_id>/edit", methods=["POST"])
@membership_required
def report_edit(report_id: int):
    report = get_or_404(Report, report_id)
    _require_owner(report)
    form = ReportForm()
    if not form.validate_on_submit():
        return _render_show(_report_or_404(report_id), form=form)
    try:
        service.update_narrative(report, current_membership(), {name: getattr(form, name).data
                                                                for name in service.NARRATIVE_FIELDS})
    except (DomainError, StaleDataError) as exc:
        return _fail(exc, report_id)
    return _commit(_("The report has been saved."), report_id)


@bp.route("/reports/<int:report_id>/attachments", methods=["POST"])
@membership_required
def report_attach(report_id: int):
    report = get_or_404(Report, report_id)
    _require_owner(report)
    form = AttachmentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            checked = service.check_attachment(upload.filename, upload.read())
            service.add_attachment(report, current_membership(), current_user, checked)
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        except StaleDataError as exc:
            return _fail(exc, report_id)
        else:
            return _commit(_("The file has been attached."), report_id)
    return _render_show(_report_or_404(report_id), attach_form=form)


def _attachment_of(report_id: int, attachment_id: int) -> ReportAttachment:
    attachment = db.session.scalar(sa.select(ReportAttachment).where(ReportAttachment.id == attachment_id,
                                                                     ReportAttachment.report_id == report_id))
    if attachment is None:
        abort(404)
    return attachment


@bp.route("/reports/<int:report_id>/attachments/<int:attachment_id>")
@membership_required
def report_attachment(report_id: int, attachment_id: int):
    report = get_or_404(Report, report_id)
    item = service.open_attachment(report, attachment_id, current_org._get_current_object())
    if item is None:
        abort(404)
    db.session.commit()
    response = Response(item.data, mimetype=item.content_type)
    # Always a download, never rendered in the page's origin.
    response.headers["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(item.filename, safe="")
    return response


@bp.route("/reports/<int:report_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@membership_required
def report_attachment_delete(report_id: int, attachment_id: int):
    report = get_or_404(Report, report_id)
    item = _attachment_of(report.id, attachment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _require_owner(report)
    try:
        service.remove_attachment(report, item, current_membership())
    except (DomainError, StaleDataError) as exc:
        return _fail(exc, report_id)
    return _commit(_("The file has been removed."), report_id)


@bp.route("/reports/<int:report_id>/submit", methods=["POST"])
@membership_required
def report_submit(report_id: int):
    report = get_or_404(Report, report_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _require_owner(report)
    owner = db.session.get(Organization, report.org_id)
    try:
        service.submit(report, current_membership(), current_user, owner)
    except (DomainError, StaleDataError) as exc:
        return _fail(exc, report_id)
    return _commit(_("The report has been submitted."), report_id)


@bp.route("/reports/<int:report_id>/decide", methods=["POST"])
@membership_required
def report_decide(report_id: int):
    report = get_or_404(Report, report_id)
    owner = db.session.get(Organization, report.org_id)
    if not service.is_reviewer(report, current_membership(), owner):
        abort(403)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_show(_report_or_404(report_id), decision_form=form)
    try:
        service.decide(report, current_membership(), current_user, owner, form.decision.data, form.comment.data)
    except DomainError as error:
        db.session.rollback()
        form.add_errors(error)
        return _render_show(_report_or_404(report_id), decision_form=form)
    except StaleDataError as exc:
        return _fail(exc, report_id)
    message = _("The report has been accepted.") if form.decision.data == "accept" else \
        _("The report has been returned for revision.")
    return _commit(message, report_id)
