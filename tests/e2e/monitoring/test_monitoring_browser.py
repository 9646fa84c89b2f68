"""The ministry in a real browser: types seed 001's targets table (a value over 100 % is refused
first and nothing is saved), adds a target for the period's year, counts the monitoring period,
sees the region against its targets on the dashboard and downloads the analytical report.

The web process here is the embedded one, so its Celery tasks run eagerly (DESIGN §6): the
aggregation and the report are built in the request that enqueued them, after its commit.
The region's "today" is fixed, so the latest reference date is 20 December 2026 whatever the
day the suite runs. Selectors are ids, names, hrefs, data-* attributes and the data typed
here: the UI labels are being translated."""
from __future__ import annotations

import re
from datetime import date

import pytest
from flask_babel import force_locale

from tests.e2e.conftest import sign_in
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.needs("chromium")

TODAY = date(2027, 1, 10)  # the latest reference date is 20 December 2026
YEAR = 2026  # the period's year: its targets are the dashboard's and the report's
# Seed 001's table as printed: the four standard indicators (in its order) × 2020–2024.
SEED_001 = {
    "mentees_10_19": ["10", "30", "40", "55", "70"],
    "mentors_15_19": ["2", "4", "6", "8", "10"],
    "young_specialists": ["10", "30", "40", "55", "70"],
    "enterprises": ["2", "10", "20", "25", "30"],
}
SEED_YEARS = range(2020, 2025)
TARGET_2026 = "12,5"  # mentees aged 10–19, typed with a decimal comma
# school_world: one pupil aged 15 is a mentee; the school's contingent has 400 pupils aged 10–19.
MENTEES = "1 / 400"
SHARE = "0,3"  # 1 of 400 = 0,25 %: a share has one decimal, rounded half up


def _in_russian(app, render) -> str:
    with app.test_request_context(), force_locale("ru"):
        return str(render())


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _cell(page, code: str, year: int):
    return page.locator(f"#target-{code}-{year}")


def _docx_text(path) -> str:
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_ministry_targets_aggregation_dashboard_and_analytical_report(page, live_server, monkeypatch):
    from mentorship.monitoring import periods, targets
    from mentorship.monitoring.facts import STANDARD_INDICATORS
    from tests.support.school import school_world

    app, tree = live_server.app, live_server.tree
    monkeypatch.setattr(periods, "region_today", lambda settings, now=None: TODAY)
    app.extensions["celery"].conf.task_always_eager = True  # this test's own app, discarded after it
    with app.app_context():
        school_world(tree, "r1m1s1")  # a pair with a 15-year-old mentee, and the school's contingent

    sign_in(page, tree.emails["r1.admin"], PASSWORD)

    # --- a target over 100 % is refused with its message; nothing is saved, not even the good cell
    assert page.goto("/monitoring/targets").status == 200
    form = page.locator("main form[method=post]")
    _cell(form, "mentees_10_19", 2020).fill("10")
    _cell(form, "mentors_15_19", 2021).fill("101")
    _submit(page, form)
    assert page.url.endswith("/monitoring/targets")
    expected = _in_russian(app, lambda: targets.TARGET_MESSAGES["range"] % {
        "indicator": STANDARD_INDICATORS[1].name, "year": 2021, "raw": "101"})
    assert [t.strip() for t in page.locator("#target-problems li").all_inner_texts()] == [expected]
    assert "is-invalid" in _cell(page, "mentors_15_19", 2021).get_attribute("class")
    assert _cell(page, "mentors_15_19", 2021).input_value() == "101"  # what was typed stays to be corrected
    page.goto("/monitoring/targets")
    assert page.locator("#target-problems").count() == 0
    assert _cell(page, "mentees_10_19", 2020).input_value() == ""
    assert _cell(page, "mentors_15_19", 2021).input_value() == ""

    # --- seed 001's table as printed, plus this year's target for the first indicator
    form = page.locator("main form[method=post]")
    for code, values in SEED_001.items():
        for year, value in zip(SEED_YEARS, values):
            _cell(form, code, year).fill(value)
    _cell(form, "mentees_10_19", YEAR).fill(TARGET_2026)
    _submit(page, form)
    assert page.url.endswith("/monitoring/targets")
    assert page.locator("#target-problems").count() == 0
    page.reload()
    for code, values in SEED_001.items():
        assert [_cell(page, code, year).input_value() for year in SEED_YEARS] == values, code
    assert _cell(page, "mentees_10_19", YEAR).input_value() == TARGET_2026
    assert _cell(page, "mentors_15_19", YEAR).input_value() == ""

    # --- the period of 20 December 2026: run now; counted (eagerly) and frozen
    page.goto("/monitoring/periods")
    _submit(page, page.locator("main form[action='/monitoring/periods/run']"))
    match = re.search(r"/monitoring/periods/(\d+)$", page.url)
    assert match, page.url
    period_id = int(match.group(1))
    assert page.locator("h1 [data-period-status]").get_attribute("data-period-status") == "frozen"
    assert page.locator("[data-progress-url]").count() == 0  # nothing left to follow
    page.goto("/monitoring/periods")
    row = page.locator(f"main tr:has(a[href='/monitoring/periods/{period_id}'])")
    assert row.locator("[data-period-status]").get_attribute("data-period-status") == "frozen"
    assert page.locator("main form[action='/monitoring/periods/run']").count() == 0  # nothing more to run

    # --- the ministry's dashboard: the region against this year's targets
    page.goto("/monitoring/dashboard")
    assert page.locator(f"#period option[value='{period_id}']").count() == 1
    assert page.locator("#not-final").count() == 0 and page.locator("#dashboard-empty").count() == 0
    line = page.locator("#indicator-mentees_10_19")
    assert line.locator("td.target").inner_text().strip() == TARGET_2026
    assert line.locator("td.value").inner_text().strip() == SHARE
    assert line.locator("td.fraction").inner_text().strip() == MENTEES
    for spec in STANDARD_INDICATORS[1:]:  # seed 001's years only: no target for 2026
        others = page.locator(f"#indicator-{spec.code}")
        assert others.count() == 1, spec.code
        assert others.locator("td.target span.text-muted").count() == 1, spec.code
        assert others.locator("td.fraction").inner_text().strip() != "—", spec.code  # counted all the same
    municipality = page.locator(f"#child-{tree.ids['r1m1']}")
    assert MENTEES in municipality.inner_text()

    # --- the analytical report for the period: requested, built (eagerly), downloaded
    page.goto("/reports/analytical")
    form = page.locator("main form[action='/reports/analytical/new']")
    form.locator("select[name=period_id]").select_option(str(period_id))
    _submit(page, form)
    match = re.search(r"/reports/analytical/(\d+)$", page.url)
    assert match, page.url
    report_id = int(match.group(1))
    assert page.locator("[data-progress-url]").count() == 0  # ready, not being prepared
    with page.expect_download() as download_info:
        page.click(f"main a[href='/reports/analytical/{report_id}.docx']")
    download = download_info.value
    assert download.suggested_filename == f"analytical-report-2026-12-20-{report_id}.docx"
    text = _docx_text(download.path())
    assert "Министерство 1" in text  # the region's report
    assert "Управление 1.1" in text  # its municipal body in the table by unit
    assert TARGET_2026 in text and SHARE in text and MENTEES in text
    assert f"{YEAR} год" in text
    assert not page.page_errors
