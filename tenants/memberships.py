"""Memberships and invitations: who holds which role where, and how they get it."""
from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import Conflict, DomainError
from core.extensions import db
from core.model import utcnow
from tenants import audit
from tenants.accounts import find_user_by_email, normalise_email, set_password
from tenants.context import unscoped
from tenants.models import Invitation, Membership, Organization, User
from tenants.roles import ADMIN_ROLE, ADMIN_ROLES, CHILD_KIND, ROLES_BY_KIND, OrgKind, Role
from tenants.tokens import TokenError, make_token, read_token

INVITATION_PURPOSE = "invitation"


class MembershipError(DomainError):
    """The change is not allowed; the message is shown to the user."""

    MESSAGES = {
        "role_not_allowed": _l("You cannot invite to this role."),
        "already_member": _l("This person is already a member of the organisation."),
        "login_required": _l("Sign in as %(email)s to accept the invitation."),
        "password_required": _l("This field is required."),
        "wrong_user": _l("This invitation is for %(email)s, but you are signed in as %(current)s. Sign out, then "
                         "open the link again and sign in as %(email)s."),
        "not_allowed": _l("You do not have access to this page."),
        "cannot_disable_self": _l("You cannot disable your own membership."),
        "not_pending": _l("The invitation is no longer pending."),
        "cannot_change_self": _l("You cannot change your own role."),
    }


class MembershipNotAllowed(MembershipError):
    """The acting member may not manage that organisation's members (a 403)."""

    status = 403


class AlreadyMember(MembershipError, Conflict):
    """The person already holds a membership of the organisation."""


def memberships_of(user: User) -> list[Membership]:
    """All active memberships of a user, across organisations (for the switcher).

    Loaded in a separate, short session and returned detached: the request's session must
    never hold organisations outside the tenant it acts for.
    """
    with unscoped("auth.memberships_of_signed_in_user"), Session(db.engine) as side:
        return list(
            side.scalars(
                sa.select(Membership)
                .where(Membership.user_id == user.id, Membership.is_active.is_(True))
                .join(Membership.org)
                .where(Organization.is_active.is_(True))
                .order_by(Organization.path)
            )
        )


def invitable_roles(acting: Membership, target: Organization) -> list[Role]:
    """Roles ``acting`` may invite people to in ``target`` (target already in scope)."""
    if acting.role_enum not in ADMIN_ROLES:
        return []
    kind = OrgKind(target.kind)
    if target.id == acting.org_id:
        return list(ROLES_BY_KIND[kind])
    if target.parent_id == acting.org_id and CHILD_KIND[OrgKind(acting.org.kind)] == kind:
        return [ADMIN_ROLE[kind]]
    return []


def can_manage_members(acting: Membership, target: Organization) -> bool:
    return acting.role_enum in ADMIN_ROLES and (
        target.id == acting.org_id or target.parent_id == acting.org_id
    )


def invitation_token(invitation: Invitation) -> str:
    return make_token(INVITATION_PURPOSE, {"id": invitation.id, "n": invitation.nonce})


def create_invitation(
    *, acting: Membership, org: Organization, email: str, role: Role, full_name: str | None, inviter: User
) -> Invitation:
    """Invite on behalf of ``acting``, who must be allowed to grant ``role`` in ``org``."""
    if role not in invitable_roles(acting, org):
        raise MembershipError("role_not_allowed", field="role")
    return issue_invitation(org=org, email=email, role=role, full_name=full_name, inviter=inviter)


