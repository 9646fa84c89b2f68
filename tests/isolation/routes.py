"""The registry of routes that take an id, for the HTTP isolation suite.

Every URL rule with a path argument must be listed here (or in EXEMPT with the reason):
``test_every_id_route_is_registered`` fails otherwise, so a new route cannot slip past
the suite. To add a route: one ``ProtectedRoute`` naming how to build its URL from the
tenant tree and the objects of ``make_objects``, and which organisation owns it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sqlalchemy as sa

from core.extensions import db
from tenants.context import unscoped
from tenants.memberships import issue_invitation
from tenants.models import Membership, Organization, User
from tenants.roles import Role
from tests.support.models import PrivateNote, SharedDoc


@dataclass(frozen=True)
class ProtectedRoute:
    endpoint: str
    method: str
    url: Callable[[object, dict], str]
    owner: str  # tree key of the owning organisation
    owner_only: bool = False  # personal data: ancestors are outsiders too
    form: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.endpoint}:{self.method}"


def make_objects(tree) -> dict:
    """Objects the routes point at, all owned inside school r1m1s1 or municipal body r1m1."""
    with unscoped("tests.isolation.objects"):
        doc = SharedDoc(org_id=tree.ids["r1m1s1"], title="shared")
        note = PrivateNote(org_id=tree.ids["r1m1s1"], text="private")
        db.session.add_all([doc, note])
        db.session.flush()
        curator_membership = db.session.scalar(
            sa.select(Membership.id).where(
                Membership.org_id == tree.ids["r1m1s1"], Membership.role == "school_curator"
            )
        )
        invitation = issue_invitation(
            org=db.session.get(Organization, tree.ids["r1m1s1"]), email="pending@test.ru",
            role=Role.SCHOOL_CURATOR, full_name=None, inviter=db.session.get(User, tree.users["r1m1s1.admin"].id),
        )
        db.session.commit()
        return {"doc": doc.id, "note": note.id, "curator_membership": curator_membership,
                "invitation": invitation.id}


S = "r1m1s1"  # the school that owns the objects
M = "r1m1"  # its municipal body

ROUTES: list[ProtectedRoute] = [
    ProtectedRoute("orgs.home", "GET", lambda t, o: f"/org/{t.ids[S]}/", S),
    ProtectedRoute("orgs.members", "GET", lambda t, o: f"/org/{t.ids[S]}/members", S),
    ProtectedRoute("orgs.audit_log", "GET", lambda t, o: f"/org/{t.ids[S]}/audit", S),
    ProtectedRoute("orgs.invite", "GET", lambda t, o: f"/org/{t.ids[S]}/members/invite", S),
    ProtectedRoute(
        "orgs.invite", "POST", lambda t, o: f"/org/{t.ids[S]}/members/invite", S,
        form={"email": "new@test.ru", "role": "school_curator"},
    ),
    ProtectedRoute(
        "orgs.toggle_member", "POST",
        lambda t, o: f"/org/{t.ids[S]}/members/{o['curator_membership']}/active", S,
    ),
    ProtectedRoute(
        "orgs.member_role", "POST",
        lambda t, o: f"/org/{t.ids[S]}/members/{o['curator_membership']}/role", S,
        form={"role": "school_principal"},
    ),
    ProtectedRoute(
        "orgs.revoke", "POST", lambda t, o: f"/org/{t.ids[S]}/invitations/{o['invitation']}/revoke", S,
    ),
    ProtectedRoute("orgs.new_child", "GET", lambda t, o: f"/org/{t.ids[M]}/children/new", M),
    ProtectedRoute(
        "orgs.new_child", "POST", lambda t, o: f"/org/{t.ids[M]}/children/new", M,
        form={"name": "Школа-нарушитель", "school_type": "school"},
    ),
    ProtectedRoute(
        "auth.switch", "POST", lambda t, o: f"/auth/switch/{o['curator_membership']}", S, owner_only=True
    ),
    # Test-only routes over the test models: one shared-upward, one owner-only.
    ProtectedRoute("testdata.shared_doc", "GET", lambda t, o: f"/test/shared/{o['doc']}", S),
    ProtectedRoute("testdata.rename_shared_doc", "POST", lambda t, o: f"/test/shared/{o['doc']}/rename", S),
    ProtectedRoute("testdata.private_note", "GET", lambda t, o: f"/test/private/{o['note']}", S, owner_only=True),
    ProtectedRoute(
        "testdata.edit_private_note", "POST", lambda t, o: f"/test/private/{o['note']}/edit", S, owner_only=True
    ),
]

# Rules with path arguments that are not object ids, and why.
EXEMPT = {
    "static": "static files",
    "auth.reset_password_view": "signed token, tested in tests/web/test_auth.py",
    "auth.invitation": "signed token, tested in tests/web/test_auth.py",
    "auth.language": "language code, not an object",
}
