"""A member with the expert role works only in the expert's areas: every other page of the
keeper's organisation is closed to them (403), and their home is their requests."""
from __future__ import annotations

import pytest

from core.extensions import db
from tenants.context import unscoped
from tenants.models import Organization
from tenants.roles import Role
from tests.support.factories import make_member

pytestmark = pytest.mark.backends("sqlite")


@pytest.fixture
def expert_client(app, tree, login):
    with app.app_context(), unscoped("tests.expert"):
        make_member("expert@test.ru", db.session.get(Organization, tree.ids["r1m1"]), Role.EXPERT)
        db.session.commit()
    client = app.test_client()
    login(client, "expert@test.ru")
    return client


@pytest.mark.parametrize("url", ["/experts/requests", "/library/", "/recognition/contests", "/training/"])
def test_the_experts_areas_are_open(expert_client, url):
    assert expert_client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/roadmaps/", "/registry/", "/monitoring/periods", "/site/", "/surveys/"])
def test_the_keepers_other_pages_are_closed(expert_client, url):
    assert expert_client.get(url).status_code == 403


def test_home_is_the_requests_page(expert_client, tree):
    for home in ("/", f"/org/{tree.ids['r1m1']}/"):
        response = expert_client.get(home)
        assert response.status_code == 302 and response.headers["Location"].endswith("/experts/requests")


def test_staff_of_the_keeper_are_not_confined(app, tree, login):
    client = app.test_client()
    login(client, "r1m1-admin@test.ru")
    assert client.get("/roadmaps/").status_code == 200
