"""The keeper's side of the expert bank: adding and editing experts, their consents, their
accounts, and erasure when the consent to processing is withdrawn.

Only the ministry and municipal bodies keep a bank; only their managing roles change it (the
analyst reads). Every change is audited; nothing is committed here (the caller commits).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import Conflict, DomainError
from core.extensions import db
from core.model import utcnow
from mentorship.experts.catalogue import AREAS, KINDS, join_codes
from mentorship.experts.directory import expert_user_ids, is_keeper_kind
from mentorship.experts.models import Expert, ExpertRequest
from tenants import audit
from tenants.accounts import find_user_by_email, normalise_email
from tenants.memberships import AlreadyMember, issue_invitation
from tenants.models import Invitation, Membership, Organization, User
from tenants.roles import OrgKind, Role

# Who manages a bank (the ministry's analyst and the experts themselves only read it).
KEEPER_ROLES = frozenset({Role.MINISTRY_ADMIN, Role.MUNICIPAL_COORDINATOR, Role.MUNICIPAL_SPECIALIST})
ERASED_NAME = "Эксперт (персональные данные удалены)"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class ExpertError(DomainError):
    """An expert cannot be saved or changed; each problem names its field."""

    MESSAGES = {
        "not_allowed": _l("Only the ministry or a municipal body manages its expert bank."),
        "name_required": _l("Enter the expert's full name."),
        "name_too_long": _l("The name is longer than 300 characters."),
        "kind": _l("Choose who the expert is."),
        "areas_required": _l("Choose at least one area of expertise."),
        "too_long": _l("The text is too long."),
        "contact_required": _l("Give an e-mail address or a phone number."),
        "bad_email": _l("This is not an e-mail address."),
        "consent_required": _l("The expert's consent to the processing of personal data is required."),
        "future_date": _l("The date cannot be in the future."),
        "municipality": _l("Choose a municipal body of the region."),
        "account": _l("Choose one of the organisation's members with the role of expert."),
        "account_taken": _l("This account is already linked to another expert."),
        "email_required_for_account": _l("Give the expert's e-mail address first: the invitation is sent there."),
    }


class ExpertStateError(ExpertError, Conflict):
    """The expert's state does not allow the change."""

    MESSAGES = {
        "erased": _l("The expert's personal data have been erased; nothing can be changed."),
        "already_shown": _l("The expert's consent to be shown is already recorded."),
        "not_shown": _l("The expert has not consented to be shown; there is nothing to withdraw."),
        "already_linked": _l("The expert already has an account."),
    }


@dataclass
class ExpertData:
    """What the keeper enters about an expert."""

    full_name: str
    kind: str
    areas: list[str] = field(default_factory=list)
    position: str | None = None
    workplace: str | None = None
    municipality_id: int | None = None
    tags: str | None = None
    email: str | None = None
    phone: str | None = None
    availability: str | None = None
    processing_consent_on: date | None = None
    display_consent: bool = False
    display_consent_on: date | None = None
    user_id: int | None = None


def can_manage(acting: Membership) -> bool:
    """Whether ``acting`` manages its organisation's expert bank."""
    return is_keeper_kind(acting.org) and acting.role_enum in KEEPER_ROLES


def _require_manager(acting: Membership) -> None:
    if not can_manage(acting):
        raise ExpertError("not_allowed")


def _text(value: str | None) -> str | None:
    return " ".join((value or "").split()) or None


def _problems(data: ExpertData, keeper: Organization, today: date, *, creating: bool) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    name = _text(data.full_name)
    if not name:
        problems.append(("full_name", "name_required"))
    elif len(name) > 300:
        problems.append(("full_name", "name_too_long"))
    if data.kind not in KINDS:
        problems.append(("kind", "kind"))
    if not [a for a in data.areas or () if a in AREAS]:
        problems.append(("areas", "areas_required"))
    for name_, limit in (("position", 200), ("workplace", 300), ("tags", 300), ("phone", 40), ("email", 254),
                         ("availability", 2000)):
        if len(getattr(data, name_) or "") > limit:
            problems.append((name_, "too_long"))
    email = (data.email or "").strip()
    if email and not _EMAIL.fullmatch(email):
        problems.append(("email", "bad_email"))
    if not email and not (data.phone or "").strip():
        problems.append(("email", "contact_required"))
    if creating:
        if data.processing_consent_on is None:
            problems.append(("processing_consent_on", "consent_required"))
        elif data.processing_consent_on > today:
            problems.append(("processing_consent_on", "future_date"))
        if data.display_consent and data.display_consent_on and data.display_consent_on > today:
            problems.append(("display_consent_on", "future_date"))
    if data.municipality_id and keeper.kind == OrgKind.MINISTRY.value:
        municipal = db.session.scalar(sa.select(Organization.id).where(
            Organization.id == data.municipality_id, Organization.parent_id == keeper.id))
        if municipal is None:
            problems.append(("municipality_id", "municipality"))
    return problems


