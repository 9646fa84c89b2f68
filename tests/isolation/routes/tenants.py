"""Isolation registry: an organisation's pages (home, members, invitations, audit, children) and
switching memberships."""
from tests.isolation.registry import M, ProtectedRoute, S

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
]