def issue_invitation(
    *, org: Organization, email: str, role: Role, full_name: str | None, inviter: User
) -> Invitation:
    """Create the invitation row; the caller has checked the inviter's authority."""
    email = normalise_email(email)
    existing = find_user_by_email(email)
    if existing is not None:
        already = db.session.scalar(
            sa.select(Membership).where(Membership.user_id == existing.id, Membership.org_id == org.id)
        )
        if already is not None:
            raise AlreadyMember("already_member", field="email")
    _revoke_pending(org.id, email)  # a re-sent invitation replaces the previous link
    invitation = Invitation(
        org_id=org.id,
        email=email,
        full_name=full_name,
        role=role.value,
        nonce=secrets.token_urlsafe(24),
        invited_by_id=inviter.id,
        expires_at=utcnow() + timedelta(seconds=current_app.config["INVITATION_MAX_AGE"]),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record("invitation.created", org=org, obj=invitation, user=inviter,
                 details={"email": email, "role": role.value})
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The pending invitation a link stands for; TokenError if tampered, expired or spent."""
    payload = read_token(INVITATION_PURPOSE, token, current_app.config["INVITATION_MAX_AGE"])
    # The invitee has no tenant yet: the signed token names the one row to read.
    with unscoped("auth.invitation_link"):
        invitation = db.session.get(Invitation, payload.get("id"))
        if invitation is None or not secrets.compare_digest(invitation.nonce, str(payload.get("n"))):
            raise TokenError("invalid")
        status = invitation.status
        org = invitation.org
    if status == "accepted":
        raise TokenError("used")
    if status != "pending" or not org.is_active:
        raise TokenError("expired")
    return invitation


def accept_invitation(token: str, *, password: str | None, full_name: str | None, user: User | None) -> int:
    """Turn an invitation into a new membership (see ``_accept``); a concurrent acceptance
    that committed first (the unique e-mail or membership) makes this one a used link."""
    try:
        return _accept(token, password=password, full_name=full_name, user=user)
    except IntegrityError:
        db.session.rollback()
        raise TokenError("used") from None


def _accept(token: str, *, password: str | None, full_name: str | None, user: User | None) -> int:
    """Turn an invitation into a new membership; a new user sets their password here.

    Returns the membership's id. An existing membership is never changed by a link: a
    disabled member stays disabled, a changed role stays changed (MembershipError).
    """
    invitation = invitation_for_token(token)
    with unscoped("auth.accept_invitation"):
        if user is None:
            if find_user_by_email(invitation.email) is not None:
                raise MembershipError("login_required", email=invitation.email)
            if not password:
                raise MembershipError("password_required", field="password")
            user = User(email=invitation.email, full_name=full_name or invitation.full_name or invitation.email)
            set_password(user, password)
            db.session.add(user)
            db.session.flush()
        elif normalise_email(user.email) != invitation.email:
            raise MembershipError("wrong_user", email=invitation.email, current=user.email)
        existing = db.session.scalar(
            sa.select(Membership.id).where(Membership.user_id == user.id, Membership.org_id == invitation.org_id)
        )
        if existing is not None:
            raise AlreadyMember("already_member")
        membership = Membership(user_id=user.id, org_id=invitation.org_id, role=invitation.role)
        db.session.add(membership)
        invitation.accepted_at = utcnow()
        _revoke_pending(invitation.org_id, invitation.email, keep=invitation.id)
        db.session.flush()
        audit.record(
            "membership.created", org=invitation.org, obj=membership, user=user,
            details={"role": invitation.role, "via": "invitation", "invitation_id": invitation.id},
        )
        membership_id = membership.id
        db.session.commit()
    return membership_id


def _revoke_pending(org_id: int, email: str, keep: int | None = None) -> None:
    """Withdraw the pending invitations of ``email`` to ``org_id`` (but ``keep``)."""
    stmt = sa.select(Invitation).where(
        Invitation.org_id == org_id, Invitation.email == normalise_email(email),
        Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
    )
    for pending in db.session.scalars(stmt):
        if pending.id != keep:
            pending.revoked_at = utcnow()


def set_membership_active(acting: Membership, membership: Membership, active: bool) -> None:
    if not can_manage_members(acting, membership.org):
        raise MembershipNotAllowed("not_allowed")
    if membership.id == acting.id:
        raise MembershipError("cannot_disable_self")
    membership.is_active = active
    if not active:
        _revoke_pending(membership.org_id, membership.user.email)
    audit.record(
        "membership.enabled" if active else "membership.disabled",
        org=membership.org, obj=membership, details={"user_id": membership.user_id},
    )
    db.session.commit()


def grant_membership(user: User, org: Organization, role: Role) -> Membership:
    """Direct grant (demo data, super-admin tooling); callers hold the right scope."""
    membership = db.session.scalar(
        sa.select(Membership).where(Membership.user_id == user.id, Membership.org_id == org.id)
    )
    if membership is None:
        membership = Membership(user_id=user.id, org_id=org.id, role=role.value)
        db.session.add(membership)
        db.session.flush()
        audit.record("membership.created", org=org, obj=membership, details={"role": role.value, "via": "grant"})
    return membership


def revoke_invitation(acting: Membership, invitation: Invitation) -> None:
    """Withdraw a pending invitation: its link stops working."""
    if not can_manage_members(acting, invitation.org):
        raise MembershipNotAllowed("not_allowed")
    if invitation.status != "pending":
        raise MembershipError("not_pending")
    invitation.revoked_at = utcnow()
    audit.record("invitation.revoked", org=invitation.org, obj=invitation, details={"email": invitation.email})
    db.session.commit()


def change_role(acting: Membership, membership: Membership, role: Role) -> None:
    """Give a member another role of the same organisation kind (never one's own)."""
    if not can_manage_members(acting, membership.org):
        raise MembershipNotAllowed("not_allowed")
    if membership.id == acting.id:
        raise MembershipError("cannot_change_self")
    if role not in ROLES_BY_KIND[OrgKind(membership.org.kind)]:
        raise MembershipError("role_not_allowed", field="role")
    if membership.role == role.value:
        return
    previous = membership.role
    membership.role = role.value
    _revoke_pending(membership.org_id, membership.user.email)
    audit.record(
        "membership.role_changed", org=membership.org, obj=membership,
        details={"user_id": membership.user_id, "from": previous, "to": role.value},
    )
    db.session.commit()
