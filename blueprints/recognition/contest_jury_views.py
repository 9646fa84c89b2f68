"""The jury: its page (the organiser's managers appoint and remove jurors among the members of
their organisation) and a juror's scoring sheet (their own scores only; no value of another
juror's is ever on it). Another organisation gets a 404; the sheet is a 404 to anyone not on
the jury."""
from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.recognition import bp
from blueprints.recognition.contest_forms import JurorForm
from blueprints.recognition.contest_views import managed_or_404, org, owned_or_404
from core.errors import DomainError
from core.extensions import db
from mentorship.recognition.contests import EDITABLE_JURY, STATUS_LABELS, ContestError, is_juror
from mentorship.recognition.contests_jury import (
    appoint,
    candidates,
    juror_of,
    jurors,
    progress,
    remove,
    save_scores,
    score_field,
    sheet,
)
from tenants.access import membership_required
from tenants.roles import ROLE_LABELS, Role

SCORE_INPUT = re.compile(r"^score-(\d+)-(\d+)$")


def _role_label(role: str) -> str:
    try:
        return str(ROLE_LABELS[Role(role)])
    except (ValueError, KeyError):
        return role


@bp.route("/contests/<int:contest_id>/jury", methods=["GET", "POST"])
@membership_required
def contest_jury(contest_id: int):
    contest = managed_or_404(contest_id)
    form = JurorForm()
    form.user_id.choices = [SelectChoice("", _("Choose a member"))] + [
        SelectChoice(m.user_id, f"{m.name} ({_role_label(m.role)})") for m in candidates(contest)]
    if form.validate_on_submit():
        try:
            appoint(contest, org(), user_id=form.user_id.data, by=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The juror is appointed and notified."), "success")
            return redirect(url_for("recognition.contest_jury", contest_id=contest_id))
    counts = {p.juror.id: p for p in progress(contest)} if contest.status == "judging" else {}
    return render_template("recognition/contest_jury.html", contest=contest, form=form, jurors=jurors(contest),
                           counts=counts, editable=contest.status in EDITABLE_JURY, action_form=ConfirmForm(),
                           statuses=STATUS_LABELS, role_label=_role_label)


@bp.route("/contests/<int:contest_id>/jury/<int:juror_id>/remove", methods=["POST"])
@membership_required
def contest_juror_remove(contest_id: int, juror_id: int):
    contest = managed_or_404(contest_id)
    juror = next((j for j in jurors(contest) if j.id == juror_id), None)
    if juror is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        remove(contest, juror, org(), by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    else:
        flash(_("The juror is removed from the jury, with their scores."), "success")
    return redirect(url_for("recognition.contest_jury", contest_id=contest_id))


def _raw_scores() -> dict[tuple[int, int], str]:
    raw = {}
    for name, value in request.form.items():
        match = SCORE_INPUT.match(name)
        if match:
            raw[(int(match.group(1)), int(match.group(2)))] = value
    return raw


@bp.route("/contests/<int:contest_id>/scores", methods=["GET", "POST"])
@membership_required
def contest_scores(contest_id: int):
    contest = owned_or_404(contest_id)
    if not is_juror(contest, current_user.id):
        abort(404)
    form = ConfirmForm()
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        raw = _raw_scores()
        try:
            save_scores(contest, org(), user=current_user, raw=raw)
            db.session.commit()
        except ContestError as error:
            db.session.rollback()
            for problem in error.problems:
                if problem.field:
                    errors[problem.field] = error.message_of(problem)
                else:
                    flash(error.message_of(problem), "danger")
            if not errors:
                return redirect(url_for("recognition.contest_scores", contest_id=contest_id))
            typed = {score_field(n, c): v for (n, c), v in raw.items()}
            flash(_("Nothing was saved: correct the marked scores."), "danger")
        except DomainError as error:
            db.session.rollback()
            flash_error(error)
            return redirect(url_for("recognition.contest_scores", contest_id=contest_id))
        else:
            flash(_("Your scores are saved."), "success")
            return redirect(url_for("recognition.contest_scores", contest_id=contest_id))
        contest = owned_or_404(contest_id)
    current = sheet(contest, current_user.id)
    return render_template("recognition/contest_scores.html", contest=contest, sheet=current, form=form,
                           errors=errors, typed=typed, score_field=score_field, statuses=STATUS_LABELS,
                           juror=juror_of(contest, current_user.id))
