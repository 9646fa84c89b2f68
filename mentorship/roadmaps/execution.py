"""Executing a roadmap: activities — and stages without activities — marked done with a
note and evidence files."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import undefer

from core.errors import Problem
from core.extensions import db
from core.model import utcnow
from core.uploads import CheckedFile, UploadError, check_upload
from mentorship.roadmaps.editing import RoadmapError, is_current_approved
from mentorship.roadmaps.models import ActivityEvidence, Roadmap, RoadmapActivity, RoadmapStage, StageEvidence
from tenants import audit
from tenants.models import Membership, Organization, User

MAX_FILES_PER_ACTIVITY = 20


def _require_executable(item: RoadmapActivity | RoadmapStage, acting: Membership) -> None:
    from mentorship.roadmaps.workflow import can_edit

    if not can_edit(acting, item.roadmap):
        raise RoadmapError("not_allowed")
    if isinstance(item, RoadmapStage) and item.activities:
        raise RoadmapError("not_a_step")
    if not is_current_approved(item.roadmap):
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


def _evidence_class(item: RoadmapActivity | RoadmapStage):
    return StageEvidence if isinstance(item, RoadmapStage) else ActivityEvidence


def _kind(item: RoadmapActivity | RoadmapStage) -> str:
    return "stage" if isinstance(item, RoadmapStage) else "activity"


def mark_done(item: RoadmapActivity | RoadmapStage, acting: Membership, user: User, note: str | None,
              files: list[CheckedFile]) -> None:
    """Mark an activity, or a stage without activities, done, with a note and evidence files."""
    _require_executable(item, acting)
    if len(item.evidence) + len(files) > MAX_FILES_PER_ACTIVITY:
        raise RoadmapError("too_many_files", field="files")
    evidence_class = _evidence_class(item)
    for checked in files:
        item.evidence.append(evidence_class(
            org_id=item.org_id, filename=checked.filename, content_type=checked.content_type,
            size=len(checked.data), data=checked.data, uploaded_by_id=user.id,
        ))
    item.done_at = item.done_at or utcnow()
    item.done_by_id = user.id
    item.done_note = (note or "").strip() or item.done_note
    audit.record(f"roadmap.{_kind(item)}_done", org=acting.org, obj=item, details={"files": len(files)})
    db.session.flush()


def mark_not_done(item: RoadmapActivity | RoadmapStage, acting: Membership) -> None:
    _require_executable(item, acting)
    item.done_at = None
    item.done_by_id = None
    audit.record(f"roadmap.{_kind(item)}_reopened", org=acting.org, obj=item)


def _owner_item(evidence: ActivityEvidence | StageEvidence) -> RoadmapActivity | RoadmapStage:
    return evidence.stage if isinstance(evidence, StageEvidence) else evidence.activity


def remove_evidence(evidence: ActivityEvidence | StageEvidence, acting: Membership) -> None:
    """Take back a wrongly uploaded file (the owner, while the version is executed)."""
    item = _owner_item(evidence)
    _require_executable(item, acting)
    audit.record("roadmap.evidence_removed", org=acting.org, obj=evidence,
                 details={f"{_kind(item)}_id": item.id, "filename": evidence.filename})
    db.session.delete(evidence)


def open_evidence(roadmap: Roadmap, evidence_id: int, org: Organization, *,
                  of_stage: bool = False) -> ActivityEvidence | StageEvidence | None:
    """An evidence file of ``roadmap`` (of an activity, or ``of_stage``) with its content, its
    opening by ``org`` audited; None if the roadmap has no such file (or it is not visible here)."""
    model = StageEvidence if of_stage else ActivityEvidence
    item = db.session.scalar(sa.select(model).where(model.id == evidence_id).options(undefer(model.data)))
    if item is None or _owner_item(item).roadmap_id != roadmap.id:
        return None
    audit.record("roadmap.evidence_viewed", org=org, obj=item)
    return item
