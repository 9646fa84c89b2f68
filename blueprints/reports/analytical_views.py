"""The analytical report (информационно-аналитическая справка): the organisation's reports,
a request for a frozen period (built by the task ``nastavnik.analytical.build``), the page
following its progress, and the DOCX and XLSX downloads (audited).

For the ministry (region level) and municipal bodies (their own level); schools get 403.
A report is shared upward: the organisation above may open it; anyone else gets 404."""
from __future__ import annotations

import io

import sqlalchemy as sa
from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import defer, raiseload
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from blueprints.base_form import BaseForm, required
from blueprints.errors import flash_error
from blueprints.pagination import paginate
from blueprints.reports import bp
from core.enqueue import enqueue_on_commit
from core.errors import DomainError
from core.extensions import db
from mentorship.monitoring.readings import period_of, region_periods
from mentorship.reports.analytical.build import download, failure, pending_report, progress_of, request_report
from mentorship.reports.models import AnalyticalReport
from tasks.reports import build
from tenants.access import current_membership, current_org, get_or_404, membership_required, roles_required
from tenants.models import Organization
from tenants.roles import Role

ROLES = (Role.MINISTRY_ADMIN, Role.MINISTRY_ANALYST, Role.MUNICIPAL_COORDINATOR, Role.MUNICIPAL_SPECIALIST)
STATUS_LABELS = {
    "queued": _l("Queued"),
    "running": _l("Being prepared"),
    "done": _l("Ready"),
    "failed": _l("Failed"),
}
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class AnalyticalRequestForm(BaseForm):
    # Any period id is accepted here: the domain refuses one that is not frozen, with its reason.
    period_id = SelectField(_l("Monitoring period"), coerce=int, validate_choice=False, validators=[required()])


def _request_form(periods) -> AnalyticalRequestForm:
    form = AnalyticalRequestForm()
    form.period_id.choices = [SelectChoice(p.id, format_date(p.reference_date, "long")) for p in periods if p.frozen]
    return form


def _report_or_404(report_id: int) -> AnalyticalReport:
    report = get_or_404(AnalyticalReport, report_id)  # first: another tenant's report is a 404 for anyone
    if current_membership().role not in {role.value for role in ROLES}:
        abort(403)
    return report


def _index(form: AnalyticalRequestForm | None = None, status: int = 200):
    org = current_org._get_current_object()
    periods = region_periods(org)
    stmt = (
        sa.select(AnalyticalReport)
        .where(AnalyticalReport.org_id == org.id)
        .options(raiseload("*"), *(defer(getattr(AnalyticalReport, c), raiseload=True) for c in ("docx", "xlsx", "pdf")))
        .order_by(AnalyticalReport.created_at.desc(), AnalyticalReport.id.desc())
    )
    chosen = request.args.get("period", type=int)
    if chosen:
        stmt = stmt.where(AnalyticalReport.period_id == chosen)
    return render_template(
        "reports/analytical_index.html", org=org, page=paginate(stmt), periods=periods, chosen=chosen,
        dates={p.id: p.reference_date for p in periods}, form=form or _request_form(periods),
        STATUS_LABELS=STATUS_LABELS,
    ), status


@bp.route("/reports/analytical")
@roles_required(*ROLES)
def analytical_index():
    return _index()


@bp.route("/reports/analytical/new", methods=["POST"])
@roles_required(*ROLES)
def analytical_new():
    org = current_org._get_current_object()
    form = _request_form(region_periods(org))
    if not form.validate_on_submit():
        return _index(form, 400)
    pending = pending_report(org, form.period_id.data)
    if pending is not None:
        flash(_("A report for this period is already being prepared."), "info")
        return redirect(url_for("reports.analytical_show", report_id=pending.id))
    try:
        report = request_report(org, form.period_id.data, current_user)
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(url_for("reports.analytical_index"))
    enqueue_on_commit(db.session(), build, org.id, report.id)
    db.session.commit()
    flash(_("The analytical report is being prepared."), "success")
    return redirect(url_for("reports.analytical_show", report_id=report.id))


@bp.route("/reports/analytical/<int:report_id>")
@membership_required
def analytical_show(report_id: int):
    report = _report_or_404(report_id)
    owner = db.session.get(Organization, report.org_id)
    period = period_of(current_org._get_current_object(), report.period_id)
    percent = min(100, 100 * report.done // report.total) if report.total else 0
    error = failure(report)
    return render_template("reports/analytical_show.html", report=report, owner=owner, period=period,
                           percent=percent, error=error, STATUS_LABELS=STATUS_LABELS)


@bp.route("/reports/analytical/<int:report_id>/status")
@membership_required
def analytical_status(report_id: int):
    response = jsonify(progress_of(_report_or_404(report_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


def _download(report_id: int, fmt: str):
    report = _report_or_404(report_id)
    data = download(report, fmt)
    if data is None:
        abort(404)
    period = period_of(current_org._get_current_object(), report.period_id)
    db.session.commit()
    day = period.reference_date.isoformat() if period else str(report.period_id)
    response = send_file(io.BytesIO(data), mimetype=FORMATS[fmt], as_attachment=True,
                         download_name=f"analytical-report-{day}-{report.id}.{fmt}")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/reports/analytical/<int:report_id>.docx")
@membership_required
def analytical_docx(report_id: int):
    return _download(report_id, "docx")


@bp.route("/reports/analytical/<int:report_id>.xlsx")
@membership_required
def analytical_xlsx(report_id: int):
    return _download(report_id, "xlsx")
