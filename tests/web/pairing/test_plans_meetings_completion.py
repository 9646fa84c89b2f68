"""A pair's work through the web: the individual plan and its tasks, meetings, the stale
list, feedback and completion reviews (with the mentor's awards, recognition's, shown on the
completion page). Bad input saves nothing and says why;
list pages keep a fixed number of queries however many rows there are."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from core.extensions import db
from mentorship.pairing.models import (
    CompletionReview,
    FeedbackEntry,
    IndividualPlan,
    Meeting,
    Mentorship,
    MentorshipMentee,
    PlanTask,
)
from mentorship.pairing.plan_templates import TEMPLATES
from mentorship.people.models import Participant
from mentorship.recognition.models import Award
from tenants.context import unscoped
from tests.conftest import csrf_token_from
from tests.support.bulk import insert_rows, owner
from tests.support.school import school_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The views' "today" is fixed, so dates in the tests stay meaningful."""
    for module in ("plan_views", "meeting_views", "completion_views"):
        monkeypatch.setattr(f"blueprints.pairing.{module}.region_today", lambda: TODAY)


@pytest.fixture
def world(app, tree):
    with app.app_context():
        return school_world(tree)


@pytest.fixture
def curator(app, tree, login):
    """The school's curator, with the interface in English (the msgids: stable whatever the
    Russian catalogue says)."""
    client = app.test_client()
    login(client, tree.emails["r1m1s1.staff"])
    client.post("/auth/language/en", data={"csrf_token": csrf_token_from(client.get("/", follow_redirects=True)),
                                           "next": "/"})
    assert 'lang="en"' in client.get("/", follow_redirects=True).get_data(as_text=True)
    return client


def _post(client, url, data=None, page=None):
    token = csrf_token_from(client.get(page or url, follow_redirects=True))
    return client.post(url, data={**(data or {}), "csrf_token": token})


def _rows(app, model, **where):
    with app.app_context(), unscoped("tests.rows"):
        stmt = sa.select(model).order_by(model.id)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        rows = db.session.scalars(stmt).all()
        db.session.expunge_all()
    return rows


def _text(response) -> str:
    return response.get_data(as_text=True)


# -- the plan --------------------------------------------------------------------------------

def _pair_without_plan(app, world):
    with app.app_context(), unscoped("tests.plan"):
        db.session.execute(sa.delete(IndividualPlan).where(IndividualPlan.id == world.plan))
        db.session.commit()


def test_a_plan_from_the_template_then_tasks(app, world, curator):
    _pair_without_plan(app, world)
    plan_url = f"/school/pairs/{world.pair}/plan"
    page = curator.get(plan_url)
    assert page.status_code == 200 and "Create from the form" in _text(page)

    response = _post(curator, f"/school/pairs/{world.pair}/plan/new", {"source": "template"}, page=plan_url)
    assert response.status_code == 302
    [plan] = _rows(app, IndividualPlan, mentorship_id=world.pair)
    tasks = _rows(app, PlanTask, plan_id=plan.id)
    template = TEMPLATES["teacher_pupil"]
    assert plan.goals == template.goals and len(tasks) == len(template.tasks)
    assert tasks[0].due_on == date(2026, 9, 15) + timedelta(weeks=min(t.week for t in template.tasks))

    again = _post(curator, f"/school/pairs/{world.pair}/plan/new", {"source": "empty"}, page=plan_url)
    assert again.status_code == 302 and len(_rows(app, IndividualPlan, mentorship_id=world.pair)) == 1
    html = _text(curator.get(plan_url))
    assert "Входная диагностика" in html and "<progress" in html and 'value="0"' in html

    # A task is added; the goals are changed.
    assert _post(curator, f"/school/pairs/{world.pair}/plan/tasks/new",
                 {"title": "Олимпиада", "due_on": "2026-12-10"}, page=plan_url).status_code == 302
    assert _post(curator, f"/school/pairs/{world.pair}/plan/goals", {"goals": "Новые цели"},
                 page=plan_url).status_code == 302
    assert _rows(app, IndividualPlan, id=plan.id)[0].goals == "Новые цели"
    assert "Олимпиада" in [t.title for t in _rows(app, PlanTask, plan_id=plan.id)]


