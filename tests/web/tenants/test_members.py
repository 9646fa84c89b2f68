"""Organisation admins manage members: roles, invitations revoked; the level above may too."""
from __future__ import annotations

import sqlalchemy as sa

from core.extensions import db
from tenants.context import unscoped
from tenants.memberships import invitation_token, issue_invitation
from tenants.models import AuditEvent, Invitation, Membership, Organization, User
from tenants.roles import Role
from tests.conftest import csrf_token_from


def _membership(app, email, org_id):
    with app.app_context(), unscoped("test"):
        return db.session.scalar(
            sa.select(Membership).join(User, User.id == Membership.user_id)
            .where(User.email == email, Membership.org_id == org_id)
        )


def _post(client, url, data=None):
    token = csrf_token_from(client.get("/", follow_redirects=True))
    return client.post(url, data={**(data or {}), "csrf_token": token})


def test_principal_changes_a_members_role(app, tree, login):
    school = tree.ids["r1m1s1"]
    curator = _membership(app, tree.emails["r1m1s1.staff"], school)
    client = app.test_client()
    login(client, tree.emails["r1m1s1.admin"])
    response = _post(client, f"/org/{school}/members/{curator.id}/role", {"role": "school_principal"})
    assert response.status_code == 302
    assert _membership(app, tree.emails["r1m1s1.staff"], school).role == "school_principal"
    with app.app_context(), unscoped("test"):
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "membership.role_changed"))
        assert event.details == {"user_id": curator.user_id, "from": "school_curator", "to": "school_principal"}
    # a role of another level is not a choice; one's own role cannot be changed
    _post(client, f"/org/{school}/members/{curator.id}/role", {"role": "ministry_admin"})
    assert _membership(app, tree.emails["r1m1s1.staff"], school).role == "school_principal"
    own = _membership(app, tree.emails["r1m1s1.admin"], school)
    _post(client, f"/org/{school}/members/{own.id}/role", {"role": "school_curator"})
    assert _membership(app, tree.emails["r1m1s1.admin"], school).role == "school_principal"


def test_curator_cannot_manage_members(app, tree, login):
    school = tree.ids["r1m1s1"]
    principal = _membership(app, tree.emails["r1m1s1.admin"], school)
    client = app.test_client()
    login(client, tree.emails["r1m1s1.staff"])
    assert _post(client, f"/org/{school}/members/{principal.id}/role", {"role": "school_curator"}).status_code == 403
    assert _post(client, f"/org/{school}/members/{principal.id}/active").status_code == 403
    assert _membership(app, tree.emails["r1m1s1.admin"], school).is_active


def test_coordinator_manages_its_schools_members_but_specialist_cannot(app, tree, login):
    school = tree.ids["r1m1s1"]
    principal = _membership(app, tree.emails["r1m1s1.admin"], school)
    specialist = app.test_client()
    login(specialist, tree.emails["r1m1.staff"])
    assert _post(specialist, f"/org/{school}/members/{principal.id}/active").status_code == 403
    coordinator = app.test_client()
    login(coordinator, tree.emails["r1m1.admin"])
    assert _post(coordinator, f"/org/{school}/members/{principal.id}/active").status_code == 302
    assert not _membership(app, tree.emails["r1m1s1.admin"], school).is_active


def test_revoked_invitation_link_stops_working(app, tree, login):
    school = tree.ids["r1m1s1"]
    with app.app_context(), unscoped("test"):
        invitation = issue_invitation(
            org=db.session.get(Organization, school), email="late@test.ru", role=Role.SCHOOL_CURATOR,
            full_name=None, inviter=db.session.get(User, tree.users["r1m1s1.admin"].id),
        )
        db.session.commit()
        token, invitation_id = invitation_token(invitation), invitation.id
    anonymous = app.test_client()
    assert anonymous.get(f"/auth/invitation/{token}").status_code == 200
    client = app.test_client()
    login(client, tree.emails["r1m1s1.admin"])
    members_page = client.get(f"/org/{school}/members").get_data(as_text=True)
    assert "late@test.ru" in members_page and f"/invitations/{invitation_id}/revoke" in members_page
    assert _post(client, f"/org/{school}/invitations/{invitation_id}/revoke").status_code == 302
    page = anonymous.get(f"/auth/invitation/{token}")
    assert page.status_code == 400 and "истёк" in page.get_data(as_text=True)
    with app.app_context(), unscoped("test"):
        assert db.session.get(Invitation, invitation_id).revoked_at is not None
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "invitation.revoked")) == 1
    again = _post(client, f"/org/{school}/invitations/{invitation_id}/revoke")
    assert again.status_code == 302
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "invitation.revoked")) == 1


