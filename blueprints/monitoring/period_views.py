"""The monitoring periods of the region (ministry only): the list with status, progress and
snapshot counts; a period's page with a progress bar polled by static/js/progress.js;
run now (the latest due reference date), re-run an unfrozen period, unfreeze with a reason.

The analyst reads; only the ministry admin acts. Periods are owned by the ministry, so the
scope answers 404 to anyone else for the id routes. The aggregation is enqueued after the
commit (``enqueue_on_commit``), never before its period exists."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.errors import flash_error
from blueprints.monitoring import bp
from blueprints.monitoring.forms import PeriodActionForm, UnfreezeForm
from blueprints.pagination import paginate
from blueprints.region.access import MINISTRY_ROLES, admin_only, can_edit, ministry_or_404, region
from core.enqueue import enqueue_on_commit
from core.errors import DomainError
from core.extensions import db
from mentorship.monitoring import periods as period_service
from mentorship.monitoring.facts import STANDARD_INDICATORS
from mentorship.monitoring.indicators import indicator_list
from mentorship.monitoring.models import MonitoringPeriod
from tasks.monitoring import aggregate
from tenants.access import get_or_404, membership_required, roles_required


def _period(period_id: int) -> MonitoringPeriod:
    ministry_or_404()
    return get_or_404(MonitoringPeriod, period_id)


def _enqueue(period: MonitoringPeriod) -> None:
    enqueue_on_commit(db.session(), aggregate, period.org_id, period.id)


@bp.route("/monitoring/periods")
@roles_required(*MINISTRY_ROLES)
def periods():
    org = region()
    page = paginate(
        sa.select(MonitoringPeriod).where(MonitoringPeriod.org_id == org.id)
        .order_by(MonitoringPeriod.reference_date.desc())
    )
    counts = period_service.snapshot_counts([p.id for p in page.items])
    due = period_service.due_reference_date(org)
    return render_template(
        "monitoring/period_list.html", page=page, counts=counts, due=due,
        due_period=period_service.period_on(org, due), form=PeriodActionForm(), can_edit=can_edit(),
    )


@bp.route("/monitoring/periods/run", methods=["POST"])
@roles_required(*MINISTRY_ROLES)
def period_run():
    admin_only()
    if not PeriodActionForm().validate_on_submit():
        abort(400)
    try:
        period = period_service.run_now(region(), current_user)
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(url_for("monitoring.periods"))
    _enqueue(period)
    db.session.commit()
    flash(_("The aggregation has been started."), "success")
    return redirect(url_for("monitoring.period_show", period_id=period.id))


@bp.route("/monitoring/periods/<int:period_id>")
@membership_required
def period_show(period_id: int):
    period = _period(period_id)
    snapshots = period_service.region_snapshots(period)
    indicators, _defaults = indicator_list(region())
    names = {s.code: s.name for s in STANDARD_INDICATORS} | {i.code: i.name for i in indicators}
    return render_template(
        "monitoring/period_show.html", period=period, snapshots=snapshots, names=names,
        levels=period_service.counts_by_level(period), progress=period_service.period_progress(period),
        action_form=PeriodActionForm(), unfreeze_form=UnfreezeForm(), can_edit=can_edit(),
    )


@bp.route("/monitoring/periods/<int:period_id>/status")
@membership_required
def period_status(period_id: int):
    period = _period(period_id)
    response = jsonify(period_service.period_progress(period))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/monitoring/periods/<int:period_id>/rerun", methods=["POST"])
@membership_required
def period_rerun(period_id: int):
    period = _period(period_id)
    admin_only()
    if not PeriodActionForm().validate_on_submit():
        abort(400)
    try:
        period_service.rerun(period, current_user)
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(url_for("monitoring.period_show", period_id=period_id))
    _enqueue(period)
    db.session.commit()
    flash(_("The period will be aggregated again."), "success")
    return redirect(url_for("monitoring.period_show", period_id=period_id))


@bp.route("/monitoring/periods/<int:period_id>/unfreeze", methods=["POST"])
@membership_required
def period_unfreeze(period_id: int):
    period = _period(period_id)
    admin_only()
    form = UnfreezeForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for unfreezing."), "danger")
        return redirect(url_for("monitoring.period_show", period_id=period_id))
    try:
        period_service.unfreeze_period(period, form.reason.data, current_user)
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(url_for("monitoring.period_show", period_id=period_id))
    db.session.commit()
    flash(_("The period is unfrozen. Schools may correct their data; re-run it when ready."), "success")
    return redirect(url_for("monitoring.period_show", period_id=period_id))
