"""Execution: activities (and stages without activities) marked done with evidence;
evidence downloads; notifications."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.pagination import paginate
from blueprints.roadmaps import bp
from blueprints.roadmaps.forms import DoneForm
from blueprints.roadmaps.helpers import activity_of, roadmap_or_404, run_change, stage_of
from core.errors import DomainError
from core.extensions import db
from core.model import utcnow
from mentorship.roadmaps.execution import check_evidence, mark_done, mark_not_done, open_evidence, remove_evidence
from mentorship.roadmaps.models import ActivityEvidence, StageEvidence
from tenants.access import current_membership, current_org, get_or_404, membership_required
from tenants.models import Notification


@bp.route("/<int:roadmap_id>/activities/<int:activity_id>/done", methods=["GET", "POST"])
@membership_required
def done(roadmap_id: int, activity_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    return _done(roadmap, activity_of(roadmap, activity_id), False, _("The activity is marked done."))


@bp.route("/<int:roadmap_id>/stages/<int:stage_id>/done", methods=["GET", "POST"])
@membership_required
def stage_done(roadmap_id: int, stage_id: int):
    """A stage without activities (a step of its own) marked done with evidence."""
    roadmap = roadmap_or_404(roadmap_id)
    stage = stage_of(roadmap, stage_id)
    if stage.activities:
        abort(404)
    return _done(roadmap, stage, True, _("The stage is marked done."))


def _done(roadmap, item, is_stage: bool, success: str):
    """The «mark done» page of an activity or of a stage without activities (``is_stage``)."""
    anchor = f"{'s' if is_stage else 'a'}{item.id}"
    form = DoneForm()
    if form.validate_on_submit():
        uploads = [(upload.filename, upload.read()) for upload in form.files.data or [] if upload and upload.filename]
        try:
            files = check_evidence(uploads)  # nothing is saved when any file is refused
        except DomainError as error:
            form.add_errors(error)
        else:
            try:
                mark_done(item, current_membership(), current_user, form.note.data, files)
                db.session.commit()
                flash(success, "success")
                return redirect(url_for("roadmaps.show", roadmap_id=roadmap.id, _anchor=anchor))
            except DomainError as error:
                db.session.rollback()
                flash_error(error)
                return redirect(url_for("roadmaps.show", roadmap_id=roadmap.id))
    return render_template(
        "roadmaps/done.html", form=form, roadmap=roadmap, activity=item, is_stage=is_stage,
        evidence_endpoint="roadmaps.stage_evidence" if is_stage else "roadmaps.evidence",
        remove_endpoint="roadmaps.remove_stage_evidence_file" if is_stage else "roadmaps.remove_evidence_file",
        reopen_url=url_for("roadmaps.stage_reopen" if is_stage else "roadmaps.reopen", roadmap_id=roadmap.id,
                           **({"stage_id": item.id} if is_stage else {"activity_id": item.id})),
    )


@bp.route("/<int:roadmap_id>/activities/<int:activity_id>/reopen", methods=["POST"])
@membership_required
def reopen(roadmap_id: int, activity_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    activity = activity_of(roadmap, activity_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return run_change(lambda: mark_not_done(activity, current_membership()), _("The activity is marked not done."),
                      roadmap.id, to=url_for("roadmaps.show", roadmap_id=roadmap.id, _anchor=f"a{activity.id}"))


@bp.route("/<int:roadmap_id>/stages/<int:stage_id>/reopen", methods=["POST"])
@membership_required
def stage_reopen(roadmap_id: int, stage_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    stage = stage_of(roadmap, stage_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return run_change(lambda: mark_not_done(stage, current_membership()), _("The stage is marked not done."),
                      roadmap.id, to=url_for("roadmaps.show", roadmap_id=roadmap.id, _anchor=f"s{stage.id}"))


@bp.route("/<int:roadmap_id>/evidence/<int:evidence_id>")
@membership_required
def evidence(roadmap_id: int, evidence_id: int):
    return _download(roadmap_id, evidence_id, of_stage=False)


@bp.route("/<int:roadmap_id>/stage-evidence/<int:evidence_id>")
@membership_required
def stage_evidence(roadmap_id: int, evidence_id: int):
    return _download(roadmap_id, evidence_id, of_stage=True)


def _download(roadmap_id: int, evidence_id: int, *, of_stage: bool):
    roadmap = roadmap_or_404(roadmap_id)
    item = open_evidence(roadmap, evidence_id, current_org._get_current_object(), of_stage=of_stage)
    if item is None:
        abort(404)
    db.session.commit()
    response = Response(item.data, mimetype=item.content_type)
    # Always a download, never rendered in the page's origin.
    response.headers["Content-Disposition"] = "attachment; filename*=UTF-8''" + _quote(item.filename)
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


@bp.route("/notifications")
@membership_required
def notifications():
    from tenants.notifications import unread_for

    org = current_org._get_current_object()
    stmt = sa.select(Notification).where(Notification.recipient_org_id == org.id).order_by(Notification.created_at.desc())
    page = paginate(stmt)
    unread = db.session.scalar(sa.select(sa.func.count()).select_from(unread_for(org.id).subquery()))
    return render_template("roadmaps/notifications.html", page=page, unread=unread, form=ConfirmForm())


@bp.route("/notifications/read", methods=["POST"])
@membership_required
def notifications_read():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    org = current_org._get_current_object()
    db.session.execute(
        sa.update(Notification).where(Notification.recipient_org_id == org.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return redirect(url_for("roadmaps.notifications"))


@bp.route("/<int:roadmap_id>/evidence/<int:evidence_id>/delete", methods=["POST"])
@membership_required
def remove_evidence_file(roadmap_id: int, evidence_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    item = get_or_404(ActivityEvidence, evidence_id)
    if item.activity.roadmap_id != roadmap.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return run_change(lambda: remove_evidence(item, current_membership()), _("The file has been removed."),
                      roadmap.id, to=url_for("roadmaps.done", roadmap_id=roadmap.id, activity_id=item.activity_id))


@bp.route("/<int:roadmap_id>/stage-evidence/<int:evidence_id>/delete", methods=["POST"])
@membership_required
def remove_stage_evidence_file(roadmap_id: int, evidence_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    item = get_or_404(StageEvidence, evidence_id)
    if item.stage.roadmap_id != roadmap.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return run_change(lambda: remove_evidence(item, current_membership()), _("The file has been removed."),
                      roadmap.id, to=url_for("roadmaps.stage_done", roadmap_id=roadmap.id, stage_id=item.stage_id))
