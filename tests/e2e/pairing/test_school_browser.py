"""A school's curator in a real browser: adds a mentor and a mentee with their consents and puts
them in the banks, creates a programme, runs matching and publishes the draft pair, prepares
the order and downloads its Word file, then starts the pair's work: the individual plan with
a task and the organisational meeting. On the way, a minor without a legal representative is
refused and nothing is saved.

Selectors are ids, names, hrefs and the data typed here: the UI labels are being translated."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from tests.e2e.conftest import sign_in
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.needs("chromium")

MENTOR = "Смирнова Анна Петровна"
MENTEE = "Кузнецов Илья Андреевич"
REPRESENTATIVE = "Кузнецова Ольга Викторовна"
TASK = "Разобрать задачи олимпиады по математике"
TOPIC = "Знакомство и ожидания от наставничества"


def _in_russian(app, render):
    """A message as the Russian UI shows it (whatever the catalogue has translated so far)."""
    with app.test_request_context(), force_locale("ru"):
        value = render()
        return [str(v) for v in value] if isinstance(value, list) else str(value)


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _fill_mentee(form, consent_on: str, *, representative: bool) -> None:
    form.locator("input[name=full_name]").fill(MENTEE)
    form.locator("select[name=category]").select_option("pupil")
    form.locator("input[name=birth_date]").fill("2012-05-01")
    form.locator("input[name=class_or_position]").fill("7А")
    form.locator("input[name=representative_name]").fill(REPRESENTATIVE if representative else "")
    form.locator("input[name=representative_phone]").fill("+7 900 123-45-67" if representative else "")
    form.locator("select[name=consent_given_by]").select_option("representative")
    form.locator("input[name=consent_given_on]").fill(consent_on)
    form.locator("input[name=consent_representative_name]").fill(REPRESENTATIVE)
    form.locator("input[name=consent_authority_document]").fill("Свидетельство о рождении II-АК № 123456")


def _participant_id(page) -> int:
    match = re.search(r"/school/participants/(\d+)$", page.url)
    assert match, page.url
    return int(match.group(1))


def _docx_text(path) -> str:
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_curator_from_participants_to_the_first_meeting(page, live_server):
    from blueprints.pairing.pair_views import describe_reasons
    from mentorship.pairing.matching import describe
    from mentorship.people.participants import ParticipantError

    app = live_server.app
    consent_on = (date.today() - timedelta(days=1)).isoformat()
    sign_in(page, live_server.tree.emails["r1m1s1.staff"], PASSWORD)

    # --- the mentor: a teacher with her own consent, then the mentor's questionnaire
    assert page.goto("/school/participants/new").status == 200
    form = page.locator("main form[method=post]")
    form.locator("input[name=full_name]").fill(MENTOR)
    form.locator("select[name=category]").select_option("teacher")
    form.locator("input[name=class_or_position]").fill("учитель математики")
    form.locator("input[name=teaching_since]").fill("2005-09-01")
    form.locator("select[name=consent_given_by]").select_option("participant")
    form.locator("input[name=consent_given_on]").fill(consent_on)
    _submit(page, form)
    mentor_id = _participant_id(page)
    assert page.locator("h1").inner_text().strip() == MENTOR

    # from the card to the mentor questionnaire
    with page.expect_navigation():
        page.click("#add-to-mentor-bank")
    assert page.url.endswith(f"/school/participants/{mentor_id}/mentor-profile")
    form = page.locator("main form[method=post]").first
    form.locator("input[name=competencies][value=academic]").check()
    form.locator("input[name=subjects]").fill("математика")
    form.locator("input[name=capacity]").fill("2")
    form.locator("input[name=approved]").check()
    _submit(page, form)
    assert page.url.endswith("/school/banks/mentors")
    row = page.locator(f"#mentor-bank tr[data-participant='{mentor_id}']")
    assert MENTOR in row.inner_text()
    assert "0 / 2" in row.inner_text()

    # --- a minor without a legal representative is refused, nothing saved
    page.goto("/school/participants/new")
    form = page.locator("main form[method=post]")
    _fill_mentee(form, consent_on, representative=False)
    _submit(page, form)
    assert page.url.endswith("/school/participants/new")
    expected = _in_russian(app, lambda: ParticipantError.MESSAGES["representative_required"])
    assert page.locator("#representative_name-errors").inner_text().strip() == expected
    assert page.locator("main .alert-danger[role=alert]").count() == 1
    page.goto("/school/participants")
    assert MENTOR in page.locator("main table").inner_text()
    assert MENTEE not in page.locator("main").inner_text()

    # --- the mentee with the representative's consent, then the mentee bank with a first request
    page.goto("/school/participants/new")
    form = page.locator("main form[method=post]")
    _fill_mentee(form, consent_on, representative=True)
    _submit(page, form)
    mentee_id = _participant_id(page)
    assert page.locator("h1").inner_text().strip() == MENTEE
    assert REPRESENTATIVE in page.locator("main").inner_text()

    with page.expect_navigation():
        page.click("#add-to-mentee-bank")
    form = page.locator(f"main form[action$='/participants/{mentee_id}/mentee-profile']")
    form.locator("select[name=request_kind]").select_option("academic")
    form.locator("select[name=request_source]").select_option("class_teacher")
    _submit(page, form)
    assert page.url.endswith(f"/school/participants/{mentee_id}/mentee-profile")
    assert page.locator("#requests li[data-request]").count() == 1
    assert page.locator(f"form[action$='/participants/{mentee_id}/requests/new']").count() == 1  # in the bank

    # --- the programme of the form «учитель – ученик»
    page.goto("/school/programmes/new")
    form = page.locator("main form[method=post]")
    form.locator("input[name=title]").fill("Наставничество 7-х классов")
    form.locator("select[name=form_code]").select_option("teacher_pupil")
    _submit(page, form)
    assert re.search(r"/school/programmes/\d+$", page.url), page.url
    assert page.locator("#programme-form").inner_text().strip() == "учитель – ученик"

    # --- matching: the draft pair with its reason, then publish
    with page.expect_navigation():
        page.click("#run-matching")
    assert re.search(r"/school/matching/\d+$", page.url), page.url
    proposal = page.locator("#proposals tbody tr", has_text=MENTEE)
    assert proposal.count() == 1
    assert MENTOR in page.locator("#proposals").inner_text()
    reason = _in_russian(app, lambda: describe(["requests_covered", ["academic"]]))
    assert reason in [t.strip() for t in proposal.locator("li").all_inner_texts()]
    assert page.locator("#unmatched").count() == 0
    with page.expect_navigation():
        page.click("#publish-run")
    assert re.search(r"/school/programmes/\d+$", page.url), page.url
    assert page.locator("#runs").count() == 1

    # --- the pair in the list, and its card
    page.goto("/school/pairs")
    pair_row = page.locator("#pairs tbody tr", has_text=MENTEE)
    assert pair_row.count() == 1
    assert MENTOR in pair_row.inner_text()
    with page.expect_navigation():
        pair_row.locator("a[href*='/school/pairs/']").first.click()
    match = re.search(r"/school/pairs/(\d+)$", page.url)
    assert match, page.url
    pair_id, pair_url = int(match.group(1)), page.url
    assert MENTEE in page.locator("#members").inner_text()
    card_reasons = _in_russian(app, lambda: describe_reasons([["requests_covered", ["academic"]]]))
    assert [t.strip() for t in page.locator("#match-reasons li").all_inner_texts()] == list(card_reasons)

    # --- the order with this pair, and its Word file
    with page.expect_navigation():
        page.locator("#pair-orders a[href*='/school/orders/new']").click()
    form = page.locator("main form[method=post]")
    checkbox = form.locator(f"#pair-{pair_id}")
    checkbox.check()
    assert checkbox.is_checked()
    _submit(page, form)
    assert re.search(r"/school/orders/\d+$", page.url), page.url
    items = page.locator("#order-items").inner_text()
    assert MENTOR in items and MENTEE in items
    with page.expect_download() as download_info:
        page.click("#download-docx")
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    text = _docx_text(download.path())
    assert MENTOR in text and MENTEE in text

    # --- from the card to the plan: created from the template, plus a task with a due date
    page.goto(pair_url)
    assert page.locator("#pair-orders a[href*='/school/orders/']").count() == 1
    with page.expect_navigation():
        page.locator(f"#pair-work a[href$='/pairs/{pair_id}/plan']").click()
    _submit(page, page.locator("main form:has(input[name=source][value=template])"))
    assert page.locator(f"form[action$='/pairs/{pair_id}/plan/goals']").count() == 1  # the plan exists
    due = (date.today() + timedelta(days=30)).isoformat()
    form = page.locator(f"main form[action$='/pairs/{pair_id}/plan/tasks/new']")
    form.locator("input[name=title]").fill(TASK)
    form.locator("input[name=due_on]").fill(due)
    _submit(page, form)
    task = page.locator("tr[id^=t]", has_text=TASK)
    assert task.count() == 1
    assert task.locator("input[id^=due-]").input_value() == due

    # --- the meetings page: the organisational meeting
    with page.expect_navigation():
        page.locator(f"main .nav-tabs a[href$='/pairs/{pair_id}/meetings']").click()
    form = page.locator(f"main form[action$='/pairs/{pair_id}/meetings/new']")
    form.locator("select[name=kind]").select_option("organisational")
    form.locator("select[name=format]").select_option("in_person")
    form.locator("input[name=topic]").fill(TOPIC)
    _submit(page, form)
    assert page.url.endswith(f"/school/pairs/{pair_id}/meetings")
    meeting = page.locator("tr[id^=m]", has_text=TOPIC)
    assert meeting.count() == 1
    assert "45" in meeting.inner_text()

    # both stay: the plan still lists the task
    with page.expect_navigation():
        page.locator(f"main .nav-tabs a[href$='/pairs/{pair_id}/plan']").click()
    assert page.locator("tr[id^=t]", has_text=TASK).count() == 1
    assert not page.page_errors
