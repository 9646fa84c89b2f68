"""Lookups and messages shared by the roadmap views."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.extensions import db
from mentorship.roadmaps.editing import RoadmapError, load_roadmap
from mentorship.roadmaps.models import Roadmap, RoadmapActivity, RoadmapStage
from tenants.access import get_or_404
from tenants.models import Organization

ERRORS = {
    "not_allowed": _l("You cannot do this with this roadmap."),
    "not_editable": _l("The roadmap cannot be edited now: it is submitted or approved."),
    "cannot_submit": _l("Only a draft or a returned roadmap can be submitted."),
    "cannot_approve": _l("Only a submitted roadmap can be approved."),
    "cannot_return": _l("Only a submitted roadmap can be returned."),
    "comment_required": _l("Say what to change: a comment on the whole or on activities."),
    "no_reviewer": _l("This roadmap needs no approval from above: its administrator confirms it."),
    "not_approved": _l("Only an approved roadmap can be changed into a new version or executed."),
    "newer_version_exists": _l("A newer version exists: change that one."),
    "title_required": _l("The activity needs a name."),
    "too_many_files": _l("Too many files for one activity."),
    "not_owner": _l("You can only copy your own organisation's roadmap."),
    "unknown_activity": _l("A comment refers to an activity of another roadmap."),
    "bad_period": _l("The period is not understood."),
}

UPLOAD_ERRORS = {
    "empty": _l("The file is empty."),
    "too_large": _l("The file is larger than 10 MB."),
    "type_not_allowed": _l("Only PDF, JPEG, PNG, DOCX and XLSX files are accepted."),
    "name_mismatch": _l("The file's content does not match its name."),
}

TRANSITION_LABELS = {
    "created": _l("created"),
    "submit": _l("submitted for approval"),
    "return": _l("returned for revision"),
    "approve": _l("approved"),
    "new_version": _l("started a new version"),
}

STATUS_LABELS = {
    "missing": _l("missing"),
    "draft": _l("draft"),
    "submitted": _l("submitted"),
    "returned": _l("returned"),
    "approved": _l("approved"),
}


def roadmap_or_404(roadmap_id: int) -> Roadmap:
    # Changes lock the roadmap's row (PostgreSQL): two reviewers deciding at once, or an edit
    # racing a submission, are serialised and the second sees the new status.
    roadmap = load_roadmap(roadmap_id, lock=request.method == "POST")  # through the tenant scope
    if roadmap is None:
        abort(404)
    return roadmap


def owner_of(roadmap: Roadmap) -> Organization:
    return db.session.get(Organization, roadmap.org_id)


def stage_of(roadmap: Roadmap, stage_id: int) -> RoadmapStage:
    stage = get_or_404(RoadmapStage, stage_id)
    if stage.roadmap_id != roadmap.id:
        abort(404)
    return stage


def activity_of(roadmap: Roadmap, activity_id: int) -> RoadmapActivity:
    activity = get_or_404(RoadmapActivity, activity_id)
    if activity.roadmap_id != roadmap.id:
        abort(404)
    return activity


def flash_error(exc: RoadmapError) -> None:
    message = ERRORS.get(exc.code, _("The change is not allowed."))
    flash(f"{message} {exc.detail}" if exc.code in ("bad_deadline", "bad_period") else message, "danger")


def run_change(change, success: str, roadmap_id: int, *, to: str | None = None):
    """Apply ``change()``; commit and say ``success``, or roll back and say why; redirect to
    ``to`` (default: the roadmap)."""
    try:
        change()
        db.session.commit()
        flash(success, "success")
    except RoadmapError as exc:
        db.session.rollback()
        flash_error(exc)
    return redirect(to or url_for("roadmaps.show", roadmap_id=roadmap_id))
