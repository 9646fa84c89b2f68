"""A curator enters a pair with a mistyped year and voids it, in a real browser; the ministry's
figure is unchanged after a re-count.

The ministry counts the period of 20 December 2026 (frozen): the school has one mentee aged
10–19 («1 / 400»). The curator then enters a pair whose start year is mistyped (2025 for 2026) —
it falls inside the year window, so a re-count would count its 15-year-old mentee — and voids
it with the reason. Voiding the school's first pair, which the frozen period counted, is
refused with a message naming the period. The ministry unfreezes the period and counts it
again: the figure is still «1 / 400».

The embedded web process runs its Celery tasks eagerly (the aggregation happens in the request
that enqueued it). Selectors are ids, names, hrefs and the data typed here."""
from __future__ import annotations

import re
from datetime import date

import pytest

from tests.e2e.conftest import sign_in, sign_out
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.needs("chromium")

TODAY = date(2027, 1, 10)  # the region's today: the latest reference date is 20 December 2026
MENTEES = "1 / 400"  # school_world: one mentee aged 10–19; the contingent has 400 pupils aged 10–19
MISTYPED = "2025-09-01"  # typed for 1 September 2026
REASON = "Год начала пары введён с ошибкой: 2025 вместо 2026"


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _mentees_figure(page) -> str:
    page.goto("/monitoring/dashboard")
    return page.locator("#indicator-mentees_10_19 td.fraction").inner_text().strip()


def test_a_pair_with_a_mistyped_year_is_voided_and_the_recount_is_unchanged(page, live_server, monkeypatch):
    from mentorship.monitoring import periods
    from tests.support.school import school_world

    app, tree = live_server.app, live_server.tree
    monkeypatch.setattr(periods, "region_today", lambda settings, now=None: TODAY)
    app.extensions["celery"].conf.task_always_eager = True  # this test's own app, discarded after it
    with app.app_context():
        world = school_world(tree, "r1m1s1")

    # --- the ministry counts the period: frozen, one mentee aged 10–19
    sign_in(page, tree.emails["r1.admin"], PASSWORD)
    page.goto("/monitoring/periods")
    _submit(page, page.locator("main form[action='/monitoring/periods/run']"))
    match = re.search(r"/monitoring/periods/(\d+)$", page.url)
    assert match, page.url
    period_url = page.url
    assert page.locator("h1 [data-period-status]").get_attribute("data-period-status") == "frozen"
    assert _mentees_figure(page) == MENTEES
    sign_out(page)

    # --- the curator enters a pair with the year mistyped
    sign_in(page, tree.emails["r1m1s1.staff"], PASSWORD)
    assert page.goto("/school/pairs/new").status == 200
    form = page.locator("#pair-form")
    form.locator("select[name=programme]").select_option(str(world.programme))
    form.locator("select[name=mentor]").select_option(str(world.mentor))
    form.locator("select[name=mentees]").select_option([str(world.spare)])
    form.locator("input[name=started_on]").fill(MISTYPED)
    _submit(page, form)
    match = re.search(r"/school/pairs/(\d+)$", page.url)
    assert match, page.url
    pair_id = int(match.group(1))
    assert "Сидорова Анна" in page.locator("#members").inner_text()
    assert page.locator("#pair-actions").count() == 1  # active

    # --- and voids it, with the reason
    page.locator("#void-pair summary").click()
    form = page.locator(f"form[action='/school/pairs/{pair_id}/void']")
    form.locator("textarea[name=reason]").fill(REASON)
    _submit(page, form)
    assert page.url.endswith(f"/school/pairs/{pair_id}")
    assert REASON in page.locator("#voided").inner_text()
    assert page.locator("#pair-actions").count() == 0 and page.locator("#void-pair").count() == 0
    assert REASON in page.locator("#history").inner_text()  # the history line of the voiding
    # kept in the history, listed only when asked for
    page.goto("/school/pairs")
    assert page.locator(f"#pairs a[href='/school/pairs/{pair_id}']").count() == 0
    page.goto("/school/pairs?status=voided")
    assert page.locator(f"#pairs a[href='/school/pairs/{pair_id}']").count() == 1

    # --- the school's first pair was counted by the frozen period: voiding it is refused, naming it
    page.goto(f"/school/pairs/{world.pair}")
    page.locator("#void-pair summary").click()
    form = page.locator(f"form[action='/school/pairs/{world.pair}/void']")
    form.locator("textarea[name=reason]").fill("проверка")
    _submit(page, form)
    assert "20.12.2026" in page.locator("main .alert-danger").inner_text()
    assert page.locator("#voided").count() == 0
    sign_out(page)

    # --- the ministry unfreezes the period and counts it again: the figure is unchanged
    sign_in(page, tree.emails["r1.admin"], PASSWORD)
    page.goto(period_url)
    form = page.locator("main form[action$='/unfreeze']")
    form.locator("textarea[name=reason], input[name=reason]").first.fill("Школа исправила ошибочно введённую пару")
    _submit(page, form)
    assert page.locator("h1 [data-period-status]").get_attribute("data-period-status") == "pending"
    _submit(page, page.locator("main form[action$='/rerun']"))
    assert page.locator("h1 [data-period-status]").get_attribute("data-period-status") == "frozen"
    assert _mentees_figure(page) == MENTEES
    assert not page.page_errors
