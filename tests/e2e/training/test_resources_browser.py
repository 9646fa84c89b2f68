"""The region's resources in a real browser (issue 13): a municipal body publishes a model
document in the methodological library and a course of its «Школа наставников»; a school's
curator finds the document by an inflected word, enrols a mentor of the school's bank; the
body marks the completion and issues the certificate; the mentor then appears as trained in
the school's mentor bank and in the municipal registry.

The live server runs on PostgreSQL here (not the other browser tests' SQLite file): the
library's Russian full-text search — «положения» finding «Положение» — is PostgreSQL's. The
test is skipped where PostgreSQL or chromium is missing (and fails in CI).

Selectors are ids, names, hrefs and the data typed here: the UI labels are being translated."""
from __future__ import annotations

import threading
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tests.e2e.conftest import sign_in, sign_out
from tests.support.factories import PASSWORD

pytestmark = [pytest.mark.needs("chromium", "postgresql")]

DOCUMENT = "Типовое положение о наставничестве в образовательной организации"
QUERY = "положения"  # genitive: found by stemming, not by substring
COURSE = "Школа наставников: первые шаги"
MENTOR = "Соколова Вера Андреевна"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _truncate(app) -> None:
    from core.extensions import db

    with app.app_context():
        db.session.remove()
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def pg_live_server(browser):
    """The app on a free loopback port against the suite's PostgreSQL, with the test tree;
    emptied afterwards like the suite's own PostgreSQL tests."""
    from celery import _state as celery_state  # noqa: PLC2701 (restored after, as tests/e2e/conftest.py does)
    from werkzeug.serving import make_server

    from config import TestingConfig
    from core.extensions import db
    from factory import create_app
    from tests.conftest import service_url
    from tests.support.factories import build_tree

    url = service_url("postgres")
    previous_celery = celery_state.default_app
    app = create_app(TestingConfig(), SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
    _truncate(app)
    with app.app_context():
        tree = build_tree()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server-pg", daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", tree=tree, app=app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        _truncate(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if previous_celery is not None:
            previous_celery.set_default()


@pytest.fixture
def pg_page(browser, pg_live_server):
    context = browser.new_context(base_url=pg_live_server.url, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.page_errors = []
    page.on("pageerror", lambda e: page.page_errors.append(str(e)))
    try:
        yield page
    finally:
        context.close()


def _seed_mentor(server) -> int:
    """The school's mentor, in the bank with her consent to the municipal registry (the
    questionnaire's pages are the pairing browser test's)."""
    from core.extensions import db
    from mentorship.pairing import banks
    from mentorship.pairing.banks import MentorData
    from tenants.context import tenant_scope
    from tenants.models import Organization
    from tests.support.school import make_participant

    tree = server.tree
    with server.app.app_context(), tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        person = make_participant(school.id, MENTOR, "teacher", birth_date=date(1984, 4, 4),
                                  class_or_position="учитель русского языка")
        banks.save_mentor_profile(person, MentorData(competencies=["academic"], preferred_forms=["teacher_pupil"],
                                                     capacity=2, interview_result="passed", approved=True,
                                                     publish_consent=True), org=school)
        db.session.commit()
        return person.id


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def test_from_the_library_and_a_course_to_a_trained_mentor_in_the_registry(pg_page, pg_live_server):
    page, server = pg_page, pg_live_server
    emails = server.tree.emails
    mentor_id = _seed_mentor(server)
    today = date.today()

    # --- the municipal body publishes a model document and a course
    sign_in(page, emails["r1m1.admin"], PASSWORD)
    assert page.goto("/library/new").status == 200
    form = page.locator("form#library-form")
    form.locator("select[name=category]").select_option("template")
    form.locator("input[name=title]").fill(DOCUMENT)
    form.locator("textarea[name=description]").fill("Образец локального акта для школ муниципалитета.")
    form.locator("input[name=file]").set_input_files(
        files=[{"name": "polozhenie.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    assert form.locator("input[name=publish]").is_checked()
    _submit(page, form)
    assert "/library/items/" in page.url, page.url

    assert page.goto("/training/new").status == 200
    form = page.locator("form#course-form")
    form.locator("input[name=title]").fill(COURSE)
    form.locator("select[name=kind]").select_option("school_of_mentors")
    form.locator("select[name=format]").select_option("in_person")
    form.locator("input[name=place]").fill("г. Энск, ул. Школьная, 1, актовый зал")
    form.locator("input[name=hours]").fill("36")
    form.locator("input[name=capacity]").fill("25")
    form.locator("select[name=audience]").select_option("mentors")
    form.locator("input[name=starts_on]").fill((today - timedelta(days=30)).isoformat())
    form.locator("input[name=ends_on]").fill((today + timedelta(days=30)).isoformat())
    _submit(page, form)
    assert page.locator("#course-title").inner_text() == COURSE
    course_url = page.url
    sign_out(page)

    # --- the school's curator finds the document by an inflected word and enrols the mentor
    sign_in(page, emails["r1m1s1.staff"], PASSWORD)
    assert page.goto(f"/library/?q={QUERY}").status == 200
    results = page.locator("#library-results")
    assert results.locator(f"a:has-text('{DOCUMENT}')").count() == 1
    assert page.goto("/training/").status == 200
    with page.expect_navigation():
        page.locator(f"#courses a:has-text('{COURSE}')").click()
    assert page.url == course_url
    form = page.locator("form#enrol-mentor")
    form.locator("select[name=person]").select_option(str(mentor_id))
    _submit(page, form)
    roster = page.locator("#enrolments")
    assert roster.locator(f"tr:has-text('{MENTOR}')").count() == 1
    assert page.goto("/school/banks/mentors").status == 200
    assert page.locator(f"tr[data-participant='{mentor_id}'] td.training-status").get_attribute(
        "data-training") == "in_progress"
    sign_out(page)

    # --- the organiser marks the completion; the certificate number is given
    sign_in(page, emails["r1m1.admin"], PASSWORD)
    assert page.goto(course_url).status == 200
    row = page.locator(f"#enrolments tr:has-text('{MENTOR}')")
    with page.expect_navigation():
        row.locator("a[href*='/complete']").click()
    form = page.locator("form#complete-form")
    assert form.locator("input[name=hours]").input_value() == "36"
    _submit(page, form)
    row = page.locator(f"#enrolments tr:has-text('{MENTOR}')")
    assert f"№ {today.year}-0001" in row.inner_text()

    # ... and finds the mentor, trained, in the municipal registry
    assert page.goto("/registry/").status == 200
    entry = page.locator(f"#registry tr:has-text('{MENTOR}')")
    assert entry.count() == 1
    assert COURSE in entry.locator("td.training-cell").inner_text()
    assert page.goto("/registry/?trained=no").status == 200
    assert page.locator(f"#registry tr:has-text('{MENTOR}')").count() == 0
    sign_out(page)

    # --- the school's mentor bank shows her trained, with the course and the date
    sign_in(page, emails["r1m1s1.staff"], PASSWORD)
    assert page.goto("/school/banks/mentors?training=completed").status == 200
    cell = page.locator(f"tr[data-participant='{mentor_id}'] td.training-status")
    assert cell.get_attribute("data-training") == "completed"
    assert COURSE in cell.inner_text()
    assert page.page_errors == []
