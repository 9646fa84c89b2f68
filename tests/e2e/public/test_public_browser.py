"""A visitor opens a school's public page in a real browser without signing in: sees its board of
honour and a published document, switches to the version for the visually impaired (the font
grows and the colours change, and it holds on the next page), never sees an unpublished mentor
nor one whose consent to publication was withdrawn; the vendored axe-core finds no serious or
critical accessibility violation on the public pages, ordinary or for the visually impaired,
and the page fits a phone's screen."""
from __future__ import annotations

import pytest

from tests.unit.public.world import (
    add_document,
    add_news,
    consenting_mentor,
    honour_card,
    page_url,
    publish_page,
    withdraw_consent,
)

pytestmark = pytest.mark.needs("chromium")

AXE = "/static/vendor/axe-core/axe.min.js"


def _site(app, tree):
    with app.app_context():
        publish_page(tree, "r1m1s1", intro="Наставничество в **Школе 1.1.1**: пары, группы, встречи.")
        publish_page(tree, "r1m1", intro="Управление образования о наставничестве.")
        add_document(tree, "r1m1s1", "Положение о наставничестве")
        add_news(tree, "r1m1s1", "День наставника", "Прошёл день наставника в школе.")
        shown = consenting_mentor(tree, "r1m1s1", "Смирнова Ольга Ивановна")
        unpublished = consenting_mentor(tree, "r1m1s1", "Кузнецов Пётр Ильич")
        withdrawn = consenting_mentor(tree, "r1m1s1", "Орлова Анна Сергеевна")
        honour_card(tree, "r1m1s1", shown)
        honour_card(tree, "r1m1s1", unpublished, publish=False)
        honour_card(tree, "r1m1s1", withdrawn)
        withdraw_consent(tree, "r1m1s1", withdrawn)
        return page_url(tree, "r1m1s1"), page_url(tree, "r1"), page_url(tree, "r1m1")


def _axe_violations(page) -> list[str]:
    """Serious and critical violations axe-core finds on the current page (WCAG 2.x A/AA)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE)
    results = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                           resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['nodes'][:3]}" for v in results if v["impact"] in ("serious", "critical")]


def _style(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"e => getComputedStyle(e).getPropertyValue('{prop}')")


def test_a_visitor_reads_the_school_page_and_its_version_for_the_visually_impaired(page, live_server):
    school_url, region_url, body_url = _site(live_server.app, live_server.tree)

    page.set_viewport_size({"width": 375, "height": 800})  # a phone
    response = page.goto(school_url)
    assert response.status == 200
    assert response.headers["cache-control"] == "public, max-age=300" and "set-cookie" not in response.headers
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Школа 1.1.1"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert page.context.cookies() == []  # nothing set: no session for a visitor

    board = page.locator("#honour-board")
    assert board.locator("text=Смирнова Ольга Ивановна").count() == 1
    assert board.locator("img").count() == 1 and board.locator("img").evaluate("i => i.complete && i.naturalWidth > 0")
    content = page.locator("main").inner_text()
    assert "Кузнецов" not in content  # his card is not published
    assert "Орлова" not in content  # her consent was withdrawn
    document = page.locator("#public-documents a", has_text="Положение о наставничестве")
    assert document.count() == 1
    download = page.request.get(document.get_attribute("href"))
    assert download.status == 200 and download.body().startswith(b"%PDF")

    assert _axe_violations(page) == []

    ordinary_size = float(_style(page, "html", "font-size").removesuffix("px"))
    ordinary_background = _style(page, "header.public-header", "background-color")
    with page.expect_navigation():
        page.locator("#a11y-toggle").click()
    assert page.url.endswith(school_url)
    assert "a11y" in page.locator("html").get_attribute("class")
    assert float(_style(page, "html", "font-size").removesuffix("px")) > ordinary_size
    assert _style(page, "header.public-header", "background-color") != ordinary_background
    assert _style(page, "body", "background-color") == "rgb(255, 255, 255)"
    assert _style(page, "main p", "color") == "rgb(0, 0, 0)"
    assert _axe_violations(page) == []

    with page.expect_navigation():  # white on black, the largest font, wide spacing
        page.locator("[data-a11y=scheme-wb]").click()
    with page.expect_navigation():
        page.locator("[data-a11y=size-3]").click()
    with page.expect_navigation():
        page.locator("[data-a11y=spacing-3]").click()
    assert _style(page, "body", "background-color") == "rgb(0, 0, 0)"
    assert _style(page, "main p", "color") == "rgb(255, 255, 255)"
    largest = float(_style(page, "html", "font-size").removesuffix("px"))
    assert largest >= 30 and _style(page, "body", "letter-spacing") not in ("normal", "0px")
    assert _axe_violations(page) == []

    with page.expect_navigation():  # the next page keeps it, with no script at all
        page.locator("a", has_text="День наставника").first.click()
    assert page.locator("h1").inner_text() == "День наставника"
    assert _style(page, "body", "background-color") == "rgb(0, 0, 0)"
    assert float(_style(page, "html", "font-size").removesuffix("px")) == largest
    assert _axe_violations(page) == []

    with page.expect_navigation():  # dark blue on light blue, images off
        page.locator("[data-a11y=scheme-blue]").click()
    with page.expect_navigation():
        page.locator("[data-a11y=images-off]").click()
    page.goto(school_url)
    assert _style(page, "body", "background-color") == "rgb(157, 209, 255)"
    assert page.locator("#honour-board img").count() == 0
    assert "Смирнова Ольга Ивановна" in page.locator("#honour-board .image-off").inner_text()  # its description
    assert _axe_violations(page) == []

    with page.expect_navigation():
        page.locator("#a11y-toggle").click()  # back to the ordinary version
    assert not (page.locator("html").get_attribute("class") or "")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    for url in (region_url, body_url, school_url + "news/"):
        assert page.goto(url).status == 200
        assert _axe_violations(page) == [], url
    assert page.page_errors == []