def test_empty_plan_and_bad_tasks_save_nothing(app, world, curator):
    _pair_without_plan(app, world)
    plan_url = f"/school/pairs/{world.pair}/plan"
    # Without a plan, tasks cannot be added.
    response = _post(curator, f"/school/pairs/{world.pair}/plan/tasks/new", {"title": "X"}, page=plan_url)
    assert response.status_code == 302 and _rows(app, PlanTask) == []

    _post(curator, f"/school/pairs/{world.pair}/plan/new", {"source": "empty"}, page=plan_url)
    [plan] = _rows(app, IndividualPlan, mentorship_id=world.pair)
    assert plan.goals is None and _rows(app, PlanTask) == []
    assert "No tasks yet" in _text(curator.get(plan_url))

    for data, message in (
        ({"title": "", "due_on": "2026-12-01"}, "This field is required"),
        ({"title": "Рано", "due_on": "2026-09-01"}, "before the pair"),
        ({"title": "Дата", "due_on": "31.02.2026"}, "is-invalid"),
        ({"title": "x" * 501}, "At most 500"),
    ):
        response = _post(curator, f"/school/pairs/{world.pair}/plan/tasks/new", data, page=plan_url)
        assert response.status_code == 200, data
        assert message in _text(response) and "is-invalid" in _text(response), data
    assert _rows(app, PlanTask) == []


def test_task_status_progress_overdue_and_delete(app, world, curator):
    plan_url = f"/school/pairs/{world.pair}/plan"
    [task] = _rows(app, PlanTask, plan_id=world.plan)  # «Диагностика», due 1 October: overdue on TODAY
    html = _text(curator.get(plan_url))
    assert "table-danger" in html and 'value="0" max="1"' in html

    edit = f"/school/plan-tasks/{task.id}/edit"
    bad = _post(curator, edit, {"status": "finished", "due_on": "2026-10-01"}, page=plan_url)
    assert bad.status_code == 200 and "is-invalid" in _text(bad)
    bad = _post(curator, edit, {"status": "done", "due_on": "2026-01-01"}, page=plan_url)
    assert bad.status_code == 200 and "before the pair" in _text(bad)
    assert _rows(app, PlanTask, id=task.id)[0].status == "planned"

    assert _post(curator, edit, {"status": "done", "due_on": "2026-10-01"}, page=plan_url).status_code == 302
    done = _rows(app, PlanTask, id=task.id)[0]
    assert (done.status, done.done_on) == ("done", TODAY)
    html = _text(curator.get(plan_url))
    assert "table-danger" not in html and 'value="1" max="1"' in html

    assert _post(curator, f"/school/plan-tasks/{task.id}/delete", page=plan_url).status_code == 302
    assert _rows(app, PlanTask) == []


# -- meetings --------------------------------------------------------------------------------

MEETING = {"kind": "regular", "held_on": "2026-10-01", "duration_minutes": "50", "format": "online",
           "topic": "Подготовка к контрольной", "notes": "Разобрали ошибки"}


def test_meetings_add_edit_delete(app, world, curator):
    url = f"/school/pairs/{world.pair}/meetings"
    page = curator.get(url)
    assert page.status_code == 200 and "Organisational meeting" in _text(page)

    response = _post(curator, f"{url}/new", MEETING, page=url)
    assert response.status_code == 302
    meetings = _rows(app, Meeting, mentorship_id=world.pair)
    new = meetings[-1]
    assert (new.kind, new.held_on, new.duration_minutes, new.format, new.topic) == (
        "regular", date(2026, 10, 1), 50, "online", "Подготовка к контрольной")
    assert "Подготовка к контрольной" in _text(curator.get(url))

    edit = f"/school/meetings/{new.id}/edit"
    assert curator.get(edit).status_code == 200
    assert _post(curator, edit, {**MEETING, "kind": "final", "duration_minutes": "90"}).status_code == 302
    assert _rows(app, Meeting, id=new.id)[0].kind == "final"

    # A second final meeting is refused, on the list and on the edit page.
    refused = _post(curator, f"{url}/new", {**MEETING, "kind": "final"}, page=url)
    assert refused.status_code == 200 and "already has a final meeting" in _text(refused)
    first = meetings[0]
    refused = _post(curator, f"/school/meetings/{first.id}/edit", {**MEETING, "kind": "final"})
    assert refused.status_code == 200 and _rows(app, Meeting, id=first.id)[0].kind == "organisational"

    assert _post(curator, f"/school/meetings/{new.id}/delete", page=url).status_code == 302
    assert [m.id for m in _rows(app, Meeting, mentorship_id=world.pair)] == [first.id]


