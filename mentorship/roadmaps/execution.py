"""Executing a roadmap: activities marked done with a note and evidence files."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import undefer

from core.errors import Problem
from core.extensions import db
from core.model import utcnow
from core.uploads import CheckedFile, UploadError, check_upload
from mentorship.roadmaps.editing import RoadmapError, is_current_approved
from mentorship.roadmaps.models import ActivityEvidence, Roadmap, RoadmapActivity
from tenants import audit
from tenants.models import Membership, Organization, User

MAX_FILES_PER_ACTIVITY = 20


def _require_executable(activity: RoadmapActivity, acting: Membership) -> None:
    from mentorship.roadmaps.workflow import can_edit

    if not can_edit(acting, activity.roadmap):
        raise RoadmapError("not_allowed")
    if not is_current_approved(activity.roadmap):
        # a plan is executed once it is agreed, and only its current approved version
        raise RoadmapError("not_approved")


def check_evidence(uploads: list[tuple[str, bytes]]) -> list[CheckedFile]:
    """The uploaded (filename, content) pairs checked by content (core.uploads); every file
    refused is one problem of the ``files`` field, named in its message — nothing is kept
    when any file is refused."""
    files, problems = [], []
    for filename, data in uploads:
        try:
            files.append(check_upload(filename, data))
        except UploadError as exc:
            problems.append(Problem(exc.code, "files", {"filename": filename}))
    if problems:
        raise RoadmapError(problems)
    return files


def mark_done(activity: RoadmapActivity, acting: Membership, user: User, note: str | None,
              files: list[CheckedFile]) -> None:
    _require_executable(activity, acting)
    if len(activity.evidence) + len(files) > MAX_FILES_PER_ACTIVITY:
        raise RoadmapError("too_many_files", field="files")
    for checked in files:
        activity.evidence.append(ActivityEvidence(
            org_id=activity.org_id, filename=checked.filename, content_type=checked.content_type,
            size=len(checked.data), data=checked.data, uploaded_by_id=user.id,
        ))
    activity.done_at = activity.done_at or utcnow()
    activity.done_by_id = user.id
    activity.done_note = (note or "").strip() or activity.done_note
    audit.record("roadmap.activity_done", org=acting.org, obj=activity, details={"files": len(files)})
    db.session.flush()


def mark_not_done(activity: RoadmapActivity, acting: Membership) -> None:
    _require_executable(activity, acting)
    activity.done_at = None
    activity.done_by_id = None
    audit.record("roadmap.activity_reopened", org=acting.org, obj=activity)


def remove_evidence(evidence: ActivityEvidence, acting: Membership) -> None:
    """Take back a wrongly uploaded file (the owner, while the version is executed)."""
    _require_executable(evidence.activity, acting)
    audit.record("roadmap.evidence_removed", org=acting.org, obj=evidence,
                 details={"activity_id": evidence.activity_id, "filename": evidence.filename})
    db.session.delete(evidence)


def open_evidence(roadmap: Roadmap, evidence_id: int, org: Organization) -> ActivityEvidence | None:
    """An evidence file of ``roadmap`` with its content, its opening by ``org`` audited;
    None if the roadmap has no such file (or it is not visible here)."""
    item = db.session.scalar(
        sa.select(ActivityEvidence).where(ActivityEvidence.id == evidence_id).options(undefer(ActivityEvidence.data))
    )
    if item is None or item.activity.roadmap_id != roadmap.id:
        return None
    audit.record("roadmap.evidence_viewed", org=org, obj=item)
    return item
