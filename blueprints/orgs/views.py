"""Organisation pages for every level: home with children, members, invitations, audit."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.orgs import bp
from blueprints.orgs.forms import InviteForm, OrganizationForm, RoleForm
from blueprints.orgs.invitations import send_invitation
from blueprints.pagination import paginate, search_term
from core.extensions import db
from mentorship.pairing.pair_queries import school_summary
from tenants import audit, directory
from tenants.access import current_membership, get_or_404, membership_required
from tenants.audit_objects import actions_matching, describe_objects
from tenants.memberships import (
    MembershipError,
    MembershipNotAllowed,
    can_manage_members,
    change_role,
    create_invitation,
    invitable_roles,
    revoke_invitation,
    set_membership_active,
)
from tenants.models import Invitation, Membership, Organization
from tenants.roles import (
    ADMIN_ROLES,
    CHILD_KIND,
    KIND_LABELS,
    ROLE_LABELS,
    ROLES_BY_KIND,
    SCHOOL_TYPE_LABELS,
    OrgKind,
    Role,
    SchoolType,
)
from tenants.tree import create_child_organization


@bp.app_context_processor
def _labels():
    return {"AUDIT_ACTION_LABELS": audit.ACTION_LABELS, "KIND_LABELS": KIND_LABELS, "ROLE_LABELS": ROLE_LABELS,
            "SCHOOL_TYPE_LABELS": SCHOOL_TYPE_LABELS,
            "OrgKind": OrgKind, "Role": Role}


@bp.app_template_filter("school_type")
def _school_type(value: str) -> SchoolType:
    return SchoolType(value)


def _can_create_child(org: Organization) -> bool:
    membership = current_membership()
    return (
        membership.org_id == org.id
        and membership.role_enum in ADMIN_ROLES
        and CHILD_KIND[OrgKind(org.kind)] is not None
    )


@bp.route("/<int:org_id>/")
@membership_required
def home(org_id: int):
    org = get_or_404(Organization, org_id)
    search = search_term()
    children = paginate(directory.children_of(org, search)) if CHILD_KIND[OrgKind(org.kind)] else None
    counts = directory.child_counts([c.id for c in children.items]) if children else {}
    # The school's own people and pairs (owner-only): counted for the school itself, not its ancestors.
    own_school = org.kind == OrgKind.SCHOOL and current_membership().org_id == org.id
    return render_template(
        "orgs/home.html", org=org, children=children, child_counts=counts, search=search,
        can_create_child=_can_create_child(org), child_kind=CHILD_KIND[OrgKind(org.kind)],
        can_manage=can_manage_members(current_membership(), org),
        summary=school_summary(org.id) if own_school else None,
    )


@bp.route("/<int:org_id>/children/new", methods=["GET", "POST"])
@membership_required
def new_child(org_id: int):
    org = get_or_404(Organization, org_id)
    if not _can_create_child(org):
        abort(403)
    child_kind = CHILD_KIND[OrgKind(org.kind)]
    form = OrganizationForm(with_school_type=child_kind == OrgKind.SCHOOL)
    if form.validate_on_submit():
        child = create_child_organization(
            parent=org, kind=child_kind, name=form.name.data, user=current_user,
            short_name=form.short_name.data or None, inn=form.inn.data or None, email=form.email.data or None,
            school_type=form.school_type.data if child_kind == OrgKind.SCHOOL else None,
        )
        db.session.commit()
        flash(_("“%(name)s” has been created. Now invite its administrator.", name=child.display_name), "success")
        return redirect(url_for("orgs.invite", org_id=child.id))
    return render_template("orgs/new_child.html", org=org, form=form, child_kind=child_kind)


@bp.route("/<int:org_id>/members")
@membership_required
def members(org_id: int):
    org = get_or_404(Organization, org_id)
    search = search_term()
    page = paginate(directory.members_of(org, search))
    invitations = db.session.scalars(directory.pending_invitations(org)).all()
    return render_template(
        "orgs/members.html", org=org, page=page, search=search, invitations=invitations,
        can_manage=can_manage_members(current_membership(), org),
        can_invite=bool(invitable_roles(current_membership(), org)), toggle_form=ConfirmForm(),
        org_roles=ROLES_BY_KIND[OrgKind(org.kind)],
    )


@bp.route("/<int:org_id>/members/invite", methods=["GET", "POST"])
@membership_required
def invite(org_id: int):
    org = get_or_404(Organization, org_id)
    roles = invitable_roles(current_membership(), org)
    if not roles:
        abort(403)
    form = InviteForm(roles=roles)
    if form.validate_on_submit():
        try:
            invitation = create_invitation(
                acting=current_membership(), org=org, email=form.email.data, role=Role(form.role.data),
                full_name=form.full_name.data or None, inviter=current_user,
            )
        except MembershipError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            send_invitation(invitation, org)
            db.session.commit()
            flash(_("An invitation has been sent to %(email)s.", email=invitation.email), "success")
            return redirect(url_for("orgs.members", org_id=org.id))
    return render_template("orgs/invite.html", org=org, form=form)


@bp.route("/<int:org_id>/members/<int:membership_id>/active", methods=["POST"])
@membership_required
def toggle_member(org_id: int, membership_id: int):
    org = get_or_404(Organization, org_id)
    membership = _member_of(org, membership_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        set_membership_active(current_membership(), membership, not membership.is_active)
    except MembershipNotAllowed:
        raise  # a 403 page
    except MembershipError as error:
        db.session.rollback()
        flash_error(error)
    return redirect(url_for("orgs.members", org_id=org.id))


def _member_of(org: Organization, membership_id: int) -> Membership:
    membership = get_or_404(Membership, membership_id)
    if membership.org_id != org.id:
        abort(404)
    return membership


@bp.route("/<int:org_id>/members/<int:membership_id>/role", methods=["POST"])
@membership_required
def member_role(org_id: int, membership_id: int):
    org = get_or_404(Organization, org_id)
    membership = _member_of(org, membership_id)
    form = RoleForm(roles=ROLES_BY_KIND[OrgKind(org.kind)])
    if not form.validate_on_submit():
        flash(_("Choose a role from the list."), "danger")
        return redirect(url_for("orgs.members", org_id=org.id))
    try:
        change_role(current_membership(), membership, Role(form.role.data))
    except MembershipNotAllowed:
        raise  # a 403 page
    except MembershipError as error:
        db.session.rollback()
        flash_error(error)
    else:
        flash(_("The role has been changed."), "success")
    return redirect(url_for("orgs.members", org_id=org.id))


@bp.route("/<int:org_id>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@membership_required
def revoke(org_id: int, invitation_id: int):
    org = get_or_404(Organization, org_id)
    invitation = get_or_404(Invitation, invitation_id)
    if invitation.org_id != org.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        revoke_invitation(current_membership(), invitation)
    except MembershipNotAllowed:
        raise  # a 403 page
    except MembershipError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        flash(_("The invitation has been revoked: its link no longer works."), "success")
    return redirect(url_for("orgs.members", org_id=org.id))


@bp.route("/<int:org_id>/audit")
@membership_required
def audit_log(org_id: int):
    org = get_or_404(Organization, org_id)
    if current_membership().role_enum not in ADMIN_ROLES:
        abort(403)
    search = search_term()
    actions = actions_matching(search, audit.ACTION_LABELS) if search else None
    page = paginate(audit.events_for(org, search=search, actions=actions))
    return render_template("orgs/audit.html", org=org, page=page, search=search,
                           objects=describe_objects(page.items))
