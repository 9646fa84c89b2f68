"""A pair's completion: intermediate feedback, completion reviews of the mentor and each
mentee. The decision itself is taken on the pair's card (school.pair_complete). The mentor's
awards are recognition's (its register and forms); the page shows them through recognition's
template include, and the old address of the incentives register leads to the awards."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from blueprints.errors import flash_error
from blueprints.pairing import bp
from blueprints.pairing.plan_forms import FeedbackForm, ReviewForm, choices
from blueprints.pairing.plan_views import pair_context, pair_or_404
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.pairing import completion as service
from mentorship.pairing.completion import AUTHOR_LABELS
from tenants.access import school_required


def _review_form(pair, formdata=True) -> ReviewForm:
    # Prefixed ("review-written_on" …): the feedback form on the same page has fields of the same names.
    form = ReviewForm(prefix="review") if formdata else ReviewForm(formdata=None, prefix="review", written_on=region_today())
    form.participant_id.choices = choices({r.participant.id: f"{r.participant.full_name} ({AUTHOR_LABELS[r.role]})"
                                           for r in service.reviewers(pair)})
    return form


def _render(pair, *, feedback_form=None, review_form=None):
    today = region_today()
    return render_template(
        "pairing/completion_show.html", **pair_context(pair, "completion"),
        feedback=service.feedback_of(pair), reviews=service.reviews_of(pair), reviewers=service.reviewers(pair),
        author_labels=AUTHOR_LABELS,
        feedback_form=feedback_form or FeedbackForm(formdata=None, written_on=today),
        review_form=review_form or _review_form(pair, formdata=False),
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


@bp.route("/incentives")
@school_required
def incentives():
    """The former register of incentives: one register now, the awards (recognition)."""
    return redirect(url_for("recognition.awards"), code=301)
