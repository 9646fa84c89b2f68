"""Over HTTP: another school, municipal body or region gets 404 for every route that takes
an id, and nothing changes; for owner-only data, so do the municipal body and ministry above."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.extensions import db
from tenants.context import unscoped
from tests.conftest import csrf_token_from
from tests.isolation.registry import EXEMPT, ROUTES, make_objects

pytestmark = pytest.mark.backends("sqlite", "postgresql")

# Organisations outside the owner school's subtree-and-ancestors: another school of the same
# municipal body, another municipal body of the region, another region (ministry and school).
OUTSIDERS = ["r1m1s2.admin", "r1m2.admin", "r2.admin", "r2m1s1.admin"]
ANCESTORS = ["r1m1.admin", "r1.admin"]


def _outsiders_for(route):
    owner = route.owner
    outsiders = [u for u in OUTSIDERS if not u.startswith(owner)]
    if route.owner_only:
        outsiders += [u for u in ANCESTORS if owner.startswith(u.split(".")[0]) and u.split(".")[0] != owner]
    if owner == "r1m1":  # the municipal body's own school is an outsider to the body's pages
        outsiders = [u for u in outsiders if u != "r1m1s2.admin"] + ["r1m1s1.admin"]
    return outsiders


CASES = [(route, who) for route in ROUTES for who in _outsiders_for(route)]


def _snapshot() -> dict:
    """Every row of every table except the audit log, to prove a request changed nothing."""
    with unscoped("tests.snapshot"):
        state = {}
        for table in db.metadata.sorted_tables:
            if table.name == "audit_events":
                continue
            rows = db.session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            state[table.name] = [tuple(r) for r in rows]
        db.session.rollback()
        return state


@pytest.mark.parametrize("route,who", CASES, ids=[f"{r.id}-{w}" for r, w in CASES])
def test_outsider_gets_404_and_nothing_changes(app, tree, login, route, who):
    with app.app_context():
        objects = make_objects(tree, route.worlds)
    client = app.test_client()
    login(client, tree.emails[who])
    token = csrf_token_from(client.get("/", follow_redirects=True))
    url = route.url(tree, objects)
    with app.app_context():
        before = _snapshot()
    if route.method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={**route.form, "csrf_token": token})
    assert response.status_code == 404, f"{who} {route.method} {url} → {response.status_code}"
    with app.app_context():
        assert _snapshot() == before


@pytest.mark.parametrize("route", [r for r in ROUTES if r.method == "GET"], ids=lambda r: r.id)
def test_owner_can_reach_its_route(app, tree, login, route):
    """Positive control: the 404s above are about scope, not about broken routes."""
    with app.app_context():
        objects = make_objects(tree, route.worlds)
    client = app.test_client()
    login(client, tree.emails[route.insider or f"{route.owner}.admin"])
    assert client.get(route.url(tree, objects)).status_code == 200


def test_ancestors_reach_shared_data_but_not_personal_data(app, tree, login):
    with app.app_context():
        objects = make_objects(tree, ())
    for who in ANCESTORS:
        client = app.test_client()
        login(client, tree.emails[who])
        assert client.get(f"/test/shared/{objects['doc']}").status_code == 200
        assert client.get(f"/org/{tree.ids['r1m1s1']}/").status_code == 200
        assert client.get(f"/test/private/{objects['note']}").status_code == 404


def test_every_id_route_is_registered(app):
    covered = {r.endpoint for r in ROUTES}
    missing = [
        rule.endpoint for rule in app.url_map.iter_rules()
        if rule.arguments and rule.endpoint not in covered and rule.endpoint not in EXEMPT
    ]
    assert missing == [], f"add these routes to their area in tests/isolation/routes/: {missing}"