def _check_account(expert: Expert | None, keeper: Organization, user_id: int | None) -> None:
    if not user_id:
        return
    if user_id not in expert_user_ids(keeper):
        raise ExpertError("account", field="user_id")
    taken = db.session.scalar(sa.select(Expert.id).where(
        Expert.org_id == keeper.id, Expert.user_id == user_id, Expert.id != (expert.id if expert else -1)))
    if taken is not None:
        raise ExpertError("account_taken", field="user_id")


def _apply(expert: Expert, data: ExpertData, keeper: Organization) -> None:
    expert.full_name = _text(data.full_name)
    expert.kind = data.kind
    expert.areas = join_codes(data.areas)
    expert.position = _text(data.position)
    expert.workplace = _text(data.workplace)
    expert.tags = _text(data.tags)
    expert.email = normalise_email(data.email) if (data.email or "").strip() else None
    expert.phone = _text(data.phone)
    expert.availability = (data.availability or "").strip() or None
    if keeper.kind == OrgKind.MUNICIPALITY.value:
        expert.municipality_id = keeper.id  # a municipal body's experts work in its municipality
    else:
        expert.municipality_id = data.municipality_id or None
    expert.user_id = data.user_id or None


def create_expert(acting: Membership, data: ExpertData, today: date) -> Expert:
    """Add an expert to the acting body's bank (with the consent to processing)."""
    _require_manager(acting)
    keeper = acting.org
    problems = _problems(data, keeper, today, creating=True)
    if problems:
        raise ExpertError(problems)
    _check_account(None, keeper, data.user_id)
    expert = Expert(org_id=keeper.id, processing_consent_on=data.processing_consent_on)
    _apply(expert, data, keeper)
    if data.display_consent:
        expert.display_consent = True
        expert.display_consent_on = data.display_consent_on or today
    db.session.add(expert)
    db.session.flush()
    audit.record("expert.created", org=keeper, obj=expert,
                 details={"kind": expert.kind, "areas": expert.areas, "shown": expert.display_consent})
    return expert


def update_expert(acting: Membership, expert: Expert, data: ExpertData, today: date) -> Expert:
    """Change an expert of the acting body's bank (the consents change by their own actions)."""
    _require_manager(acting)
    _require_not_erased(expert)
    keeper = acting.org
    problems = _problems(data, keeper, today, creating=False)
    if problems:
        raise ExpertError(problems)
    _check_account(expert, keeper, data.user_id)
    before = _snapshot(expert)
    _apply(expert, data, keeper)
    changed = sorted(k for k, v in _snapshot(expert).items() if before[k] != v)
    db.session.flush()
    if changed:
        audit.record("expert.updated", org=keeper, obj=expert, details={"fields": changed})
    return expert


_SNAPSHOT_FIELDS = ("full_name", "kind", "areas", "position", "workplace", "tags", "email", "phone", "availability",
                    "municipality_id", "user_id")


def _snapshot(expert: Expert) -> dict:
    return {name: getattr(expert, name) for name in _SNAPSHOT_FIELDS}


def _require_not_erased(expert: Expert) -> None:
    if expert.erased_at is not None:
        raise ExpertStateError("erased")


def give_display_consent(acting: Membership, expert: Expert, given_on: date, today: date) -> Expert:
    """Record the expert's consent to be shown to the region's users."""
    _require_manager(acting)
    _require_not_erased(expert)
    if expert.display_consent:
        raise ExpertStateError("already_shown")
    if given_on > today:
        raise ExpertError("future_date", field="given_on")
    expert.display_consent = True
    expert.display_consent_on = given_on
    expert.display_withdrawn_on = None
    db.session.flush()
    audit.record("expert.display_consent_given", org=acting.org, obj=expert, details={"on": given_on.isoformat()})
    return expert


