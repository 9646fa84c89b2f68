"""A pair's completion: intermediate feedback, completion reviews of the mentor and each
mentee, the mentor's incentives; the school's register of incentives. The decision itself
is taken on the pair's card (school.pair_complete)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from blueprints.errors import flash_error
from blueprints.pagination import paginate, search_term
from blueprints.pairing import bp
from blueprints.pairing.plan_forms import FeedbackForm, IncentiveForm, ReviewForm, choices
from blueprints.pairing.plan_views import pair_context, pair_or_404
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.pairing import completion as service
from mentorship.pairing.completion import AUTHOR_LABELS, INCENTIVE_LABELS
from tenants.access import current_org, school_required


def _review_form(pair, formdata=True) -> ReviewForm:
    form = ReviewForm() if formdata else ReviewForm(formdata=None, written_on=region_today())
    form.participant_id.choices = choices({r.participant.id: f"{r.participant.full_name} ({AUTHOR_LABELS[r.role]})"
                                           for r in service.reviewers(pair)})
    return form


def _render(pair, *, feedback_form=None, review_form=None, incentive_form=None):
    today = region_today()
    return render_template(
        "pairing/completion_show.html", **pair_context(pair, "completion"),
        feedback=service.feedback_of(pair), reviews=service.reviews_of(pair), reviewers=service.reviewers(pair),
        incentives=service.incentives_of(pair), author_labels=AUTHOR_LABELS, incentive_labels=INCENTIVE_LABELS,
        feedback_form=feedback_form or FeedbackForm(formdata=None, written_on=today),
        review_form=review_form or _review_form(pair, formdata=False),
        incentive_form=incentive_form or IncentiveForm(formdata=None, awarded_on=today),
    )


def _refused(form, error: DomainError) -> None:
    """Roll back; each problem beside its field, and above the page (the form may be further down)."""
    db.session.rollback()
    form.add_errors(error)
    flash_error(error)


def _back(pair_id: int, anchor: str):
    return redirect(url_for("pairing.completion", pair_id=pair_id, _anchor=anchor))


@bp.route("/pairs/<int:pair_id>/completion")
@school_required
def completion(pair_id: int):
    return _render(pair_or_404(pair_id))


@bp.route("/pairs/<int:pair_id>/feedback/new", methods=["POST"])
@school_required
def feedback_new(pair_id: int):
    pair = pair_or_404(pair_id)
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            service.add_feedback(pair, author_role=form.author_role.data, written_on=form.written_on.data,
                                 rating=form.rating.data, text=form.text.data, today=region_today())
            db.session.commit()
            flash(_("The feedback is recorded."), "success")
            return _back(pair.id, "feedback")
        except DomainError as error:
            _refused(form, error)
            pair = pair_or_404(pair_id)
    return _render(pair, feedback_form=form)


@bp.route("/pairs/<int:pair_id>/reviews/new", methods=["POST"])
@school_required
def review_new(pair_id: int):
    pair = pair_or_404(pair_id)
    form = _review_form(pair)
    if form.validate_on_submit():
        try:
            service.add_review(pair, participant_id=form.participant_id.data, written_on=form.written_on.data,
                               rating=form.rating.data, text=form.text.data, today=region_today())
            db.session.commit()
            flash(_("The completion review is recorded."), "success")
            return _back(pair.id, "reviews")
        except DomainError as error:
            _refused(form, error)
            pair = pair_or_404(pair_id)
    return _render(pair, review_form=form)


@bp.route("/pairs/<int:pair_id>/incentives/new", methods=["POST"])
@school_required
def incentive_new(pair_id: int):
    pair = pair_or_404(pair_id)
    form = IncentiveForm()
    if form.validate_on_submit():
        try:
            service.add_incentive(pair, kind=form.kind.data, awarded_on=form.awarded_on.data, note=form.note.data,
                                  today=region_today())
            db.session.commit()
            flash(_("The incentive is recorded."), "success")
            return _back(pair.id, "incentives")
        except DomainError as error:
            _refused(form, error)
            pair = pair_or_404(pair_id)
    return _render(pair, incentive_form=form)


@bp.route("/incentives")
@school_required
def incentives():
    search = search_term()
    page = paginate(service.incentives_stmt(current_org.id, search))
    return render_template("pairing/completion_incentives.html", page=page, search=search,
                           incentive_labels=INCENTIVE_LABELS)