def test_an_old_invitation_link_cannot_re_enable_a_disabled_member(app, tree, login):
    school = tree.ids["r1m1s1"]
    with app.app_context(), unscoped("test"):
        org = db.session.get(Organization, school)
        inviter = db.session.get(User, tree.users["r1m1s1.admin"].id)
        first = issue_invitation(org=org, email="x@test.ru", role=Role.SCHOOL_CURATOR, full_name=None, inviter=inviter)
        db.session.commit()
        first_token = invitation_token(first)
    # the principal re-sends: the first link is replaced
    with app.app_context(), unscoped("test"):
        second = issue_invitation(org=db.session.get(Organization, school), email="x@test.ru",
                                  role=Role.SCHOOL_CURATOR, full_name=None,
                                  inviter=db.session.get(User, tree.users["r1m1s1.admin"].id))
        db.session.commit()
        second_token = invitation_token(second)
        assert db.session.get(Invitation, first.id).revoked_at is not None
    invitee = app.test_client()
    assert invitee.get(f"/auth/invitation/{first_token}").status_code == 400
    page = invitee.get(f"/auth/invitation/{second_token}")
    accepted = invitee.post(f"/auth/invitation/{second_token}", data={
        "full_name": "Икс", "password": "long-enough-pw", "confirm": "long-enough-pw", "csrf_token": csrf_token_from(page),
    })
    assert accepted.status_code == 302
    member = _membership(app, "x@test.ru", school)
    principal = app.test_client()
    login(principal, tree.emails["r1m1s1.admin"])
    assert _post(principal, f"/org/{school}/members/{member.id}/active").status_code == 302
    assert not _membership(app, "x@test.ru", school).is_active
    # neither link brings the membership back
    for token in (first_token, second_token):
        assert invitee.get(f"/auth/invitation/{token}").status_code == 400
    assert not _membership(app, "x@test.ru", school).is_active


def test_a_link_accepted_twice_at_once_creates_one_account(app, tree, monkeypatch):
    """The second of two simultaneous acceptances meets the unique e-mail and gets the
    'link used' page, not a server error; nothing half-written stays."""
    import tenants.memberships as memberships

    school = tree.ids["r1m1s1"]
    with app.app_context(), unscoped("test"):
        invitation = issue_invitation(org=db.session.get(Organization, school), email="twice@test.ru",
                                      role=Role.SCHOOL_CURATOR, full_name=None,
                                      inviter=db.session.get(User, tree.users["r1m1s1.admin"].id))
        db.session.add(User(email="twice@test.ru", full_name="Первый", password_hash="x"))  # the other request won
        db.session.commit()
        token = invitation_token(invitation)
    import blueprints.auth.views as auth_views

    for module in (memberships, auth_views):  # both requests saw no account yet
        monkeypatch.setattr(module, "find_user_by_email", lambda email: None)
    client = app.test_client()
    page = client.get(f"/auth/invitation/{token}")
    response = client.post(f"/auth/invitation/{token}", data={
        "full_name": "Второй", "password": "long-enough-pw", "confirm": "long-enough-pw",
        "csrf_token": csrf_token_from(page)})
    assert response.status_code == 400
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.email == "twice@test.ru")) == 1
        assert db.session.get(Invitation, invitation.id).accepted_at is None