def withdraw_display_consent(acting: Membership, expert: Expert, withdrawn_on: date) -> Expert:
    """The expert no longer wants to be shown: hidden from everyone but the keeper at once."""
    _require_manager(acting)
    _require_not_erased(expert)
    if not expert.display_consent:
        raise ExpertStateError("not_shown")
    expert.display_consent = False
    expert.display_withdrawn_on = withdrawn_on
    db.session.flush()
    audit.record("expert.display_consent_withdrawn", org=acting.org, obj=expert,
                 details={"on": withdrawn_on.isoformat()})
    return expert


def set_active(acting: Membership, expert: Expert, active: bool) -> Expert:
    """Take the expert out of the bank (archived: hidden, kept) or bring them back."""
    _require_manager(acting)
    _require_not_erased(expert)
    if expert.is_active != active:
        expert.is_active = active
        db.session.flush()
        audit.record("expert.restored" if active else "expert.archived", org=acting.org, obj=expert)
    return expert


def erase_expert(acting: Membership, expert: Expert, withdrawn_on: date) -> Expert:
    """The consent to processing is withdrawn: the expert's personal data are erased (name,
    position, workplace, contacts, account link); the row stays as a stub so that past
    requests keep their history. Open requests to the expert stay with the keeper, who can
    still answer them (the expert's account can no longer)."""
    _require_manager(acting)
    _require_not_erased(expert)
    expert.full_name = ERASED_NAME
    expert.position = expert.workplace = expert.tags = expert.email = expert.phone = expert.availability = None
    expert.display_consent = False
    expert.display_withdrawn_on = expert.display_withdrawn_on or withdrawn_on
    expert.user_id = None
    expert.is_active = False
    expert.erased_at = utcnow()
    open_requests = db.session.scalars(sa.select(ExpertRequest).where(
        ExpertRequest.expert_id == expert.id, ExpertRequest.status.in_(("new", "accepted")))).all()
    db.session.flush()
    audit.record("expert.erased", org=acting.org, obj=expert,
                 details={"on": withdrawn_on.isoformat(), "open_requests": len(open_requests)})
    return expert


def invite_account(acting: Membership, expert: Expert, inviter: User) -> Invitation | None:
    """Give the expert an account: an invitation to the role ``expert`` in the keeper's
    organisation, sent to the expert's e-mail. A person already holding that role there is
    linked at once (returns None)."""
    _require_manager(acting)
    _require_not_erased(expert)
    if expert.user_id is not None:
        raise ExpertStateError("already_linked")
    if not expert.email:
        raise ExpertError("email_required_for_account", field="email")
    keeper = acting.org
    existing = find_user_by_email(expert.email)
    if existing is not None and existing.id in expert_user_ids(keeper):
        _check_account(expert, keeper, existing.id)
        link_account(expert, existing, keeper)
        return None
    try:
        invitation = issue_invitation(org=keeper, email=expert.email, role=Role.EXPERT, full_name=expert.full_name,
                                      inviter=inviter)
    except AlreadyMember:
        raise ExpertError("account", field="email") from None  # a member in another role
    expert.invited_at = utcnow()
    db.session.flush()
    audit.record("expert.invited", org=keeper, obj=expert, details={"invitation_id": invitation.id})
    return invitation


def link_account(expert: Expert, user: User, keeper: Organization) -> Expert:
    """Link the expert to the account of ``user`` (who holds the role ``expert`` in ``keeper``)."""
    expert.user_id = user.id
    db.session.flush()
    audit.record("expert.account_linked", org=keeper, obj=expert, user=user, details={"user_id": user.id})
    return expert


def link_invited_account(user: User, keeper: Organization) -> Expert | None:
    """An expert who accepted the invitation signs in: their expert record (invited, same
    e-mail, no account yet) is linked to them. Returns the linked expert, if any."""
    if user.id not in expert_user_ids(keeper):
        return None
    expert = db.session.scalar(sa.select(Expert).where(
        Expert.org_id == keeper.id, Expert.user_id.is_(None), Expert.erased_at.is_(None),
        Expert.invited_at.is_not(None), Expert.email == normalise_email(user.email),
    ).order_by(Expert.id).limit(1))
    if expert is None:
        return None
    return link_account(expert, user, keeper)


def account_choices(keeper: Organization) -> list[tuple[int, str]]:
    """(user id, label) of the keeper's members holding the role ``expert``."""
    ids = expert_user_ids(keeper)
    if not ids:
        return []
    rows = db.session.execute(sa.select(User.id, User.full_name, User.email).where(User.id.in_(ids))
                              .order_by(User.full_name, User.id)).all()
    return [(row.id, f"{row.full_name} <{row.email}>") for row in rows]
