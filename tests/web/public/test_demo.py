"""The demo's public pages (demo/public.py): published once, idempotent, readable by a visitor."""
from __future__ import annotations

from demo.public import load_public_demo
from tenants.context import unscoped
from tests.unit.public.world import org_of


def test_the_demo_publishes_the_school_body_and_region_pages_once(app, tree, client):
    with app.app_context():
        with unscoped("tests.demo"):
            school = org_of(tree, "r1m1s1")
        url = load_public_demo(school)
        assert load_public_demo(school) == url  # a second run changes nothing
    page = client.get(url)
    assert page.status_code == 200 and "День наставника" in page.get_data(as_text=True)
    assert "Положение о наставничестве" in page.get_data(as_text=True)
    assert client.get(url.rsplit("/", 2)[0] + "/").status_code == 200
