"""A school's home page tells what it has: its participants and active pairs once there are
some, the way to start while there are none, and to an ancestor (who cannot see a school's
people) neither."""
from __future__ import annotations

import re

from tests.support.school import school_world


def _page(app, login, tree, who, org_key):
    client = app.test_client()
    login(client, tree.emails[who])
    return client.get(f"/org/{tree.ids[org_key]}/").get_data(as_text=True)


def test_a_school_without_people_is_shown_how_to_start(app, tree, login):
    html = _page(app, login, tree, "r1m1s1.staff", "r1m1s1")
    assert 'id="school-summary-empty"' in html and 'id="school-summary"' not in html
    assert 'href="/school/participants/new"' in html


def test_a_school_with_pairs_sees_its_figures_not_the_set_up_text(app, tree, login):
    with app.app_context():
        school_world(tree, "r1m1s1")  # three participants, one active pair
    html = _page(app, login, tree, "r1m1s1.staff", "r1m1s1")
    assert "appear here as the programme is set up" not in html
    summary = html.split('id="school-summary"', 1)[1].split("</ul>", 1)[0]
    assert re.search(r'data-count="participants">3<', summary) and re.search(r'data-count="active">1<', summary)


def test_an_ancestor_is_told_the_school_keeps_its_people(app, tree, login):
    with app.app_context():
        school_world(tree, "r1m1s1")
    html = _page(app, login, tree, "r1m1.admin", "r1m1s1")
    assert 'id="school-summary' not in html and "appear here as the programme is set up" not in html
    assert "ведёт и видит только сама" in html
