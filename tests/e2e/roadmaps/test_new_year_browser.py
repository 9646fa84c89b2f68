"""A school adopts the region's model roadmap for 2026/27 in a real browser (issue 15): the
ministry publishes its roadmap from seed 001 (written for 2020–2024) as the region's model, a
school creates its 2026/27 roadmap from it, sees the deadlines moved into the new school year
with their dates, submits it, the municipal body approves it — and no activity is overdue.

The region's date is pinned (the live server runs in this process): in September, and in
December, when the model's November steps have already passed and must be changed or kept
before the school can submit."""
from __future__ import annotations

from datetime import date

import pytest

from tests.e2e.conftest import sign_in, sign_out
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.needs("chromium")


@pytest.fixture
def pin_today(monkeypatch):
    from blueprints.roadmaps import review_views, views

    def pin(day: date) -> None:
        for module in (views, review_views):
            monkeypatch.setattr(module, "region_today", lambda: day)

    return pin


def _publish_the_model(page, emails) -> None:
    """The ministry creates its roadmap from seed 001, approves it itself and publishes it."""
    sign_in(page, emails["r1.admin"], PASSWORD)
    page.goto("/roadmaps/new")
    page.select_option("select[name=source]", "template:kirov-region-2020-2024")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    with page.expect_navigation():
        page.click("#review-roadmap")
    with page.expect_navigation():
        page.click("#approve")
    assert page.locator("[data-status=approved]").count() == 1
    with page.expect_navigation():
        page.locator("form[action$='/publish'] button[type=submit]").click()
    sign_out(page)


def _create_from_the_model(page, emails) -> str:
    """The school's curator creates its 2026/27 roadmap from the published model; its URL."""
    sign_in(page, emails["r1m1s1.staff"], PASSWORD)
    page.goto("/roadmaps/new")
    model = page.locator("select[name=source] option[value^='published:']")
    assert model.count() == 1
    page.select_option("select[name=source]", model.get_attribute("value"))
    page.fill("input[name=period_text]", "2026 – 2027 учебный год")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("[data-status=draft]").count() == 1
    return page.url


def _approve_as_the_body(page, emails, roadmap_url) -> None:
    sign_in(page, emails["r1m1.admin"], PASSWORD)
    page.goto(roadmap_url)
    with page.expect_navigation():
        page.click("#review-roadmap")
    with page.expect_navigation():
        page.click("#approve")
    assert page.locator("[data-status=approved]").count() == 1


def _nothing_overdue(page) -> None:
    table = page.locator("main table")
    assert table.locator("tr.table-danger").count() == 0
    assert "просрочено" not in table.inner_text().lower()
    assert "Просрочено" not in page.locator("main").inner_text()


def test_a_2026_27_school_roadmap_from_the_model_is_not_overdue_on_approval(page, live_server, pin_today):
    emails = live_server.tree.emails
    pin_today(date(2026, 9, 15))
    _publish_the_model(page, emails)
    roadmap_url = _create_from_the_model(page, emails)

    # the draft shows the deadlines moved into 2026/27, each with the date it means
    row = page.locator("tr", has_text="Формирование рабочей группы")
    assert "Ноябрь 2026 г." in row.inner_text()
    assert row.locator(".due-dates").get_attribute("data-due") == "2026-11-30"
    dues = [d for cell in page.locator(".due-dates").all() for d in cell.get_attribute("data-due").split()]
    assert len(dues) >= 6 and all("2026-08-01" <= d <= "2027-08-31" for d in dues)
    assert page.locator(".deadline-flag").count() == 0
    # the model's text around the table and its stages' key results
    assert "Целью внедрения целевой модели наставничества" in page.locator("#preamble").inner_text()
    assert page.locator("#footnote").inner_text().startswith("* Органы")
    assert "Создание организационных и содержательных условий" in page.locator("tr#" + page.locator(
        "main table tbody tr.table-light").first.get_attribute("id")).inner_text()

    with page.expect_navigation():
        page.click("#submit-roadmap")
    assert page.locator("[data-status=submitted]").count() == 1
    sign_out(page)

    _approve_as_the_body(page, emails, roadmap_url)
    _nothing_overdue(page)
    sign_out(page)

    sign_in(page, emails["r1m1s1.staff"], PASSWORD)
    page.goto(roadmap_url)
    assert page.locator("[data-status=approved]").count() == 1
    _nothing_overdue(page)
    assert not page.page_errors


def test_in_december_the_passed_steps_are_changed_or_kept_before_submission(page, live_server, pin_today):
    emails = live_server.tree.emails
    pin_today(date(2026, 12, 3))
    _publish_the_model(page, emails)
    roadmap_url = _create_from_the_model(page, emails)

    flagged = page.locator("#flagged-deadlines li")
    assert flagged.count() == 2  # 1.2 and 1.3, «Ноябрь 2026 г.»: already passed
    with page.expect_navigation():
        page.click("#submit-roadmap")
    assert page.locator("[data-status=draft]").count() == 1
    alert = page.locator(".alert-danger, .alert-warning", has_text="Формирование рабочей группы")
    assert alert.count() >= 1  # the refusal names the deadlines to check

    # 1.2: a date of its own beside the seed's wording, in the draft's edit form
    row = page.locator("tr", has_text="Формирование рабочей группы")
    with page.expect_navigation():
        row.locator(".deadline-flag a").click()
    assert page.locator(".computed-due").get_attribute("data-due") == "2026-11-30"
    page.fill("input[name=due_on]", "2026-12-15")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    row = page.locator("tr", has_text="Формирование рабочей группы")
    assert row.locator(".due-dates").get_attribute("data-due") == "2026-12-15"
    assert row.locator(".deadline-flag").count() == 0

    # 1.3: the school moves it too, by its wording
    row = page.locator("tr", has_text="Методическое обеспечение реализации")
    with page.expect_navigation():
        row.locator(".deadline-flag a").click()
    page.fill("input[name=deadline_text]", "январь 2027")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.locator("#flagged-deadlines").count() == 0

    with page.expect_navigation():
        page.click("#submit-roadmap")
    assert page.locator("[data-status=submitted]").count() == 1
    sign_out(page)

    _approve_as_the_body(page, emails, roadmap_url)
    _nothing_overdue(page)
    assert not page.page_errors
