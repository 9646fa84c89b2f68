"""The approval workflow (согласование) as a state machine.

    draft ──submit──▶ submitted ──approve──▶ approved ──new version──▶ (next version: draft)
      ▲                   │
      └──── returned ◀────┘ return (with comments)

School roadmaps are approved by their municipal body; municipal roadmaps by the ministry when
the region's settings ask for it, otherwise by the municipal body itself; the region's model
roadmap by the ministry itself. Every step is recorded with who, when and a comment; the
other side is notified (in the app here; by e-mail on the ``roadmap_transitioned`` signal).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.extensions import db
from core.model import utcnow
from mentorship.region.models import RegionSettings
from mentorship.region.settings import settings_for
from mentorship.roadmaps.editing import RoadmapError, carry_execution, require_settled_deadlines
from mentorship.roadmaps.models import ActivityComment, Roadmap, RoadmapTransition
from mentorship.roadmaps.signals import roadmap_transitioned
from tenants import audit
from tenants.models import Membership, Organization, User
from tenants.notifications import notify
from tenants.roles import ADMIN_ROLE, OrgKind, Role

# Roles that work on their own organisation's roadmap (analysts read only).
EDITOR_ROLES = {
    Role.MINISTRY_ADMIN, Role.MUNICIPAL_COORDINATOR, Role.MUNICIPAL_SPECIALIST,
    Role.SCHOOL_PRINCIPAL, Role.SCHOOL_CURATOR,
}

ALLOWED = {
    "submit": {"draft", "returned"},
    "approve": {"submitted"},
    "return": {"submitted"},
}


@dataclass(frozen=True)
class TransitionEvent:
    roadmap: Roadmap
    transition: RoadmapTransition
    notify_org_id: int
    message: str  # what happened, in Russian, as the in-app notification says it



def reviewer_org_id(owner: Organization) -> int | None:
    """The organisation that approves ``owner``'s roadmaps (None: no approval needed)."""
    kind = OrgKind(owner.kind)
    if kind == OrgKind.SCHOOL:
        return owner.parent_id
    if kind == OrgKind.MUNICIPALITY and settings_for(owner).municipal_roadmaps_need_approval:
        return owner.parent_id
    return None


def set_municipal_approval(region: Organization, needed: bool) -> RegionSettings:
    """The ministry of ``region`` decides whether its municipal bodies' roadmaps need its
    approval (saved in the region's settings; audited)."""
    settings = settings_for(region)
    if settings.id is None:
        settings = RegionSettings(org_id=region.id)
        db.session.add(settings)
    settings.municipal_roadmaps_need_approval = needed
    db.session.flush()
    audit.record("region.settings_changed", org=region, obj=settings,
                 details={"municipal_roadmaps_need_approval": needed})
    return settings


def can_edit(acting: Membership, roadmap: Roadmap) -> bool:
    return acting.org_id == roadmap.org_id and acting.role_enum in EDITOR_ROLES


def can_review(acting: Membership, roadmap: Roadmap, owner: Organization) -> bool:
    reviewer = reviewer_org_id(owner)
    if reviewer is None:
        # No one above approves: the owner's administrator confirms its own roadmap.
        return acting.org_id == owner.id and acting.role_enum == ADMIN_ROLE[OrgKind(owner.kind)]
    return acting.org_id == reviewer and acting.role_enum == ADMIN_ROLE[OrgKind(acting.org.kind)]


