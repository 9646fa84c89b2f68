"""The approval round in a real browser: a school submits its roadmap, the municipal
coordinator returns it with a comment, the school revises and resubmits, the coordinator
approves, and the ministry sees it approved."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in, sign_out
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.needs("chromium")


def test_submit_return_resubmit_approve(page, live_server):
    emails = live_server.tree.emails

    # the school's curator creates the roadmap from a template and submits it
    sign_in(page, emails["r1m1s1.staff"], PASSWORD)
    page.goto("/roadmaps/new")
    page.select_option("select[name=source]", "template:spb-dou49")
    page.fill("input[name=period_text]", "2023 – 2024 учебный год")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    roadmap_url = page.url
    assert page.locator("[data-status=draft]").count() == 1
    page.fill("#submit-comment", "Просим согласовать")
    with page.expect_navigation():
        page.click("#submit-roadmap")
    assert page.locator("[data-status=submitted]").count() == 1
    sign_out(page)

    # the coordinator returns it with a comment on the whole and on one activity
    sign_in(page, emails["r1m1.admin"], PASSWORD)
    page.goto(roadmap_url)
    with page.expect_navigation():
        page.click("#review-roadmap")
    page.fill("textarea[name=comment]", "Уточните сроки второго этапа")
    page.locator("textarea[name^=activity-]").first.fill("Нужна конкретная дата")
    with page.expect_navigation():
        page.click("#return")
    assert page.locator("[data-status=returned]").count() == 1
    sign_out(page)

    # the school sees the comments, revises an activity and resubmits
    sign_in(page, emails["r1m1s1.staff"], PASSWORD)
    page.goto(roadmap_url)
    assert "Уточните сроки второго этапа" in page.locator("#return-comment").inner_text()
    assert page.locator(".activity-comment").first.inner_text() == "Нужна конкретная дата"
    with page.expect_navigation():
        page.locator("a[href*='/activities/'][href$='/edit']").first.click()
    page.fill("input[name=deadline_text]", "31.02.2024")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert "такой даты нет" in page.content()  # a clear message; nothing saved
    page.fill("input[name=deadline_text]", "30.09.2023")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    with page.expect_navigation():
        page.click("#submit-roadmap")
    assert page.locator("[data-status=submitted]").count() == 1
    sign_out(page)

    # the coordinator approves
    sign_in(page, emails["r1m1.admin"], PASSWORD)
    page.goto(roadmap_url)
    with page.expect_navigation():
        page.click("#review-roadmap")
    with page.expect_navigation():
        page.click("#approve")
    assert page.locator("[data-status=approved]").count() == 1
    sign_out(page)

    # the ministry sees it approved, from its oversight table down to the roadmap
    sign_in(page, emails["r1.admin"], PASSWORD)
    page.goto("/roadmaps/oversight")
    with page.expect_navigation():
        page.click("text=Управление 1.1")
    row = page.locator("tr", has_text="Школа 1.1.1")
    assert row.locator("[data-status=approved]").count() == 1
    with page.expect_navigation():
        row.locator("a").first.click()
    assert page.url == roadmap_url
    assert page.locator("[data-status=approved]").count() == 1
    assert not page.page_errors