def test_bad_meetings_save_nothing(app, world, curator):
    url = f"/school/pairs/{world.pair}/meetings"
    for data, message in (
        ({**MEETING, "duration_minutes": "0"}, "1 to 600"),
        ({**MEETING, "duration_minutes": "601"}, "1 to 600"),
        ({**MEETING, "held_on": ""}, "This field is required"),
        ({**MEETING, "held_on": "2026-09-01"}, "before the pair"),
        ({**MEETING, "kind": "party"}, "is-invalid"),
    ):
        response = _post(curator, f"{url}/new", data, page=url)
        assert response.status_code == 200 and message in _text(response), data
    assert len(_rows(app, Meeting)) == 1


def test_a_meeting_before_the_organisational_one_is_recorded_with_a_warning(app, world, curator):
    url = f"/school/pairs/{world.pair}/meetings"
    response = _post(curator, f"{url}/new", {**MEETING, "kind": "trial", "held_on": "2026-09-15"}, page=url)
    assert response.status_code == 302
    html = _text(curator.get(url))
    assert "starts with an organisational meeting" in html
    assert len(_rows(app, Meeting)) == 2


def _bulk_pairs(app, tree, n: int, *, met_on: date | None = None) -> None:
    """``n`` active pairs of the world's programme, each with an award for its mentor (and a
    meeting on ``met_on``), written in bulk: no rules needed to list them."""
    row = owner(tree, "r1m1s1")
    with app.app_context():
        with unscoped("tests.programme"):
            programme_id = db.session.scalar(sa.select(Mentorship.programme_id).limit(1))
        people = insert_rows(Participant, [
            {**row, "full_name": f"{('Наставник', 'Ученик')[k]} {i}", "category": ("teacher", "pupil")[k]}
            for i in range(n) for k in (0, 1)])
        mentors, mentees = people[::2], people[1::2]
        pairs = insert_rows(Mentorship, [
            {**row, "programme_id": programme_id, "form_code": "teacher_pupil", "mentor_id": m,
             "started_on": date(2026, 9, 1), "status": "active", "reasons": []} for m in mentors])
        insert_rows(MentorshipMentee, [{**row, "mentorship_id": p, "participant_id": m}
                                       for p, m in zip(pairs, mentees)])
        if met_on:
            insert_rows(Meeting, [{**row, "mentorship_id": p, "kind": "regular", "held_on": met_on} for p in pairs])
        insert_rows(Award, [{**row, "participant_id": m, "mentorship_id": p, "kind": "thanks",
                             "awarded_on": date(2026, 10, 1), "is_public": False} for p, m in zip(pairs, mentors)])
        db.session.commit()


def _count_queries(app, client, url) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
        assert response.status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("url", ["/school/meetings/stale", "/recognition/awards"])
def test_list_pages_keep_a_fixed_number_of_queries(app, tree, world, curator, url):
    _bulk_pairs(app, tree, 10, met_on=date(2026, 9, 20))
    curator.get(url)
    small = _count_queries(app, curator, url)
    _bulk_pairs(app, tree, 990, met_on=date(2026, 9, 20))
    large = _count_queries(app, curator, url)
    assert small == large <= 14
    assert "page=2" in _text(curator.get(url))  # 1,001 rows: paginated


def test_the_stale_list(app, tree, world, curator):
    html = _text(curator.get("/school/meetings/stale"))
    assert "Иванова Мария Петровна" in html and "Петров Илья" in html  # met 16.09, gap 3 weeks
    with app.app_context(), unscoped("tests.meet"):
        db.session.add(Meeting(org_id=world.org_id, mentorship_id=world.pair, kind="regular", held_on=TODAY))
        db.session.commit()
    html = _text(curator.get("/school/meetings/stale"))
    assert "Петров Илья" not in html and "No pairs without meetings" in html


# -- completion ------------------------------------------------------------------------------

