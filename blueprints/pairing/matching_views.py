"""Matching runs: start one for a programme, review the draft pairs and groups with their
reasons (the preferences not met included), reassign a mentee, discard or publish the run
with the day its pairs start (default today)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.pairing import bp
from blueprints.pairing.pair_forms import PublishForm
from blueprints.pairing.programme_forms import ProposalForm
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.pairing import matching as matching_runs
from mentorship.pairing.models import MatchingRun, MatchProposal, Programme
from tenants.access import current_org, get_or_404, school_required


def _org():
    return current_org._get_current_object()


def _run_or_404(run_id: int) -> MatchingRun:
    get_or_404(MatchingRun, run_id)  # through the tenant scope first
    run = matching_runs.run_with_proposals(run_id)
    if run is None:
        abort(404)
    return run


@bp.route("/programmes/<int:programme_id>/matching", methods=["POST"])
@school_required
def matching_start(programme_id: int):
    programme = get_or_404(Programme, programme_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        run = matching_runs.start_run(programme, org=_org(), user=current_user)
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(url_for("pairing.programme_show", programme_id=programme.id))
    db.session.commit()
    flash(_("The matching run is ready: review the draft pairs and publish them."), "success")
    return redirect(url_for("pairing.matching_show", run_id=run.id))


@bp.route("/matching/<int:run_id>")
@school_required
def matching_show(run_id: int):
    run = _run_or_404(run_id)
    groups, unmatched = matching_runs.grouped(run)
    publish_form = PublishForm(formdata=None)
    publish_form.started_on.data = region_today()
    names = matching_runs.partner_names(run.proposals)
    return render_template(
        "pairing/matching_show.html", run=run, programme=run.programme, groups=groups, unmatched=unmatched,
        describe=lambda reason: matching_runs.describe(reason, names), form=ConfirmForm(), publish_form=publish_form,
        paired_since=matching_runs.paired_since(run) if run.status == "draft" else set(),
        same_form=matching_runs.same_form_pairs(run) if run.status == "draft" else {},
    )


@bp.route("/matching/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@school_required
def proposal_edit(proposal_id: int):
    proposal = get_or_404(MatchProposal, proposal_id)
    run = proposal.run
    back = url_for("pairing.matching_show", run_id=run.id, _anchor=f"p{proposal.id}")
    try:
        matching_runs.require_draft(run)
        candidates = matching_runs.gather(run.programme)
    except DomainError as error:
        flash_error(error)
        return redirect(back)
    taken = matching_runs.places_taken(run)
    form = ProposalForm()
    form.mentor.choices = [SelectChoice("", _("— no mentor (unmatched)"))] + [
        SelectChoice(m.id, _("%(name)s — free places: %(n)d", name=m.full_name,
                             n=candidates.free[m.id] - taken.get(m.id, 0) + (1 if m.id == proposal.mentor_id else 0)))
        for m in candidates.mentors
    ]
    if proposal.mentor_id is not None and proposal.mentor_id not in candidates.free:
        form.mentor.choices.append(SelectChoice(proposal.mentor_id, proposal.mentor.full_name))
    if request.method == "GET":
        form.mentor.data = proposal.mentor_id
    elif form.validate_on_submit():
        try:
            matching_runs.edit_proposal(proposal, form.mentor.data, org=_org(), user=current_user)
        except DomainError as error:
            db.session.rollback()
            flash_error(error)
        else:
            db.session.commit()
            flash(_("The proposal has been changed."), "success")
        return redirect(back)
    else:
        return render_template("pairing/matching_proposal.html", proposal=proposal, run=run, form=form), 400
    return render_template("pairing/matching_proposal.html", proposal=proposal, run=run, form=form)


@bp.route("/matching/<int:run_id>/discard", methods=["POST"])
@school_required
def matching_discard(run_id: int):
    run = get_or_404(MatchingRun, run_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        matching_runs.discard_run(run, org=_org(), user=current_user)
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(url_for("pairing.matching_show", run_id=run.id))
    db.session.commit()
    flash(_("The matching run has been discarded."), "success")
    return redirect(url_for("pairing.programme_show", programme_id=run.programme_id))


@bp.route("/matching/<int:run_id>/publish", methods=["POST"])
@school_required
def matching_publish(run_id: int):
    run = _run_or_404(run_id)
    form = PublishForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        for error in form.started_on.errors:
            flash(f"{form.started_on.label.text}: {error}", "danger")
        return redirect(url_for("pairing.matching_show", run_id=run_id))
    try:
        created = matching_runs.publish_run(run, org=_org(), user=current_user, on=form.started_on.data or None)
    except DomainError as error:
        db.session.rollback()  # all or nothing: no pair of the run is kept
        flash_error(error)
        return redirect(url_for("pairing.matching_show", run_id=run_id))
    db.session.commit()
    flash(_("Published: %(n)d pairs and groups.", n=len(created)), "success")
    return redirect(url_for("pairing.programme_show", programme_id=run.programme_id))
