"""A pair's individual plan: created from its form's template or empty, goals, tasks with due
dates and status, progress and overdue tasks. Also the helpers the pair's other work pages
(meetings, completion) share: loading the pair, the link to its card."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.pairing import bp
from blueprints.pairing.plan_forms import PlanGoalsForm, PlanNewForm, PlanTaskEditForm, PlanTaskForm
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.pairing import plans
from mentorship.pairing.models import Mentorship, PlanTask
from mentorship.pairing.pair_queries import load_pair_people
from mentorship.pairing.plans import STATUS_LABELS
from tenants.access import get_or_404, school_required

# -- shared by the pair's work pages ---------------------------------------------------------

def pair_or_404(pair_id: int) -> Mentorship:
    """The school's pair with its programme, mentor and mentees (another school's: 404)."""
    pair = load_pair_people(pair_id)  # through the tenant scope
    if pair is None:
        abort(404)
    return pair


def pair_card_url(pair_id: int) -> str | None:
    """The pair's card (school.pair_show), once the pairs pages provide it."""
    try:
        return url_for("pairing.pair_show", pair_id=pair_id)
    except BuildError:
        return None


def pair_context(pair: Mentorship, active: str) -> dict:
    return {"pair": pair, "pair_card": pair_card_url(pair.id), "active_tab": active}


# -- the plan --------------------------------------------------------------------------------

def _render(pair: Mentorship, *, goals_form=None, task_form=None, edit_form=None, edit_task_id=None, status=200):
    plan = plans.plan_of(pair)
    today = region_today()
    tasks = list(plan.tasks) if plan is not None else []
    edit_forms = {
        t.id: (edit_form if t.id == edit_task_id and edit_form is not None
               else PlanTaskEditForm(formdata=None, status=t.status, due_on=t.due_on))
        for t in tasks
    }
    return render_template(
        "pairing/plan_show.html", **pair_context(pair, "plan"), plan=plan, tasks=tasks,
        progress=plans.progress(tasks), overdue={t.id for t in tasks if plans.is_overdue(t, today)},
        new_form=PlanNewForm(), confirm_form=ConfirmForm(),
        goals_form=goals_form or PlanGoalsForm(formdata=None, goals=plan.goals if plan else None),
        task_form=task_form or PlanTaskForm(formdata=None), edit_forms=edit_forms, status_labels=STATUS_LABELS,
    ), status


def _back(pair_id: int, anchor: str | None = None):
    return redirect(url_for("pairing.plan_show", pair_id=pair_id, _anchor=anchor))


@bp.route("/pairs/<int:pair_id>/plan")
@school_required
def plan_show(pair_id: int):
    return _render(pair_or_404(pair_id))


@bp.route("/pairs/<int:pair_id>/plan/new", methods=["POST"])
@school_required
def plan_new(pair_id: int):
    pair = pair_or_404(pair_id)
    form = PlanNewForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        plans.create_plan(pair, from_template=form.source.data != "empty")
        db.session.commit()
        flash(_("The individual plan is created."), "success")
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    return _back(pair.id)


def _plan_or_redirect(pair: Mentorship):
    plan = plans.plan_of(pair)
    if plan is None:
        flash(_("Create the individual plan first."), "warning")
    return plan


@bp.route("/pairs/<int:pair_id>/plan/goals", methods=["POST"])
@school_required
def plan_goals(pair_id: int):
    pair = pair_or_404(pair_id)
    plan = _plan_or_redirect(pair)
    if plan is None:
        return _back(pair.id)
    form = PlanGoalsForm()
    if not form.validate_on_submit():
        return _render(pair, goals_form=form)
    plans.set_goals(plan, form.goals.data)
    db.session.commit()
    flash(_("The goals are saved."), "success")
    return _back(pair.id)


@bp.route("/pairs/<int:pair_id>/plan/tasks/new", methods=["POST"])
@school_required
def plan_task_new(pair_id: int):
    pair = pair_or_404(pair_id)
    plan = _plan_or_redirect(pair)
    if plan is None:
        return _back(pair.id)
    form = PlanTaskForm()
    if form.validate_on_submit():
        try:
            task = plans.add_task(plan, form.title.data, form.due_on.data)
            db.session.commit()
            flash(_("The task is added."), "success")
            return _back(pair.id, f"t{task.id}")
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
    return _render(pair_or_404(pair_id), task_form=form)


def _task_or_404(task_id: int) -> PlanTask:
    return get_or_404(PlanTask, task_id)


@bp.route("/plan-tasks/<int:task_id>/edit", methods=["POST"])
@school_required
def plan_task_edit(task_id: int):
    task = _task_or_404(task_id)
    pair_id = task.plan.mentorship_id
    form = PlanTaskEditForm()
    if form.validate_on_submit():
        try:
            plans.update_task(task, form.status.data, form.due_on.data, region_today())
            db.session.commit()
            flash(_("The task is saved."), "success")
            return _back(pair_id, f"t{task.id}")
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
    flash(_("The task was not saved: check the highlighted fields."), "danger")
    return _render(pair_or_404(pair_id), edit_form=form, edit_task_id=task.id)


@bp.route("/plan-tasks/<int:task_id>/delete", methods=["POST"])
@school_required
def plan_task_delete(task_id: int):
    task = _task_or_404(task_id)
    pair_id = task.plan.mentorship_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    plans.delete_task(task)
    db.session.commit()
    flash(_("The task is deleted."), "success")
    return _back(pair_id)
