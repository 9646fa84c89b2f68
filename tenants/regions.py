"""Regions: the super-admin creates a region's ministry and invites its administrator."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import Conflict
from core.extensions import db
from tenants import audit
from tenants.context import SystemScope, current_scope
from tenants.memberships import issue_invitation
from tenants.models import Invitation, Organization, User
from tenants.roles import OrgKind, Role
from tenants.tree import create_organization


class RegionExists(Conflict):
    """A region of that name exists already."""

    MESSAGES = {"region_exists": _l("This region already exists.")}


def create_region(
    *, region_name: str, name: str, short_name: str | None, admin_email: str, admin_name: str | None, superadmin: User
) -> tuple[Organization, Invitation]:
    """Create the ministry (the region's root) and an invitation for its first administrator."""
    if not isinstance(current_scope(), SystemScope):
        raise PermissionError("regions are created by the super-admin only")
    duplicate = db.session.scalar(
        sa.select(Organization.id).where(
            Organization.parent_id.is_(None), sa.func.lower(Organization.region_name) == region_name.lower()
        )
    )
    if duplicate is not None:
        raise RegionExists("region_exists", field="region_name", region=region_name)
    ministry = create_organization(
        kind=OrgKind.MINISTRY, name=name, short_name=short_name, parent=None, region_name=region_name
    )
    audit.record("region.created", org=ministry, obj=ministry, user=superadmin, details={"region": region_name})
    invitation = issue_invitation(
        org=ministry, email=admin_email, role=Role.MINISTRY_ADMIN, full_name=admin_name, inviter=superadmin
    )
    return ministry, invitation
