"""A contest end to end in a real browser: the municipal coordinator drafts a contest (with its
rules), appoints two jurors (a specialist and an expert) and announces it; a school's curator
nominates two mentors who consented to publication; the coordinator starts judging; each juror
scores on their own sheet; the coordinator closes judging, sees the ranking and publishes it.
The winner is then in the public results (``contests.public_results`` under the region's
public scope) and on the municipal body's public page, opened without signing in.

Selectors are ids, names, data attributes and the data typed here: the UI labels are being
translated."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.e2e.conftest import sign_in, sign_out
from tests.support.contests import PDF
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.needs("chromium")

TITLE = "Лучший педагог-наставник — 2026"
WINNER, SECOND = "Андреева Анна Петровна", "Борисов Борис Ильич"
NOMINATION = "Лучший педагог-наставник"


def _submit(page, locator):
    with page.expect_navigation():
        locator.click()


def _prepare(app, tree):
    """An expert member of the municipal body, two consenting mentors at school r1m1s1, and the
    body's public page published (where the results appear). Returns the page's address."""
    from core.clock import region_today
    from core.extensions import db
    from mentorship.public.pages import publish_page
    from tenants.context import tenant_scope, unscoped
    from tenants.memberships import grant_membership
    from tenants.models import Organization
    from tenants.roles import Role
    from tests.support.contests import consenting_mentor
    from tests.support.factories import make_user

    with app.app_context():
        today = region_today()
        with unscoped("tests.e2e.contest"):
            expert = make_user("expert@test.ru", "Экспертова Елена")
            grant_membership(expert, db.session.get(Organization, tree.ids["r1m1"]), Role.EXPERT)
            region_slug = db.session.get(Organization, tree.ids["r1"]).slug
            body_slug = db.session.get(Organization, tree.ids["r1m1"]).slug
            db.session.commit()
        with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
            for name in (WINNER, SECOND):
                consenting_mentor(tree.ids["r1m1s1"], name, today=today - timedelta(days=1))
            db.session.commit()
        with tenant_scope(tree.ids["r1m1"], tree.paths["r1m1"]):
            publish_page(db.session.get(Organization, tree.ids["r1m1"]), today)
            db.session.commit()
        db.session.remove()
    return today, f"/p/{region_slug}/{body_slug}/"


def _score(page, contest_id, scores: dict[str, list[int]]):
    assert page.goto(f"/recognition/contests/{contest_id}/scores").status == 200
    for name, values in scores.items():
        card = page.locator("#score-sheet .card", has_text=name)
        inputs = card.locator("input[name^=score-]")
        assert inputs.count() == len(values)
        for index, value in enumerate(values):
            inputs.nth(index).fill(str(value))
    _submit(page, page.locator("#save-scores"))
    assert page.locator("#sheet-remaining .text-success").count() == 1


def test_a_contest_from_its_announcement_to_the_winner_on_the_public_page(page, live_server):
    from core.extensions import db
    from mentorship.recognition import contests
    from mentorship.recognition.models import ContestResultEntry
    from tenants.context import public_scope, unscoped
    from tenants.scoping import region_path

    app, tree = live_server.app, live_server.tree
    today, public_url = _prepare(app, tree)
    staff, expert = tree.emails["r1m1.staff"], "expert@test.ru"

    # --- the coordinator drafts the contest, appoints the jury, announces it
    sign_in(page, tree.emails["r1m1.admin"], PASSWORD)
    assert page.goto("/recognition/contests").status == 200
    assert page.locator("#no-contests").count() == 1
    _submit(page, page.locator("#new-contest"))
    form = page.locator("#contest-form")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=description]").fill("Городской конкурс профессионального мастерства наставников")
    form.locator("textarea[name=nominations]").fill(f"{NOMINATION}\nНаставник молодого специалиста")
    form.locator("input[name='criteria-0-title']").fill("Результаты наставляемых")
    form.locator("input[name='criteria-0-max_score']").fill("10")
    form.locator("input[name='criteria-1-title']").fill("Методические разработки")
    form.locator("input[name='criteria-1-max_score']").fill("5")
    form.locator("select[name=aggregation]").select_option("sum")
    form.locator("input[name=nominations_open_on]").fill(today.isoformat())
    form.locator("input[name=nominations_close_on]").fill((today + timedelta(days=14)).isoformat())
    form.locator("input[name=judging_until]").fill((today + timedelta(days=30)).isoformat())
    form.locator("input[name=results_on]").fill((today + timedelta(days=35)).isoformat())
    form.locator("input[name=rules]").set_input_files(
        files=[{"name": "polozhenie.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    _submit(page, page.locator("#save-contest"))
    match = re.search(r"/recognition/contests/(\d+)$", page.url)
    assert match, page.url
    contest_id = int(match.group(1))
    assert page.locator("[data-contest-status=draft]").count() == 1
    assert page.locator("#rules-link").inner_text().strip() == "polozhenie.pdf"

    _submit(page, page.locator("#jury-link"))
    for email in (staff, expert):
        option = page.locator("#appoint-form select[name=user_id] option", has_text=re.compile(
            "Экспертова" if email == expert else "r1m1-staff"))
        page.locator("#appoint-form select[name=user_id]").select_option(option.first.get_attribute("value"))
        _submit(page, page.locator("#appoint-juror"))
    assert page.locator("#jurors tbody tr").count() == 2

    assert page.goto(f"/recognition/contests/{contest_id}").status == 200
    _submit(page, page.locator("#announce-contest"))
    assert page.locator("[data-contest-status=announced]").count() == 1
    sign_out(page)

    # --- the school nominates its two mentors
    sign_in(page, tree.emails["r1m1s1.staff"], PASSWORD)
    assert page.goto("/recognition/contests").status == 200
    _submit(page, page.locator(f"#contests a[href$='/recognition/contests/{contest_id}']"))
    for name, text in [(WINNER, "Подготовила трёх молодых учителей, автор методического пособия"),
                       (SECOND, "Руководитель школьного методического объединения")]:
        _submit(page, page.locator("#nominate-link"))
        form = page.locator("#nominate-form")
        mentor = form.locator("select[name=participant_id] option", has_text=name).get_attribute("value")
        form.locator("select[name=participant_id]").select_option(mentor)
        form.locator("select[name=nomination_id]").select_option(label=NOMINATION)
        form.locator("textarea[name=entry_text]").fill(text)
        _submit(page, page.locator("#submit-nomination"))
        assert text in page.locator("#entry-text").inner_text()
        assert page.goto(f"/recognition/contests/{contest_id}").status == 200
    assert page.locator("#own-entries [data-state=submitted]").count() == 2
    sign_out(page)

    # --- judging: the coordinator opens it, each juror scores on their own sheet
    sign_in(page, tree.emails["r1m1.admin"], PASSWORD)
    assert page.goto(f"/recognition/contests/{contest_id}").status == 200
    _submit(page, page.locator("#start-judging"))
    assert page.locator("[data-contest-status=judging]").count() == 1
    sign_out(page)

    sign_in(page, staff, PASSWORD)
    _score(page, contest_id, {WINNER: [10, 5], SECOND: [7, 3]})
    sign_out(page)
    sign_in(page, expert, PASSWORD)
    assert page.goto(f"/recognition/contests/{contest_id}/scores").status == 200
    assert page.locator("#score-sheet input[value='10']").count() == 0  # the other juror's scores are not here
    _score(page, contest_id, {WINNER: [9, 4], SECOND: [8, 4]})
    sign_out(page)

    # --- the coordinator closes judging, checks the ranking and publishes it
    sign_in(page, tree.emails["r1m1.admin"], PASSWORD)
    assert page.goto(f"/recognition/contests/{contest_id}/results").status == 200
    _submit(page, page.locator("#close-judging"))
    rows = page.locator("table[data-nomination] tbody tr")
    assert rows.count() == 2
    assert WINNER in rows.nth(0).inner_text() and rows.nth(0).locator("[data-place]").inner_text() == "1"
    assert rows.nth(0).locator("[data-score]").inner_text() == "28.00"
    assert rows.nth(1).locator("[data-score]").inner_text() == "22.00"
    _submit(page, page.locator("#publish-results"))
    assert page.locator("[data-contest-status=published]").count() == 1
    assert WINNER in page.locator("#published-results").inner_text()
    sign_out(page)

    # --- the winner is public: in the public results, and on the body's public page
    with app.app_context():
        with public_scope(region_path(tree.paths["r1m1"])):
            lines = [(e.display_name, e.school_name, e.nomination, e.place, str(e.score))
                     for e in contests.public_results(contest_id)]
        with unscoped("tests.e2e.contest"):
            assert db.session.scalar(sa.select(sa.func.count(ContestResultEntry.id))) == 2
        db.session.remove()
    assert lines == [(WINNER, "Школа 1.1.1", NOMINATION, 1, "28.00"), (SECOND, "Школа 1.1.1", NOMINATION, 2, "22.00")]
    response = page.goto(public_url)
    assert response.status == 200, public_url
    section = page.locator(f"[data-contest='{contest_id}']")
    assert TITLE in section.inner_text() and WINNER in section.inner_text()
    assert page.locator("a[href*='/auth/logout']").count() == 0
