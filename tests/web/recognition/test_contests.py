"""Contests through the web: the organiser's draft (checked beside its fields), the
announcement, a school's nomination (only consenting mentors offered), the jury and a juror's
sheet, the results (hidden before judging closes, 404 to the schools), their publication, and
who may do what (403 inside the organiser, 404 outside)."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import gettext
from markupsafe import escape

from core.clock import region_today
from core.extensions import db
from mentorship.recognition.contests import ContestError, CriterionInput, save_draft
from mentorship.recognition.models import Contest, ContestJuror, ContestNominee, ContestResultEntry, ContestScore
from tenants.context import tenant_scope, unscoped
from tenants.memberships import grant_membership
from tenants.models import AuditEvent, Organization
from tenants.roles import Role
from tests.conftest import csrf_token_from
from tests.support.contests import PDF, consenting_mentor, contest_world
from tests.support.factories import make_user
from tests.support.queries import queries_of_get

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def today(app):
    with app.app_context():
        return region_today()


def _t(app, text, **kwargs) -> str:
    """``text`` as the page shows it (the default language, whatever the catalogue holds), escaped."""
    with app.test_request_context():
        return str(escape(gettext(text, **kwargs)))


def _message(app, code, **params) -> str:
    """A domain message as the page shows it."""
    with app.test_request_context():
        return str(escape(ContestError(code, **params).message))


def _client(app, login, email):
    client = app.test_client()
    login(client, email)
    return client


@pytest.fixture
def coordinator(app, tree, login):
    return _client(app, login, tree.emails["r1m1.admin"])


@pytest.fixture
def curator(app, tree, login):
    return _client(app, login, tree.emails["r1m1s1.staff"])


def _token(client, url="/recognition/contests"):
    return csrf_token_from(client.get(url))


def _post(client, url, data=None, token_from=None, **kwargs):
    token = _token(client, token_from or url)
    return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)


def _draft_form(today, **overrides):
    data = {
        "title": "Наставник года", "description": "Городской конкурс\nдля наставников",
        "nominations": "Лучший педагог-наставник\nНаставник молодого специалиста",
        "criteria-0-title": "Результаты наставляемых", "criteria-0-max_score": "10",
        "criteria-1-title": "Методические разработки", "criteria-1-max_score": "5",
        "aggregation": "mean",
        "nominations_open_on": (today - timedelta(days=1)).isoformat(),
        "nominations_close_on": (today + timedelta(days=10)).isoformat(),
        "judging_until": (today + timedelta(days=20)).isoformat(),
        "results_on": (today + timedelta(days=25)).isoformat(),
        "rules": (io.BytesIO(PDF), "Положение о конкурсе.pdf"),
    }
    data.update(overrides)
    return data


def _contests(app) -> list[Contest]:
    with app.app_context(), unscoped("test"):
        return list(db.session.scalars(sa.select(Contest).order_by(Contest.id)))


# -- the organiser's draft ---------------------------------------------------------------------

def test_the_list_is_empty_at_first_and_only_an_organisers_manager_creates(app, tree, login, coordinator, curator):
    html = coordinator.get("/recognition/contests").get_data(as_text=True)
    assert 'id="no-contests"' in html and 'id="new-contest"' in html
    html = curator.get("/recognition/contests").get_data(as_text=True)
    assert 'id="no-contests"' in html and 'id="new-contest"' not in html
    assert curator.get("/recognition/contests/new").status_code == 403
    analyst = _client(app, login, tree.emails["r1.staff"])  # the ministry's analyst reads only
    assert analyst.get("/recognition/contests/new").status_code == 403
    specialist = _client(app, login, tree.emails["r1m1.staff"])
    assert specialist.get("/recognition/contests/new").status_code == 200


def test_a_draft_is_created_with_its_rules_and_refused_beside_its_fields(app, tree, coordinator, today):
    response = _post(coordinator, "/recognition/contests/new", _draft_form(today, title=""),
                     content_type="multipart/form-data")
    assert 'id="title-errors"' in response.get_data(as_text=True) and _contests(app) == []
    bad = _draft_form(today, nominations="А\nа", **{
        "criteria-0-max_score": "101", "criteria-1-title": "", "judging_until": today.isoformat()})
    response = _post(coordinator, "/recognition/contests/new", bad, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and _contests(app) == []
    assert 'id="nominations-errors"' in html and _message(app, "nomination_repeated") in html
    assert _message(app, "max_score_range", max=100) in html
    assert html.count("invalid-feedback d-block") == 4
    assert 'id="judging_until-errors"' in html

    response = _post(coordinator, "/recognition/contests/new", _draft_form(today), content_type="multipart/form-data")
    assert response.status_code == 302
    [contest] = _contests(app)
    assert response.headers["Location"].endswith(f"/recognition/contests/{contest.id}")
    assert (contest.title, contest.aggregation, contest.status, contest.is_public) == (
        "Наставник года", "mean", "draft", False)
    html = coordinator.get(f"/recognition/contests/{contest.id}").get_data(as_text=True)
    assert "Наставник молодого специалиста" in html and "Методические разработки" in html
    assert 'id="announce-contest"' in html and "Положение о конкурсе.pdf" in html
    rules = coordinator.get(f"/recognition/contests/{contest.id}/rules")
    assert rules.status_code == 200 and rules.data == PDF and rules.mimetype == "application/pdf"

    html = coordinator.get(f"/recognition/contests/{contest.id}/edit").get_data(as_text=True)
    assert 'value="Наставник года"' in html and 'value="Методические разработки"' in html
    changed = _draft_form(today, title="Наставник года — 2026", rules=(io.BytesIO(b""), ""))
    changed["criteria-2-title"], changed["criteria-2-max_score"] = "Отзывы наставляемых", "3"
    assert _post(coordinator, f"/recognition/contests/{contest.id}/edit", changed,
                 content_type="multipart/form-data").status_code == 302
    with app.app_context(), unscoped("test"):
        contest = db.session.get(Contest, contest.id)
        assert contest.title == "Наставник года — 2026" and contest.max_total == 18 and contest.rules is not None


def test_a_bad_rules_file_is_refused(app, coordinator, today):
    data = _draft_form(today, rules=(io.BytesIO(b"MZ\x90\x00 not a document"), "rules.pdf"))
    html = _post(coordinator, "/recognition/contests/new", data, content_type="multipart/form-data").get_data(
        as_text=True)
    assert _message(app, "type_not_allowed") in html and _contests(app) == []


# -- announcement and nominations --------------------------------------------------------------

@pytest.fixture
def draft(app, tree, today):
    with app.app_context(), tenant_scope(tree.ids["r1m1"], tree.paths["r1m1"]):
        contest = save_draft(
            db.session.get(Organization, tree.ids["r1m1"]), title="Наставник года", description=None,
            nominations=["Лучший педагог-наставник"], criteria=[CriterionInput("Результаты", 10)],
            aggregation="sum", nominations_open_on=today, nominations_close_on=today + timedelta(days=5),
            judging_until=today + timedelta(days=6), results_on=today + timedelta(days=7))
        db.session.commit()
        return contest.id


def test_a_draft_is_the_organisers_alone_until_announced(app, tree, login, coordinator, curator, draft):
    url = f"/recognition/contests/{draft}"
    assert curator.get(url).status_code == 404
    assert 'id="no-contests"' in curator.get("/recognition/contests").get_data(as_text=True)
    assert _post(curator, f"{url}/announce", token_from="/recognition/contests").status_code == 404
    expert_user = None
    with app.app_context(), unscoped("test"):
        expert_user = make_user("expert@test.ru", "Эксперт")
        grant_membership(expert_user, db.session.get(Organization, tree.ids["r1m1"]), Role.EXPERT)
        db.session.commit()
    expert = _client(app, login, "expert@test.ru")
    assert expert.get(url).status_code == 200  # a member of the organiser reads…
    assert _post(expert, f"{url}/announce", token_from=url).status_code == 403  # …but does not run it
    assert expert.get(f"{url}/edit").status_code == 403
    response = _post(coordinator, f"{url}/announce", token_from=url)
    assert response.status_code == 302
    assert _t(app, "The contest is announced: the schools are notified and nominations are open.") in \
        coordinator.get(url).get_data(as_text=True)
    html = curator.get("/recognition/contests").get_data(as_text=True)
    assert "Наставник года" in html and "Управление 1.1" in html
    html = curator.get(url).get_data(as_text=True)
    assert 'id="no-own-entries"' in html and 'id="nominate-link"' in html
    assert _client(app, login, tree.emails["r1m2s1.admin"]).get(url).status_code == 404


def test_a_school_nominates_a_consenting_mentor_and_sees_only_its_own_entries(app, tree, login, coordinator,
                                                                                curator, draft, today):
    _post(coordinator, f"/recognition/contests/{draft}/announce", token_from=f"/recognition/contests/{draft}")
    with app.app_context():
        with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
            anna = consenting_mentor(tree.ids["r1m1s1"], "Андреева Анна", today=today).id
            gleb = consenting_mentor(tree.ids["r1m1s1"], "Глебов Глеб", today=today, consent=False).id
            db.session.commit()
        with tenant_scope(tree.ids["r1m1s2"], tree.paths["r1m1s2"]):
            vera = consenting_mentor(tree.ids["r1m1s2"], "Верина Вера", today=today).id
            db.session.commit()
        with unscoped("test"):
            nomination = db.session.get(Contest, draft).nominations[0].id
    url = f"/recognition/contests/{draft}/nominate"
    html = curator.get(url).get_data(as_text=True)
    assert f'value="{anna}"' in html and f'value="{gleb}"' not in html and f'value="{vera}"' not in html
    response = _post(curator, url, {"participant_id": str(gleb), "nomination_id": str(nomination),
                                    "entry_text": "Достижения"}, content_type="multipart/form-data")
    assert response.status_code == 200 and 'id="participant_id-errors"' in response.get_data(as_text=True)
    response = _post(curator, url, {"participant_id": str(anna), "nomination_id": str(nomination), "entry_text": "",
                                    "file": (io.BytesIO(PDF), "portfolio.pdf")}, content_type="multipart/form-data")
    assert 'id="entry_text-errors"' in response.get_data(as_text=True)
    response = _post(curator, url, {"participant_id": str(anna), "nomination_id": str(nomination),
                                    "entry_text": "Подготовила трёх молодых учителей",
                                    "file": (io.BytesIO(PDF), "portfolio.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context(), unscoped("test"):
        entry = db.session.scalar(sa.select(ContestNominee))
        assert (entry.display_name, entry.org_id, entry.file.filename) == (
            "Андреева Анна", tree.ids["r1m1s1"], "portfolio.pdf")
    entry_url = f"/recognition/contests/{draft}/entries/{entry.id}"
    assert response.headers["Location"].endswith(entry_url)
    html = curator.get(entry_url).get_data(as_text=True)
    assert "Подготовила трёх молодых учителей" in html and 'id="withdraw-entry"' in html
    assert curator.get(f"{entry_url}/file").data == PDF
    html = curator.get(f"/recognition/contests/{draft}").get_data(as_text=True)
    assert 'data-state="submitted"' in html and "Андреева Анна" in html
    # another school: neither the entry nor its file; its own page lists nothing of the first school
    other = _client(app, login, tree.emails["r1m1s2.staff"])
    assert other.get(entry_url).status_code == 404 and other.get(f"{entry_url}/file").status_code == 404
    assert "Андреева Анна" not in other.get(f"/recognition/contests/{draft}").get_data(as_text=True)
    # the organiser sees every entry and opens it (audited)
    html = coordinator.get(f"/recognition/contests/{draft}").get_data(as_text=True)
    assert "Андреева Анна" in html and "Школа 1.1.1" in html
    assert coordinator.get(f"{entry_url}/file").status_code == 200
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action == "contest.entry_file_viewed")) == 2
    # the school withdraws it
    assert _post(curator, f"{entry_url}/withdraw", token_from=entry_url).status_code == 302
    assert 'data-state="withdrawn"' in curator.get(entry_url).get_data(as_text=True)


# -- jury, sheet, results ----------------------------------------------------------------------

@pytest.fixture
def world(app, tree):
    with app.app_context():
        return contest_world(tree)


def test_the_jury_is_appointed_from_the_organisers_members(app, tree, coordinator, world):
    url = f"/recognition/contests/{world.contest}/jury"
    html = coordinator.get(url).get_data(as_text=True)
    assert "r1m1-staff@test.ru" in html and f'value="{tree.users["r1m1.admin"].id}"' in html
    assert f'value="{tree.users["r1m1s1.admin"].id}"' not in html
    response = _post(coordinator, url, {"user_id": str(tree.users["r1m1s1.admin"].id)})
    assert 'id="user_id-errors"' in response.get_data(as_text=True)
    assert _post(coordinator, url, {"user_id": str(tree.users["r1m1.admin"].id)}).status_code == 302
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(sa.func.count(ContestJuror.id))) == 2
        juror = db.session.scalar(sa.select(ContestJuror).where(ContestJuror.user_id == tree.users["r1m1.admin"].id))
    assert _post(coordinator, f"{url}/{juror.id}/remove", token_from=url).status_code == 302
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(sa.func.count(ContestJuror.id))) == 1


def _judging(app, tree, coordinator, world):
    url = f"/recognition/contests/{world.contest}"
    assert _post(coordinator, f"{url}/start-judging", token_from=url).status_code == 302
    with app.app_context(), unscoped("test"):
        assert db.session.get(Contest, world.contest).status == "judging"
        return [c.id for c in db.session.get(Contest, world.contest).criteria]


def test_a_juror_scores_on_their_sheet_and_nobody_else_sees_a_score_before_closing(app, tree, login, coordinator,
                                                                                   curator, world):
    juror = _client(app, login, tree.emails["r1m1.staff"])
    url = f"/recognition/contests/{world.contest}/scores"
    assert 'id="sheet-not-open"' in juror.get(url).get_data(as_text=True)
    assert coordinator.get(url).status_code == 404  # not on the jury
    c1, c2 = _judging(app, tree, coordinator, world)
    n = world.nominee
    response = _post(juror, url, {f"score-{n}-{c1}": "11", f"score-{n}-{c2}": "abc"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and _t(app, "Nothing was saved: correct the marked scores.") in html
    assert _message(app, "score_range", max=10) in html and _message(app, "score_not_number") in html
    assert 'value="11"' in html  # what was typed stays
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(sa.func.count(ContestScore.id))) == 0
    assert _post(juror, url, {f"score-{n}-{c1}": "9", f"score-{n}-{c2}": "4"}).status_code == 302
    html = juror.get(url).get_data(as_text=True)
    assert 'value="9"' in html and "<strong>13</strong> / 15" in html
    # no score is shown before judging closes: the organiser sees counts, the schools nothing
    results = f"/recognition/contests/{world.contest}/results"
    html = coordinator.get(results).get_data(as_text=True)
    assert 'id="results-hidden"' in html and ">13<" not in html
    for school in (curator, _client(app, login, tree.emails["r1m1s2.admin"])):
        assert school.get(results).status_code == 404
        assert school.get(url).status_code == 404
        assert ">9<" not in school.get(f"/recognition/contests/{world.contest}").get_data(as_text=True)


def test_results_are_closed_confirmed_and_published_then_the_schools_see_them(app, tree, login, coordinator,
                                                                                curator, world):
    c1, c2 = _judging(app, tree, coordinator, world)
    juror = _client(app, login, tree.emails["r1m1.staff"])
    show = f"/recognition/contests/{world.contest}"
    html = coordinator.get(f"{show}/results").get_data(as_text=True)
    assert _t(app, "Scores still missing: %(n)d.", n=2) in html and 'id="close-judging" disabled' in html
    _post(coordinator, f"{show}/close-judging", token_from=show)
    with app.app_context(), unscoped("test"):
        assert db.session.get(Contest, world.contest).status == "judging"
    _post(juror, f"{show}/scores", {f"score-{world.nominee}-{c1}": "8", f"score-{world.nominee}-{c2}": "5"})
    assert _post(coordinator, f"{show}/close-judging", token_from=show).headers["Location"].endswith(
        f"{show}/results")
    html = coordinator.get(f"{show}/results").get_data(as_text=True)
    assert 'id="publish-results"' in html and 'data-score>13.00<' in html
    assert curator.get(f"{show}/results").status_code == 404
    assert 'data-state="results"' in curator.get(show).get_data(as_text=True)
    assert _post(coordinator, f"{show}/publish", token_from=show).status_code == 302
    with app.app_context(), unscoped("test"):
        line = db.session.scalar(sa.select(ContestResultEntry))
        assert (line.display_name, line.place, str(line.score), line.is_public) == ("Иванова Мария Петровна", 1,
                                                                                     "13.00", True)
    html = curator.get(show).get_data(as_text=True)
    assert 'id="published-results"' in html and _t(app, "Place %(place)s, score %(score)s", place=1,
                                                    score="13.00") in html
    html = _client(app, login, tree.emails["r1m1s2.admin"]).get(show).get_data(as_text=True)
    assert 'id="published-results"' in html and "Иванова Мария Петровна" in html  # only what is published
    assert _client(app, login, tree.emails["r1m1s2.admin"]).get(f"{show}/results").status_code == 404


def test_the_contest_page_and_results_cost_the_same_queries_for_few_and_many_entries(app, tree, login, coordinator,
                                                                                     world, today):
    def add_entries(start, count):
        with app.app_context(), tenant_scope(tree.ids["r1m1s2"], tree.paths["r1m1s2"]):
            for i in range(start, start + count):
                mentor = consenting_mentor(tree.ids["r1m1s2"], f"Наставник {i:03d}", today=today)
                db.session.add(ContestNominee(org_id=tree.ids["r1m1s2"], contest_id=world.contest,
                                              nomination_id=world.nomination, participant_id=mentor.id,
                                              display_name=mentor.full_name, entry_text="Текст"))
            db.session.commit()

    add_entries(0, 2)
    urls = [f"/recognition/contests/{world.contest}", f"/recognition/contests/{world.contest}/jury",
            "/recognition/contests"]
    few = [queries_of_get(app, coordinator, url) for url in urls]
    add_entries(2, 25)
    assert [queries_of_get(app, coordinator, url) for url in urls] == few
    assert re.search(r"Наставник 026", coordinator.get(urls[0]).get_data(as_text=True))
