"""A mentor's training status in the school's bank (``MentorProfile.training_status``), kept in
step with their enrolments and completions.

The status only moves forward: «none» → «in progress» when the mentor is enrolled, anything →
«completed» when a training is completed; a cancelled enrolment takes «in progress» back to
«none» only when nothing else is open or done. A status the school set by hand in the
questionnaire (a training before the system) is never lowered from «completed».

The profile is the school's own (owner-only), so when the organiser above marks a completion
this runs *as the mentor's school* (``tenant_scope`` of the enrolment's owner): the one write
the organiser's action makes into the school, on the school's behalf. ``mentor_changed`` then
tells the registry, in the same scope and transaction.
"""
from __future__ import annotations

from contextlib import nullcontext

import sqlalchemy as sa

from core.extensions import db
from mentorship.people.models import MentorProfile, Participant
from mentorship.people.signals import mentor_changed
from mentorship.training.models import Enrolment, TrainingCompletion
from tenants.context import TenantScope, current_scope, tenant_scope


def as_school(org_id: int, org_path: str):
    """Act as the school that keeps the mentor (a no-op when already acting as it)."""
    scope = current_scope()
    if isinstance(scope, TenantScope) and scope.org_id == org_id:
        return nullcontext()
    return tenant_scope(org_id, org_path)


def sync(participant_id: int, org_id: int, org_path: str) -> str | None:
    """Bring the mentor's status in step with their enrolments and completions, acting as
    their school; the new status (None: no questionnaire)."""
    db.session.flush()  # what the caller changed is written under its own scope first
    with as_school(org_id, org_path):
        profile = db.session.scalar(sa.select(MentorProfile).where(MentorProfile.participant_id == participant_id))
        if profile is None:
            return None
        completed = db.session.scalar(
            sa.select(sa.func.count(TrainingCompletion.id)).where(TrainingCompletion.participant_id == participant_id))
        open_ = db.session.scalar(sa.select(sa.func.count(Enrolment.id)).where(
            Enrolment.participant_id == participant_id, Enrolment.status == "enrolled"))
        status = profile.training_status
        if completed:
            status = "completed"
        elif open_ and status == "none":
            status = "in_progress"
        elif not open_ and status == "in_progress":
            status = "none"
        if status != profile.training_status:
            profile.training_status = status
        db.session.flush()
        participant = db.session.get(Participant, participant_id)
        if participant is not None:
            mentor_changed.send(participant, org=None)
            db.session.flush()
        return status
