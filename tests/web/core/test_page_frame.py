"""The frame of every staff page (templates/base.html) and the width of its tables: a skip
link first, the header that collapses below 1200 px with a short organisation label (the full
name in its title), the menus grouped so that more fit, and every table of the areas inside a
box that scrolls sideways on a narrow screen (the browser checks the widths themselves:
tests/e2e/core/test_layout_and_a11y.py)."""
from __future__ import annotations

import re

import pytest
from markupsafe import escape

from core.extensions import db
from tenants.context import unscoped
from tenants.models import Organization
from tests.support.paths import PROJECT_ROOT

LONG_NAME = ("Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа "
             "с углублённым изучением отдельных предметов № 9» города Кирова")
SHORT_NAME = "МБОУ СОШ с УИОП № 9 г. Кирова"
# The areas whose templates this test holds to the rule (add an area once its tables are wrapped).
AREAS = ("main", "orgs", "superadmin", "region", "people", "roadmaps", "pairing", "surveys", "monitoring", "reports",
         "experts", "library", "training", "recognition", "registry", "public/site")
TABLE_IN_A_SCROLL_BOX = re.compile(r'<div class="table-responsive[^"]*"[^>]*>\s*$')


@pytest.fixture
def school_page(app, tree, login):
    with app.app_context(), unscoped("tests.rename"):
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        school.name, school.short_name = LONG_NAME, SHORT_NAME
        db.session.commit()
    client = app.test_client()
    login(client, tree.emails["r1m1s1.staff"])
    return client.get(f"/org/{tree.ids['r1m1s1']}/").get_data(as_text=True)


def test_the_skip_link_comes_first_and_leads_to_the_content(school_page):
    body = school_page.split("<body>", 1)[1]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'class="skip-link visually-hidden-focusable"' in first_link and 'href="#content"' in first_link
    assert body.index("skip-link") < body.index("<header>") < body.index('<main class="container" id="content">')


def test_the_header_collapses_and_shortens_the_organisation(school_page):
    header = school_page.split("<header>", 1)[1].split("</header>", 1)[0]
    assert "navbar-expand-xl" in header and 'data-bs-target="#nav"' in header
    label = re.search(r'<span class="navbar-text[^"]*navbar-org[^"]*" title="([^"]*)">\s*<span class="navbar-org-name">([^<]*)</span>',
                      header)
    assert label, header
    assert label.group(1).startswith(str(escape(LONG_NAME))) and label.group(2).strip() == SHORT_NAME
    assert 'id="nav-notifications"' in header  # an icon in the tools, not one more menu
    assert "js/layout.js" in school_page  # the scrolling tables are made reachable by keyboard


@pytest.mark.parametrize("area", AREAS)
def test_every_table_scrolls_inside_its_box(area):
    folder = PROJECT_ROOT / "templates" / area
    unwrapped = []
    for path in sorted(folder.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<table\b", text):
            if not TABLE_IN_A_SCROLL_BOX.search(text[:match.start()]):
                unwrapped.append(f"{path.relative_to(PROJECT_ROOT)}:{text.count(chr(10), 0, match.start()) + 1}")
    assert not unwrapped, "tables outside a .table-responsive box: " + ", ".join(unwrapped)