def _transition(roadmap: Roadmap, action: str, to_status: str, acting: Membership, user: User,
                comment: str | None, notify_org_id: int, message: str,
                allowed: set[str] | None = None) -> RoadmapTransition:
    if roadmap.status not in (allowed or ALLOWED[action]):
        raise RoadmapError(f"cannot_{action}")
    transition = RoadmapTransition(
        org_id=roadmap.org_id, action=action, from_status=roadmap.status, to_status=to_status,
        by_user_id=user.id, by_org_id=acting.org_id, comment=(comment or "").strip() or None,
    )
    roadmap.transitions.append(transition)
    roadmap.status = to_status
    notify(notify_org_id, roadmap.org_id, f"roadmap.{action}", message, link=f"/roadmaps/{roadmap.id}")
    audit.record(f"roadmap.{action}", org=acting.org, obj=roadmap,
                 details={"version": roadmap.version, "comment": transition.comment})
    db.session.flush()
    roadmap_transitioned.send(roadmap, event=TransitionEvent(roadmap, transition, notify_org_id, message))
    return transition


def submit(roadmap: Roadmap, owner: Organization, acting: Membership, user: User, comment: str | None = None):
    if not can_edit(acting, roadmap):
        raise RoadmapError("not_allowed")
    reviewer = reviewer_org_id(owner)
    if reviewer is None:
        raise RoadmapError("no_reviewer")
    if roadmap.status in ALLOWED["submit"]:
        require_settled_deadlines(roadmap)
    roadmap.submitted_at = utcnow()
    return _transition(roadmap, "submit", "submitted", acting, user, comment, reviewer,
                       f"{owner.name}: дорожная карта (версия {roadmap.version}) направлена на согласование")


def approve(roadmap: Roadmap, owner: Organization, acting: Membership, user: User, comment: str | None = None,
            today: date | None = None):
    """Approve ``roadmap``; the first approval of its lineage puts the plan in force on
    ``today`` (the region's date)."""
    if not can_review(acting, roadmap, owner):
        raise RoadmapError("not_allowed")
    # With no one above to approve, the owner's administrator confirms a draft directly.
    allowed = {"draft", "returned", "submitted"} if reviewer_org_id(owner) is None else None
    if roadmap.status in (allowed or ALLOWED["approve"]):
        require_settled_deadlines(roadmap)
    transition = _transition(roadmap, "approve", "approved", acting, user, comment, owner.id,
                             f"{owner.name}: дорожная карта (версия {roadmap.version}) согласована", allowed=allowed)
    roadmap.approved_at = utcnow()
    roadmap.in_force_from = roadmap.in_force_from or today or roadmap.approved_at.date()
    carry_execution(roadmap)
    return transition


def return_for_revision(roadmap: Roadmap, owner: Organization, acting: Membership, user: User,
                        comment: str | None, activity_comments: dict[int, str] | None = None):
    if not can_review(acting, roadmap, owner) or reviewer_org_id(owner) is None:
        raise RoadmapError("not_allowed")
    activity_comments = {k: v.strip() for k, v in (activity_comments or {}).items() if v and v.strip()}
    if not (comment or "").strip() and not activity_comments:
        raise RoadmapError("comment_required", field="comment")
    valid_ids = {a.id for s in roadmap.stages for a in s.activities}
    if set(activity_comments) - valid_ids:
        raise RoadmapError("unknown_activity")
    transition = _transition(roadmap, "return", "returned", acting, user, comment, owner.id,
                             f"{owner.name}: дорожная карта (версия {roadmap.version}) возвращена на доработку")
    for activity_id, text in activity_comments.items():
        transition.activity_comments.append(ActivityComment(org_id=roadmap.org_id, activity_id=activity_id, text=text))
    return transition


def comments_by_activity(roadmap: Roadmap) -> dict[int, list[ActivityComment]]:
    """The comments of the latest return, by activity (shown to the school while revising)."""
    returns = [t for t in roadmap.transitions if t.action == "return"]
    if not returns:
        return {}
    out: dict[int, list[ActivityComment]] = {}
    for comment in returns[-1].activity_comments:
        out.setdefault(comment.activity_id, []).append(comment)
    return out


__all__ = ["approve", "can_edit", "can_review", "comments_by_activity",
           "return_for_revision", "reviewer_org_id", "set_municipal_approval", "submit"]
