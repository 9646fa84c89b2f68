"""Layout and accessibility of every level in a real browser (Debian's chromium via Playwright).

One app and one browser for the module, with demo-like data: long real-world names of the
organisations and users (they are what pushed the header off the screen), a school with a pair
and everything around it, a frozen monitoring period with the school's and the municipal body's
reports, survey campaigns, a roadmap approved after a return with comments.

- The main page of every area at every level (ministry, municipal body, school, super-admin,
  and the phone page that answers a survey): at 1366×768 and 390×844 nothing scrolls sideways
  (``document.documentElement.scrollWidth <= window.innerWidth``, also at 1280 and 1920 px) and
  axe-core finds no serious or critical violation; each page is saved as a screenshot under
  ``test-artifacts/screenshots/<test>/<page>-<width>.png`` for the reviewer.
- Each level's main journey with the keyboard alone: the skip link, every stop of Tab ringed,
  the menus opened with Enter and the arrows, a form filled and sent.
Selectors are ids, names, hrefs and data-* attributes: the UI labels are being translated."""
from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest

from tests.support.browser import (
    DESKTOP,
    PHONE,
    assert_focus_visible,
    assert_no_sideways_scroll,
    axe_violations,
    describe_violations,
    fresh_screenshots,
    save_screenshot,
    serving,
    sideways_overflow,
    tab_to,
    widest_elements,
)
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.needs("chromium")

TODAY = date(2026, 11, 22)  # the survey links of survey_world are valid on this day
OTHER_WIDTHS = (1280, 1920)  # checked for sideways scroll only, by resizing the loaded page
RESIZE_SETTLES_MS = 200  # static/js/layout.js re-checks the tables 150 ms after a resize
# Real names, long as in the seeds: the header must hold them.
NAMES = {
    "r1": "Министерство образования Кировской области",
    "r1m1": "Управление образования администрации города Кирова",
    "r1m1s1": "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа "
              "с углублённым изучением отдельных предметов № 9» города Кирова",
}
SHORT_NAMES = {"r1m1s1": "МБОУ СОШ с УИОП № 9 г. Кирова"}
USER_NAME = "Константинопольская Александра Владимировна"
NEW_PERSON = "Белозёрова Екатерина Андреевна"


