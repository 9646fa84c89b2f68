"""Admin screens per level: regions, municipal bodies, schools, invitations; lists with
search and pagination; validation in Russian; query counts independent of data size."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from core.extensions import db
from tenants.context import unscoped
from tenants.models import AuditEvent, Invitation, Organization
from tenants.roles import OrgKind
from tenants.tree import create_organization
from tests.conftest import csrf_token_from


def _form_post(client, url, data):
    token = csrf_token_from(client.get(url))
    return client.post(url, data={**data, "csrf_token": token})


def _outbox(app):
    return app.extensions.get("mail_outbox", [])


def test_superadmin_creates_a_region_and_invites_its_admin(app, tree, login):
    client = app.test_client()
    login(client, tree.emails["super"])
    response = _form_post(client, "/admin/regions/new", {
        "region_name": "Кировская область", "name": "Министерство образования Кировской области",
        "admin_email": "Minister@Kirov.ru",
    })
    assert response.status_code == 302
    with app.app_context(), unscoped("test"):
        ministry = db.session.scalar(sa.select(Organization).where(Organization.region_name == "Кировская область"))
        assert ministry.kind == "ministry" and ministry.parent_id is None and ministry.path == f"/{ministry.id}/"
        invitation = db.session.scalar(sa.select(Invitation).where(Invitation.org_id == ministry.id))
        assert invitation.email == "minister@kirov.ru" and invitation.role == "ministry_admin"
    assert _outbox(app)[-1]["To"] == "minister@kirov.ru"
    page = client.get("/admin/regions?q=киров").get_data(as_text=True)
    assert "Кировская область" in page and "Регион 1" not in page
    # the same region twice: a clear message, nothing created
    again = _form_post(client, "/admin/regions/new", {
        "region_name": "кировская область", "name": "Другое", "admin_email": "x@kirov.ru",
    })
    assert again.status_code == 200 and "уже" in again.get_data(as_text=True)


def test_superadmin_pages_are_hidden_from_others(app, tree, login):
    client = app.test_client()
    login(client, tree.emails["r1.admin"])
    assert client.get("/admin/regions").status_code == 404


def test_ministry_admin_creates_a_municipal_body_with_validation(app, tree, login):
    client = app.test_client()
    login(client, tree.emails["r1.admin"])
    url = f"/org/{tree.ids['r1']}/children/new"
    bad = _form_post(client, url, {"name": "", "inn": "123"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "Обязательное поле" in body and "ИНН" in body
    with app.app_context(), unscoped("test"):
        count_before = db.session.scalar(sa.select(sa.func.count(Organization.id)))
    good = _form_post(client, url, {"name": "Управление образования г. Слободского", "inn": "4329001234"})
    assert good.status_code == 302
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(sa.func.count(Organization.id))) == count_before + 1
        muni = db.session.scalar(sa.select(Organization).where(Organization.inn == "4329001234"))
        assert muni.kind == "municipality" and muni.parent_id == tree.ids["r1"]
        assert muni.path == f"{tree.paths['r1']}{muni.id}/"


def test_coordinator_creates_a_school_and_invites_its_principal(app, tree, login):
    client = app.test_client()
    login(client, tree.emails["r1m1.admin"])
    url = f"/org/{tree.ids['r1m1']}/children/new"
    no_type = _form_post(client, url, {"name": "МБОУ СОШ № 1"})
    assert no_type.status_code == 200
    created = _form_post(client, url, {"name": "МБОУ СОШ № 1", "school_type": "college"})
    assert created.status_code == 302
    school_id = int(created.headers["Location"].split("/org/")[1].split("/")[0])
    with app.app_context(), unscoped("test"):
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "organization.created"))
        assert (event.org_id, event.object_id, event.details) == (school_id, str(school_id), {"name": "МБОУ СОШ № 1"})
        assert event.user_id == tree.users["r1m1.admin"].id
    invite_url = f"/org/{school_id}/members/invite"
    page = client.get(invite_url).get_data(as_text=True)
    assert 'value="school_principal"' in page and 'value="school_curator"' not in page
    sent = _form_post(client, invite_url, {"email": "director@school1.ru", "role": "school_principal"})
    assert sent.status_code == 302
    assert "director@school1.ru" in client.get(f"/org/{school_id}/members").get_data(as_text=True)
    refused = _form_post(client, invite_url, {"email": "c@school1.ru", "role": "school_curator"})
    assert refused.status_code == 200  # not a role the coordinator may grant there


def test_staff_without_admin_role_cannot_create_or_invite(app, tree, login):
    client = app.test_client()
    login(client, tree.emails["r1m1.staff"])
    assert client.get(f"/org/{tree.ids['r1m1']}/children/new").status_code == 403
    assert client.get(f"/org/{tree.ids['r1m1']}/members/invite").status_code == 403
    assert client.get(f"/org/{tree.ids['r1m1']}/audit").status_code == 403


def test_school_type_is_only_for_schools(ctx, tree):
    with unscoped("test"):
        parent = db.session.get(Organization, tree.ids["r1"])
        with pytest.raises(ValueError):
            create_organization(kind=OrgKind.MUNICIPALITY, name="x", parent=parent, school_type="school")
        db.session.rollback()


def _add_schools(app, tree, n):
    with app.app_context(), unscoped("test"):
        muni = db.session.get(Organization, tree.ids["r2m2"])
        for i in range(n):
            create_organization(kind=OrgKind.SCHOOL, name=f"Гимназия {i:03d}", parent=muni, school_type="school")
        db.session.commit()


def test_children_list_searches_and_paginates(app, tree, login):
    _add_schools(app, tree, 25)
    client = app.test_client()
    login(client, tree.emails["r2m2.admin"])
    home = f"/org/{tree.ids['r2m2']}/"
    first = client.get(home).get_data(as_text=True)
    assert "Гимназия 019" in first and "Гимназия 020" not in first  # 20 a page, sorted by name
    second = client.get(home + "?page=2").get_data(as_text=True)
    assert "Гимназия 024" in second and "Всего: 27" in second
    found = client.get(home + "?q=Гимназия 01").get_data(as_text=True)
    assert "Гимназия 010" in found and "Гимназия 000" not in found
    empty = client.get(home + "?q=нет такой").get_data(as_text=True)
    assert "ничего не найдено" in empty


def _count_queries(app, client, url):
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("page", ["home", "members", "audit"])
def test_query_count_does_not_grow_with_data(app, tree, login, page):
    client = app.test_client()
    login(client, tree.emails["r2m2.admin"])
    url = {"home": "/org/{}/", "members": "/org/{}/members", "audit": "/org/{}/audit"}[page].format(tree.ids["r2m2"])
    small = _count_queries(app, client, url)
    _add_schools(app, tree, 30)
    for _ in range(3):  # more audit events and more pages of members
        client.get(url)
    large = _count_queries(app, client, url)
    assert small == large <= 8


def test_language_switch(app, tree, login):
    client = app.test_client()
    assert "Войти" in client.get("/auth/login").get_data(as_text=True)
    page = client.get("/auth/login")
    client.post("/auth/language/en", data={"csrf_token": csrf_token_from(page), "next": "/auth/login"})
    assert "Sign in to Nastavnik" in client.get("/auth/login").get_data(as_text=True)
