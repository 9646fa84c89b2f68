"""Lookups and labels shared by the roadmap views."""
from __future__ import annotations

import re

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from blueprints.errors import flash_error
from core.errors import DomainError
from core.extensions import db
from mentorship.roadmaps.builtin import builtin_templates
from mentorship.roadmaps.editing import load_roadmap
from mentorship.roadmaps.models import Roadmap, RoadmapActivity, RoadmapStage
from tenants.access import get_or_404
from tenants.models import Organization

TRANSITION_LABELS = {
    "created": _l("created"),
    "submit": _l("submitted for approval"),
    "return": _l("returned for revision"),
    "approve": _l("approved"),
    "new_version": _l("started a new version"),
}

VERSION_NOTE = re.compile(r"^version (\d+) → (\d+)$")


def transition_note(action: str, comment: str | None) -> str:
    """A history step's note as people read it: where a roadmap came from («from the template
    «…»», not «template:spb-dou49»), which version a new one is; a reviewer's comment as typed."""
    if not comment:
        return ""
    if action == "created":
        kind, _sep, key = comment.partition(":")
        if kind == "template":
            template = builtin_templates().get(key)
            if template is not None:
                return _("from the template «%(title)s»", title=template.title)
            return _("from the region's model roadmap")
        if kind == "copy":
            return _("copied from the roadmap of an earlier period")
    if action == "new_version" and (numbers := VERSION_NOTE.match(comment)):
        return _("version %(old)s → %(new)s", old=numbers.group(1), new=numbers.group(2))
    return comment


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


def run_change(change, success: str, roadmap_id: int, *, to: str | None = None):
    """Apply ``change()``; commit and say ``success``, or roll back and say why; redirect to
    ``to`` (default: the roadmap)."""
    try:
        change()
        db.session.commit()
        flash(success, "success")
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    return redirect(to or url_for("roadmaps.show", roadmap_id=roadmap_id))
