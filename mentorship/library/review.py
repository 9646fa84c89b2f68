"""A school's best practice goes to its municipal body before the region sees it.

    draft ──submit──▶ submitted ──approve──▶ published (to the whole region)
      ▲                  │
      └── returned ◀─────┘ return (a comment is required)

The reviewer may also withdraw a published practice, and decides whether an approved practice
also goes on the public pages (the school asks for it when submitting; it may always take it
off). Each step is audited, notifies the other side in the app and mails it (queued, sent once
the caller commits)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.errors import Conflict
from core.extensions import db
from core.links import external_url
from core.mail import queue_mail
from core.model import utcnow
from mentorship.library.access import EDITOR_ROLES, can_edit, can_review, is_school
from mentorship.library.catalogue import PRACTICE
from mentorship.library.items import LibraryError, sync_public, withdraw_item
from mentorship.library.models import LibraryItem
from tenants import audit
from tenants.directory import active_members
from tenants.models import Membership, User
from tenants.notifications import notify
from tenants.roles import Role

NOTIFICATION_KIND = "library.review"
SIGNATURE = "Это автоматическое сообщение системы «Наставник», отвечать на него не нужно."
TEXTS = {
    "submit": "{school}: лучшая практика «{title}» направлена на рассмотрение",
    "approve": "Лучшая практика «{title}» одобрена и опубликована в методической копилке региона",
    "return": "Лучшая практика «{title}» возвращена на доработку",
}


class ReviewError(LibraryError, Conflict):
    """The practice is not in a state for that step."""

    MESSAGES = {
        "not_submittable": _l("Only a draft or a returned practice can be submitted."),
        "not_submitted": _l("Only a practice under review can be approved or returned."),
        "comment_required": _l("Say what to change: a comment is required to return the practice."),
        "comment_too_long": _l("The comment is longer than 5,000 characters."),
        "no_reviewer": _l("Only a school's best practice is reviewed."),
    }


def submit(acting: Membership, item: LibraryItem, *, public: bool | None = None) -> LibraryItem:
    """The school sends its practice to its municipal body (``public``: it asks for the public
    pages too)."""
    if not can_edit(acting, item) or not is_school(acting.org) or item.category != PRACTICE:
        raise LibraryError("not_allowed")
    if item.status not in ("draft", "returned"):
        raise ReviewError("not_submittable")
    item.status = "submitted"
    item.reviewer_org_id = acting.org.parent_id
    item.submitted_at = utcnow()
    if public is not None:
        item.public_requested = bool(public)
    sync_public(item)
    db.session.flush()
    audit.record("library.submitted", org=acting.org, obj=item, details={"public_requested": item.public_requested})
    text = TEXTS["submit"].format(school=acting.org.name, title=item.title)
    _tell(item.reviewer_org_id, item, text, None, [Role.MUNICIPAL_COORDINATOR, Role.MUNICIPAL_SPECIALIST])
    return item


def _require_review(acting: Membership, item: LibraryItem) -> None:
    if not can_review(acting, item):
        raise LibraryError("not_allowed")
    if item.status != "submitted":
        raise ReviewError("not_submitted")


def _comment(comment: str | None) -> str | None:
    comment = (comment or "").strip() or None
    if comment and len(comment) > 5000:
        raise ReviewError("comment_too_long", field="comment")
    return comment


def approve(acting: Membership, user: User, item: LibraryItem, *, comment: str | None = None,
            public: bool | None = None) -> LibraryItem:
    """Publish the practice to the whole region (``public``: the reviewer's decision about the
    public pages; by default what the school asked)."""
    _require_review(acting, item)
    comment = _comment(comment)
    item.status = "published"
    item.audience = "region"
    item.published_at = item.reviewed_at = utcnow()
    item.reviewed_by_id = user.id
    item.review_comment = comment
    if public is not None:
        item.public_requested = bool(public)
    sync_public(item)
    db.session.flush()
    audit.record("library.approved", org=acting.org, obj=item, details={"public": item.is_public, "comment": comment})
    _tell(item.org_id, item, TEXTS["approve"].format(title=item.title), comment,
          [Role.SCHOOL_PRINCIPAL, Role.SCHOOL_CURATOR])
    return item


def return_for_revision(acting: Membership, user: User, item: LibraryItem, *, comment: str | None) -> LibraryItem:
    """Send the practice back to the school with what to change."""
    _require_review(acting, item)
    comment = _comment(comment)
    if not comment:
        raise ReviewError("comment_required", field="comment")
    item.status = "returned"
    item.reviewed_at = utcnow()
    item.reviewed_by_id = user.id
    item.review_comment = comment
    sync_public(item)
    db.session.flush()
    audit.record("library.returned", org=acting.org, obj=item, details={"comment": comment})
    _tell(item.org_id, item, TEXTS["return"].format(title=item.title), comment,
          [Role.SCHOOL_PRINCIPAL, Role.SCHOOL_CURATOR])
    return item


def withdraw_practice(acting: Membership, item: LibraryItem) -> LibraryItem:
    """The reviewer takes an approved practice out of the region's library."""
    if not can_review(acting, item):
        raise LibraryError("not_allowed")
    return withdraw_item(acting, item, by_reviewer=True)


def can_set_public(acting: Membership, item: LibraryItem, public: bool) -> bool:
    """A body decides for its own items; a school's practice goes on the public pages by its
    reviewer's decision (the school asks when submitting), and the school may always take it off."""
    if acting.org_id == item.org_id and acting.role_enum in EDITOR_ROLES:
        return not is_school(acting.org) or not public
    return can_review(acting, item)


def set_public(acting: Membership, item: LibraryItem, public: bool) -> LibraryItem:
    """Offer the item for the public pages (shown there while it is published), or take it off."""
    if not can_set_public(acting, item, public):
        raise LibraryError("not_allowed")
    if item.public_requested != public:
        item.public_requested = public
        sync_public(item)
        db.session.flush()
        audit.record("library.public_changed", org=acting.org, obj=item,
                     details={"requested": public, "is_public": item.is_public})
    return item


def _tell(org_id: int, item: LibraryItem, text: str, comment: str | None, roles: list[Role]) -> None:
    """Notify ``org_id`` in the app and mail its members with ``roles``."""
    link_path = f"/library/items/{item.id}"
    notify(org_id, item.org_id, NOTIFICATION_KIND, text, link=link_path)
    lines = ["Здравствуйте!", "", text + "."]
    if comment:
        lines += ["", "Комментарий:", comment]
    lines += ["", "Материал в системе «Наставник»:", external_url("library.show", item_id=item.id), "", SIGNATURE]
    body = "\n".join(lines)
    for member in active_members([org_id], roles).get(org_id, []):
        queue_mail(member.email, "Наставник: " + text, body)
