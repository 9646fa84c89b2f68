"""Individual plans: templates for every default form, due dates from the pair's start,
progress that ignores cancelled tasks, overdue tasks, and the dashboard's count."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.extensions import db
from mentorship.pairing import plans
from mentorship.pairing.models import IndividualPlan, PlanTask
from mentorship.pairing.pairs import create_mentorship
from mentorship.pairing.plan_templates import GENERAL, TEMPLATES, template_for
from mentorship.region.forms import DEFAULT_FORMS
from tenants.context import tenant_scope
from tests.support.school import make_mentee, make_mentor, make_programme, school_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")

START = date(2026, 9, 15)


@pytest.mark.parametrize("form", DEFAULT_FORMS, ids=lambda f: f.code)
def test_every_default_form_has_its_own_template(form):
    template = template_for(form.code)
    assert template is TEMPLATES[form.code] and template is not GENERAL
    assert 4 <= len(template.tasks) <= 7
    assert template.goals.strip()
    assert all(t.title.strip() and 1 <= t.week <= 52 for t in template.tasks)
    assert len({t.title for t in template.tasks}) == len(template.tasks)
    dates = [d for _title, d in template.due_dates(START)]
    assert dates == sorted(dates) and dates[0] > START


def test_the_seeds_stages_are_in_the_templates():
    titles = [t.title for t in TEMPLATES["teacher_teacher"].tasks]
    assert titles[:2] == ["Диагностика профессиональных затруднений", "Посещение уроков наставника"]
    pupil = [t.title for t in TEMPLATES["teacher_pupil"].tasks]
    assert pupil[:2] == ["Входная диагностика", "Разработка индивидуального образовательного маршрута"]


def test_a_form_outside_the_defaults_falls_back_by_mentee_category():
    assert template_for("region_custom", "teacher") is TEMPLATES["teacher_teacher"]
    assert template_for("region_custom", "pupil") is TEMPLATES["teacher_pupil"]
    assert template_for("region_custom", None) is GENERAL


@pytest.fixture
def world(ctx, tree):
    w = school_world(tree)
    with tenant_scope(w.org_id, tree.paths["r1m1s1"]):
        yield w


def _pair(w):
    from mentorship.pairing.models import Mentorship

    return db.session.get(Mentorship, w.pair)


def _new_pair(tree, form_code: str):
    """A pair of another form in the world's school (the world's pair is teacher_pupil)."""
    org = tree.ids["r1m1s1"]
    if form_code == "teacher_teacher":
        mentor = make_mentor(org, "Наставник Т", "teacher")
        mentee = make_mentee(org, "Молодой педагог", "teacher")
    else:
        raise ValueError(form_code)
    return create_mentorship(make_programme(org, form_code), mentor, [mentee], START)


def test_a_plan_from_the_template_has_due_dates_from_the_start(world, tree):
    pair = _new_pair(tree, "teacher_teacher")
    plan = plans.create_plan(pair)
    template = TEMPLATES["teacher_teacher"]
    assert plan.goals == template.goals
    assert [(t.title, t.due_on, t.status) for t in plan.tasks] == [
        (t.title, START + timedelta(weeks=t.week), "planned") for t in sorted(template.tasks, key=lambda t: t.week)
    ]
    assert [t.position for t in plan.tasks] == list(range(len(template.tasks)))
    with pytest.raises(plans.PlanError) as refused:
        plans.create_plan(pair, from_template=False)
    assert refused.value.code == "plan_exists"


def test_an_empty_plan(world, tree):
    pair = _new_pair(tree, "teacher_teacher")
    plan = plans.create_plan(pair, from_template=False)
    assert plan.goals is None and plan.tasks == []
    task = plans.add_task(plan, "  Посетить урок  ", date(2026, 10, 1))
    assert (task.title, task.position) == ("Посетить урок", 1)
    for title, due, code in (("   ", None, "title_required"), ("Рано", date(2026, 9, 1), "due_before_start")):
        with pytest.raises(plans.PlanError) as refused:
            plans.add_task(plan, title, due)
        assert refused.value.code == code
    db.session.flush()
    assert len(db.session.get(IndividualPlan, plan.id).tasks) == 1


def test_progress_ignores_cancelled_tasks_and_done_records_the_day(world):
    plan = db.session.get(IndividualPlan, world.plan)
    first = plan.tasks[0]
    for title in ("Б", "В", "Г"):
        plans.add_task(plan, title, date(2026, 12, 1))
    assert plans.progress(plan.tasks) == plans.Progress(done=0, total=4)
    plans.update_task(plan.tasks[1], "done", date(2026, 12, 1), date(2026, 11, 20))
    plans.update_task(plan.tasks[2], "cancelled", None, date(2026, 11, 20))
    assert plans.progress(plan.tasks) == plans.Progress(done=1, total=3)
    assert plans.progress(plan.tasks).percent == 33
    assert plan.tasks[1].done_on == date(2026, 11, 20)
    plans.update_task(plan.tasks[1], "in_progress", None, date(2026, 11, 21))
    assert plan.tasks[1].done_on is None
    assert plans.progress([]).percent == 0
    with pytest.raises(plans.PlanError):
        plans.update_task(first, "finished", None, date(2026, 11, 20))
    plans.delete_task(plan.tasks[3])
    assert len(db.session.get(IndividualPlan, plan.id).tasks) == 3


def test_overdue_tasks_and_plans_behind_schedule(world, tree):
    plan = db.session.get(IndividualPlan, world.plan)  # its task «Диагностика» is due 1 October
    task = plan.tasks[0]
    assert not plans.is_overdue(task, date(2026, 10, 1))  # due today: not yet
    assert plans.is_overdue(task, date(2026, 10, 2))
    assert plans.plans_behind_schedule(world.org_id, date(2026, 10, 1)) == 0
    assert plans.plans_behind_schedule(world.org_id, date(2026, 10, 2)) == 1

    plans.add_task(plan, "Ещё одна просроченная", date(2026, 9, 20))  # two overdue tasks: still one plan
    other = plans.create_plan(_new_pair(tree, "teacher_teacher"))
    assert plans.plans_behind_schedule(world.org_id, date(2026, 9, 28)) == 1  # the other's first task: 29.09
    assert plans.plans_behind_schedule(world.org_id, date(2026, 9, 30)) == 2

    for t in other.tasks:
        plans.update_task(t, "done", t.due_on, date(2026, 12, 1))
    task.status = "cancelled"
    db.session.flush()
    assert not plans.is_overdue(task, date(2026, 12, 31))
    assert plans.plans_behind_schedule(world.org_id, date(2026, 12, 31)) == 1  # the added task still is
    db.session.get(PlanTask, plan.tasks[-1].id).status = "done"
    db.session.flush()
    assert plans.plans_behind_schedule(world.org_id, date(2026, 12, 31)) == 0