def _build_world(tree) -> SimpleNamespace:
    import sqlalchemy as sa

    from core.extensions import db
    from mentorship.roadmaps.models import ActivityComment, Roadmap, RoadmapTransition
    from mentorship.surveys.links import make_link_token
    from tenants.context import unscoped
    from tenants.models import Organization, User
    from tests.support.monitoring_world import monitoring_world
    from tests.support.roadmaps import make_roadmap
    from tests.support.school import school_world
    from tests.support.surveys import survey_world

    with unscoped("tests.layout_world"):
        for key, name in NAMES.items():
            org = db.session.get(Organization, tree.ids[key])
            org.name, org.short_name = name, SHORT_NAMES.get(key)
        for key in ("r1.admin", "r1m1.admin", "r1m1s1.staff"):
            db.session.scalar(sa.select(User).where(User.email == tree.emails[key])).full_name = USER_NAME
        db.session.commit()
    school = school_world(tree, "r1m1s1")
    monitoring = monitoring_world(tree)
    surveys = survey_world(tree, "r1m1s2")
    roadmap = make_roadmap(tree.ids["r1m1s1"], ["до 30.09.2023", "в течение года"])
    with unscoped("tests.layout_world"):
        # returned once with comments on an activity, then approved: the comments are history now
        returned = RoadmapTransition(org_id=tree.ids["r1m1s1"], roadmap_id=roadmap.id, action="return",
                                     from_status="submitted", to_status="returned", comment="Уточните сроки")
        returned.activity_comments.append(ActivityComment(org_id=tree.ids["r1m1s1"], activity_id=roadmap.activities[0],
                                                          text="Нужна конкретная дата"))
        approved = RoadmapTransition(org_id=tree.ids["r1m1s1"], roadmap_id=roadmap.id, action="approve",
                                     from_status="submitted", to_status="approved")
        db.session.add_all([returned, approved])
        assert db.session.get(Roadmap, roadmap.id).status == "approved"
        db.session.commit()
        answer_token = make_link_token(surveys.invitation)
    db.session.remove()
    return SimpleNamespace(school=school, monitoring=monitoring, surveys=surveys, roadmap=roadmap.id,
                           answer_token=answer_token)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The app with the world, served on loopback for the whole module."""
    from celery import _state as celery_state  # noqa: PLC2701  (as tests/e2e/conftest.py: restore the default app)

    from blueprints.surveys import answer_views
    from config import TestingConfig
    from core.extensions import db
    from factory import create_app
    from tests.support.factories import build_tree

    previous_celery = celery_state.default_app  # create_app makes its Celery app the default
    database = tmp_path_factory.mktemp("layout") / "live.sqlite"
    app = create_app(TestingConfig(), SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    with app.app_context():
        db.create_all()
        tree = build_tree()
        world = _build_world(tree)
    patch = pytest.MonkeyPatch()
    patch.setattr(answer_views, "region_today", lambda *args, **kwargs: TODAY)
    try:
        with serving(app) as url:
            yield SimpleNamespace(url=url, app=app, tree=tree, world=world)
    finally:
        patch.undo()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if previous_celery is not None:
            previous_celery.set_default()


def _pages(site) -> dict[str, tuple[str | None, list[tuple[str, str]]]]:
    """Per level: who signs in, and (name, path) of the main page of each area."""
    ids, w = site.tree.ids, site.world
    return {
        "school": ("r1m1s1.staff", [
            ("home", f"/org/{ids['r1m1s1']}/"),
            ("school-dashboard", "/school/"),
            ("participants", "/school/participants"),
            ("participant-card", f"/school/participants/{w.school.mentor}"),
            ("mentor-bank", "/school/banks/mentors"),
            ("programmes", "/school/programmes"),
            ("pairs", "/school/pairs"),
            ("pair-completion", f"/school/pairs/{w.school.pair}/completion"),
            ("contingent", "/school/contingent"),
            ("roadmaps", "/roadmaps/"),
            ("roadmap-approved", f"/roadmaps/{w.roadmap}"),
            ("indicators", "/monitoring/dashboard"),
            ("reports", "/reports/"),
            ("school-report", f"/reports/{w.monitoring.school_report}"),
            ("surveys", "/surveys/"),
            ("announcements", "/announcements/"),
            ("library", "/library/"),
            ("experts", "/experts/"),
            ("expert-requests", "/experts/requests"),
            ("training", "/training/"),
            ("contests", "/recognition/contests"),
            ("awards", "/recognition/awards"),
            ("portfolios", "/recognition/portfolios"),
            ("board", "/recognition/board"),
        ]),
        "municipal": ("r1m1.admin", [
            ("home", f"/org/{ids['r1m1']}/"),
            ("oversight", "/roadmaps/oversight"),
            ("indicators", "/monitoring/dashboard"),
            ("reports", "/reports/"),
            ("municipal-report", f"/reports/{w.monitoring.municipal_report}"),
            ("surveys", "/surveys/"),
            ("questionnaires", "/surveys/templates"),
            ("members", f"/org/{ids['r1m1']}/members"),
            ("announcements-sent", "/announcements/sent"),
            ("library-review", "/library/review"),
            ("registry", "/registry/"),
            ("public-site", "/site/"),
            ("contests", "/recognition/contests"),
        ]),
        "ministry": ("r1.admin", [
            ("home", f"/org/{ids['r1']}/"),
            ("indicators", "/monitoring/dashboard"),
            ("periods", "/monitoring/periods"),
            ("targets", "/monitoring/targets"),
            ("indicator-settings", "/monitoring/indicators"),
            ("forms-catalogue", "/monitoring/forms"),
            ("calendar", "/monitoring/calendar"),
            ("reports", "/reports/"),
            ("analytical-reports", "/reports/analytical"),
            ("roadmaps", "/roadmaps/"),
            ("oversight", "/roadmaps/oversight"),
            ("surveys", "/surveys/"),
            ("trends", "/surveys/trends"),
            ("audit", f"/org/{ids['r1']}/audit"),
        ]),
        "superadmin": ("super", [("regions", "/admin/regions")]),
        "respondent": (None, [("survey-answer", f"/s/{w.answer_token}"), ("sign-in", "/auth/login")]),
    }


def _sign_in_by_mouse(page, email: str) -> None:
    page.goto("/auth/login")
    form = page.locator("main form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _check_page(page, test: str, name: str, path: str, *, axe_on_phone: bool) -> list[str]:
    """One page at every width: what is wrong with it (nothing: an empty list). The page is
    loaded once, at 1366 px, then the window is resized (as a user does, and faster)."""
    problems = []
    page.set_viewport_size(DESKTOP)
    response = page.goto(path)
    if response is None or response.status != 200:
        return [f"{name} {path}: HTTP {response.status if response else '—'}"]
    for viewport in (DESKTOP, *({"width": w, "height": 900} for w in OTHER_WIDTHS), PHONE):
        if viewport is not DESKTOP:
            page.set_viewport_size(viewport)
            page.wait_for_timeout(RESIZE_SETTLES_MS)
        overflow = sideways_overflow(page)
        if overflow > 0:
            problems.append(f"{name} {path} at {viewport['width']} px scrolls sideways by {overflow} px: "
                            f"{widest_elements(page)}")
        if viewport is DESKTOP or (viewport is PHONE and axe_on_phone):
            violations = axe_violations(page)
            if violations:
                problems.append(f"{name} {path} at {viewport['width']} px, axe:\n{describe_violations(violations)}")
        if viewport in (DESKTOP, PHONE):
            save_screenshot(page, test, name)
    return problems


@pytest.mark.parametrize("level", ["school", "municipal", "ministry", "superadmin", "respondent"])
def test_main_pages_fit_every_width_and_pass_axe(browser, site, level):
    who, pages = _pages(site)[level]
    context = browser.new_context(base_url=site.url, locale="ru-RU", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        if who:
            _sign_in_by_mouse(page, site.tree.emails[who])
        problems = []
        fresh_screenshots(f"layout-{level}")
        for n, (name, path) in enumerate(pages):
            # axe at 1366 px on every page; on the phone (the collapsed menu) on the level's first one
            problems += _check_page(page, f"layout-{level}", name, path, axe_on_phone=n == 0)
        assert not problems, "\n".join(problems)
        assert not errors
    finally:
        context.close()


def test_the_header_keeps_the_organisation_and_the_user_menu_on_screen(browser, site):
    """The long organisation name is shortened in the header (the full one in its title), and the
    user menu with «Sign out» stays reachable at every width."""
    context = browser.new_context(base_url=site.url, locale="ru-RU", viewport=DESKTOP)
    page = context.new_page()
    try:
        _sign_in_by_mouse(page, site.tree.emails["r1m1s1.staff"])
        label = page.locator("nav .navbar-org")
        assert label.get_attribute("title").startswith(NAMES["r1m1s1"])
        assert label.inner_text().strip() == SHORT_NAMES["r1m1s1"]
        for width in (1280, 1366, 1600, 1920, 390):
            page.set_viewport_size({"width": width, "height": 800})
            assert_no_sideways_scroll(page, f"the school's home at {width} px")
            user_menu = page.locator("nav .dropdown-toggle:has(.bi-person-circle)")
            box = user_menu.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (width, box)
            user_menu.click()
            sign_out = page.locator("form[action='/auth/logout'] button[type=submit]")
            assert sign_out.is_visible(), width
            assert NAMES["r1m1s1"] in page.locator(".navbar-user-menu").inner_text()  # the full name, in the menu
            user_menu.click()
    finally:
        context.close()


# -- the keyboard alone ----------------------------------------------------------------------------

def _keyboard_page(browser, site):
    context = browser.new_context(base_url=site.url, locale="ru-RU", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _press(page, key: str, *, navigates: bool = False) -> None:
    if navigates:
        with page.expect_navigation():
            page.keyboard.press(key)
    else:
        page.keyboard.press(key)


def _sign_in_by_keyboard(page, email: str) -> None:
    page.goto("/auth/login")
    tab_to(page, "main input[name=email]")
    page.keyboard.type(email)
    tab_to(page, "main input[name=password]")
    page.keyboard.type(PASSWORD)
    _press(page, "Enter", navigates=True)
    assert "/auth/login" not in page.url


def _skip_to_content(page) -> None:
    """The first Tab shows the skip link; Enter on it sends the next Tab into the content."""
    page.keyboard.press("Tab")
    link = assert_focus_visible(page)
    assert page.evaluate("() => document.activeElement.matches('a.skip-link[href=\"#content\"]')"), link
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)"), link
    assert_focus_visible(page)


def _menu(page, toggle: str, item: str) -> None:
    """Open a dropdown of the main menu with Enter and follow one of its links with the arrows."""
    page.keyboard.press("Shift+Tab")  # back to the header, from the content
    tab_to(page, f"nav {toggle}", backwards=True)
    page.keyboard.press("Enter")
    for _ in range(15):
        page.keyboard.press("ArrowDown")
        assert_focus_visible(page)
        if page.evaluate("(s) => document.activeElement.matches(s)", f"nav {item}"):
            break
    else:
        raise AssertionError(f"{item} not reached in the menu {toggle}")
    _press(page, "Enter", navigates=True)


def _choose(page, value: str) -> None:
    """Pick an option of the focused <select> with the arrow keys."""
    for _ in range(12):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {value} not reached in {page.evaluate('() => document.activeElement.name')}")


def test_school_curator_adds_a_participant_with_the_keyboard_only(browser, site):
    context, page = _keyboard_page(browser, site)
    try:
        _sign_in_by_keyboard(page, site.tree.emails["r1m1s1.staff"])
        _skip_to_content(page)
        _menu(page, "#nav-people", "a[href='/school/participants']")
        assert page.url.endswith("/school/participants")

        tab_to(page, "main a[href='/school/participants/new']")
        _press(page, "Enter", navigates=True)
        assert page.url.endswith("/school/participants/new")
        assert not axe_violations(page), describe_violations(axe_violations(page))  # labels, names, contrast

        tab_to(page, "main input[name=full_name]")
        page.keyboard.type(NEW_PERSON)
        tab_to(page, "main select[name=category]")
        _choose(page, "teacher")
        tab_to(page, "main input[name=class_or_position]")
        page.keyboard.type("учитель математики")
        tab_to(page, "main input[name=teaching_since]")
        # a date field's segments, typed in a row: the same day and month, whatever order the
        # browser's own locale puts them in (day first in Russian)
        page.keyboard.type("09092005")
        assert page.locator("input[name=teaching_since]").input_value() == "2005-09-09"
        tab_to(page, "main select[name=consent_given_by]")
        _choose(page, "participant")
        tab_to(page, "main input[name=consent_given_on]")
        page.keyboard.type("11112026")
        tab_to(page, "main form button[type=submit]")
        _press(page, "Enter", navigates=True)

        assert re.search(r"/school/participants/\d+$", page.url), page.url
        assert page.locator("main h1").inner_text().strip() == NEW_PERSON
    finally:
        context.close()


def test_municipal_coordinator_opens_a_school_report_with_the_keyboard_only(browser, site):
    context, page = _keyboard_page(browser, site)
    try:
        _sign_in_by_keyboard(page, site.tree.emails["r1m1.admin"])
        _skip_to_content(page)
        _menu(page, "#nav-monitoring", "a[href='/reports/']")
        report = site.world.monitoring.school_report
        tab_to(page, f"main #schools a[href='/reports/{report}']")
        _press(page, "Enter", navigates=True)
        assert page.url.endswith(f"/reports/{report}")
        assert NAMES["r1m1s1"] in page.locator("main").inner_text()
    finally:
        context.close()


def test_ministry_opens_the_monitoring_dashboard_with_the_keyboard_only(browser, site):
    context, page = _keyboard_page(browser, site)
    try:
        _sign_in_by_keyboard(page, site.tree.emails["r1.admin"])
        _skip_to_content(page)
        _menu(page, "#nav-monitoring", "a[href='/monitoring/dashboard']")
        assert page.url.endswith("/monitoring/dashboard")
        tab_to(page, "main #period")  # the period picker, reached and labelled
        assert page.locator("label[for=period]").count() == 1
        assert page.locator(f"#child-{site.tree.ids['r1m1']}").count() == 1
    finally:
        context.close()