def test_feedback_reviews_and_the_mentors_awards(app, world, curator):
    url = f"/school/pairs/{world.pair}/completion"
    html = _text(curator.get(url))
    assert "Полезно" in html and "Итоги" in html

    assert _post(curator, f"/school/pairs/{world.pair}/feedback/new",
                 {"author_role": "mentor", "written_on": "2026-11-20", "rating": "7", "text": "Идём по плану"},
                 page=url).status_code == 302
    assert [f.text for f in _rows(app, FeedbackEntry)][-1] == "Идём по плану"
    for data, message in (
        ({"author_role": "mentor", "written_on": "2026-11-20", "rating": "11", "text": "x"}, "1 to 10"),
        ({"author_role": "mentor", "written_on": "2026-11-20", "text": ""}, "This field is required"),
        ({"author_role": "mentor", "written_on": "2026-12-20", "text": "Потом"}, "in the future"),
    ):
        response = _post(curator, f"/school/pairs/{world.pair}/feedback/new", data, page=url)
        assert response.status_code == 200 and message in _text(response), data
    assert len(_rows(app, FeedbackEntry)) == 2

    # the review form is prefixed: its ids differ from the feedback form's on the same page
    review = {"review-participant_id": str(world.mentee), "review-written_on": "2026-11-21", "review-rating": "9",
              "review-text": "Спасибо!"}
    assert _post(curator, f"/school/pairs/{world.pair}/reviews/new", review, page=url).status_code == 302
    second = _post(curator, f"/school/pairs/{world.pair}/reviews/new", {**review, "review-text": "Ещё"}, page=url)
    assert second.status_code == 200 and "already written a completion review" in _text(second)
    outsider = _post(curator, f"/school/pairs/{world.pair}/reviews/new",
                     {**review, "review-participant_id": str(world.spare)}, page=url)
    assert outsider.status_code == 200
    assert [(r.participant_id, r.text) for r in _rows(app, CompletionReview)] == [
        (world.mentor, "Итоги"), (world.mentee, "Спасибо!")]

    # the awards of the pair's mentor are recognition's: the page shows them and links to a new one
    with app.app_context(), unscoped("tests.award"):
        db.session.add(Award(org_id=world.org_id, participant_id=world.mentor,
                             mentorship_id=world.pair, kind="certificate", awarded_on=date(2026, 11, 21),
                             title="Грамота за наставничество"))
        db.session.commit()
    html = _text(curator.get(url))
    assert "Грамота за наставничество" in html
    assert f"/recognition/awards/new?participant_id={world.mentor}&amp;mentorship_id={world.pair}" in html
    # the old address of the incentives register leads to the one register of awards
    moved = curator.get("/school/incentives")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/recognition/awards")


def test_the_pairs_own_pages_keep_a_fixed_number_of_queries(app, tree, world, curator):
    """A pair's meetings, plan tasks and completion records: more rows, same queries."""
    urls = [f"/school/pairs/{world.pair}/{page}" for page in ("meetings", "plan", "completion")]

    def grow(n):
        row = {"org_id": world.org_id, "org_path": tree.paths["r1m1s1"]}
        days = [date(2026, 9, 17) + timedelta(days=i % 60) for i in range(n)]
        with app.app_context():
            insert_rows(Meeting, [{**row, "mentorship_id": world.pair, "kind": "regular", "held_on": d} for d in days])
            insert_rows(PlanTask, [{**row, "plan_id": world.plan, "title": f"Задача {i}", "due_on": d,
                                    "position": i + 1} for i, d in enumerate(days)])
            insert_rows(FeedbackEntry, [{**row, "mentorship_id": world.pair, "author_role": "curator",
                                         "written_on": d, "text": f"Отзыв {i}"} for i, d in enumerate(days)])
            insert_rows(Award, [{**row, "participant_id": world.mentor, "mentorship_id": world.pair,
                                 "kind": "thanks", "awarded_on": d, "is_public": False} for d in days])
            db.session.commit()

    grow(10)
    for url in urls:
        curator.get(url)
    small = [_count_queries(app, curator, url) for url in urls]
    grow(990)
    assert len(_rows(app, Meeting)) == len(_rows(app, PlanTask)) == 1001
    assert [_count_queries(app, curator, url) for url in urls] == small
