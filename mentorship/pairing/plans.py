"""Individual plans (индивидуальный план) of a pair or group: goals, tasks with due dates and
status, progress, and the overdue tasks the school dashboard counts.

Progress is done / (all − cancelled): a cancelled task neither helps nor hurts. A task is
overdue when its due date has passed (due < today) and it is neither done nor cancelled.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from core.errors import DomainError
from core.extensions import db
from mentorship.pairing.models import TASK_STATUSES, IndividualPlan, Mentorship, MentorshipMentee, PlanTask
from mentorship.pairing.plan_templates import template_for
from mentorship.people.models import Participant

OPEN_STATUSES = ("planned", "in_progress")

STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}


class PlanError(DomainError):
    """A change to a plan was refused."""

    MESSAGES = {
        "plan_exists": _l("The pair already has an individual plan."),
        "title_required": _l("Give the task a title."),
        "bad_status": _l("Choose a valid status."),
        "due_before_start": _l("The due date is before the pair's start."),
    }


@dataclass(frozen=True)
class Progress:
    done: int
    total: int  # all tasks except the cancelled ones

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def plan_of(mentorship: Mentorship) -> IndividualPlan | None:
    return db.session.scalar(sa.select(IndividualPlan).where(IndividualPlan.mentorship_id == mentorship.id))


def create_plan(mentorship: Mentorship, from_template: bool = True) -> IndividualPlan:
    """A new plan for ``mentorship``: empty, or with the goals and tasks of its form's
    template, due dates counted from the pair's start date."""
    if plan_of(mentorship) is not None:
        raise PlanError("plan_exists")
    plan = IndividualPlan(org_id=mentorship.org_id, mentorship_id=mentorship.id)
    if from_template:
        template = template_for(mentorship.form_code, _mentee_category(mentorship))
        plan.goals = template.goals
        for position, (title, due_on) in enumerate(template.due_dates(mentorship.started_on)):
            plan.tasks.append(PlanTask(org_id=mentorship.org_id, title=title, due_on=due_on, position=position))
    try:
        with db.session.begin_nested():  # a double click: the unique key refuses the second plan
            db.session.add(plan)
    except IntegrityError as exc:
        raise PlanError("plan_exists") from exc
    return plan


def _mentee_category(mentorship: Mentorship) -> str | None:
    return db.session.scalar(
        sa.select(Participant.category)
        .join(MentorshipMentee, MentorshipMentee.participant_id == Participant.id)
        .where(MentorshipMentee.mentorship_id == mentorship.id)
        .limit(1)
    )


def set_goals(plan: IndividualPlan, goals: str | None) -> None:
    plan.goals = (goals or "").strip() or None
    db.session.flush()


def add_task(plan: IndividualPlan, title: str, due_on: date | None) -> PlanTask:
    title = (title or "").strip()
    if not title:
        raise PlanError("title_required", field="title")
    _check_due(plan, due_on)
    last = db.session.scalar(sa.select(sa.func.max(PlanTask.position)).where(PlanTask.plan_id == plan.id))
    task = PlanTask(org_id=plan.org_id, title=title[:500], due_on=due_on, position=(last or 0) + 1)
    plan.tasks.append(task)
    db.session.flush()
    return task


def update_task(task: PlanTask, status: str, due_on: date | None, today: date) -> None:
    """Change a task's status and due date; a task marked done records ``today``."""
    if status not in TASK_STATUSES:
        raise PlanError("bad_status", field="status")
    _check_due(task.plan, due_on)
    if status == "done" and task.status != "done":
        task.done_on = today
    elif status != "done":
        task.done_on = None
    task.status, task.due_on = status, due_on
    db.session.flush()


def delete_task(task: PlanTask) -> None:
    task.plan.tasks.remove(task)  # delete-orphan: the row goes, and the loaded list stays right
    db.session.flush()


def _check_due(plan: IndividualPlan, due_on: date | None) -> None:
    if due_on is not None and due_on < plan.mentorship.started_on:
        raise PlanError("due_before_start", field="due_on")


def progress(tasks) -> Progress:
    counted = [t for t in tasks if t.status != "cancelled"]
    return Progress(done=sum(1 for t in counted if t.status == "done"), total=len(counted))


def is_overdue(task: PlanTask, today: date) -> bool:
    return task.due_on is not None and task.due_on < today and task.status in OPEN_STATUSES


def plans_behind_schedule(org_id: int, today: date) -> int:
    """How many plans of the school's active pairs have at least one overdue task (one query)."""
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(PlanTask.plan_id)))
        .select_from(PlanTask)
        .join(IndividualPlan, IndividualPlan.id == PlanTask.plan_id)
        .join(Mentorship, Mentorship.id == IndividualPlan.mentorship_id)
        .where(
            IndividualPlan.org_id == org_id, Mentorship.status == "active",
            PlanTask.status.in_(OPEN_STATUSES), PlanTask.due_on < today,
        )
    ) or 0
