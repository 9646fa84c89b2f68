"""Results: the organiser's page once judging is closed (each juror's total, the combined score,
the places with ties), closing and reopening judging, and the confirmation that publishes them.
Only the organiser sees a score before publication: anyone else gets a 404; a juror of the
organiser sees the page once judging is closed."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.auth.forms import ConfirmForm
from blueprints.recognition import bp
from blueprints.recognition.contest_views import org, owned_or_404, step
from mentorship.recognition.contests import AGGREGATION_LABELS, STATUS_LABELS, can_manage
from mentorship.recognition.contests_results import (
    REVEALED,
    close_judging,
    gaps,
    publish,
    published_results,
    reopen_judging,
    results,
)
from tenants.access import current_membership, membership_required


@bp.route("/contests/<int:contest_id>/results")
@membership_required
def contest_results(contest_id: int):
    contest = owned_or_404(contest_id)
    context = {"contest": contest, "statuses": STATUS_LABELS, "aggregations": AGGREGATION_LABELS,
               "can_manage": can_manage(contest, current_membership()), "action_form": ConfirmForm(),
               "revealed": contest.status in REVEALED, "jury": [], "groups": [], "gaps": None, "published": []}
    if contest.status in REVEALED:
        context["jury"], context["groups"] = results(contest)
        context["published"] = published_results(contest) if contest.status == "published" else []
    elif contest.status == "judging":
        context["gaps"] = gaps(contest)
    return render_template("recognition/contest_results.html", **context)


@bp.route("/contests/<int:contest_id>/close-judging", methods=["POST"])
@membership_required
def contest_close_judging(contest_id: int):
    return step(contest_id, lambda c: close_judging(c, org(), user=current_user),
                _("Judging is closed: check the results and confirm them."), "recognition.contest_results")


@bp.route("/contests/<int:contest_id>/reopen-judging", methods=["POST"])
@membership_required
def contest_reopen_judging(contest_id: int):
    return step(contest_id, lambda c: reopen_judging(c, org(), user=current_user),
                _("Judging is open again: the jurors may correct their scores."))


@bp.route("/contests/<int:contest_id>/publish", methods=["POST"])
@membership_required
def contest_publish(contest_id: int):
    return step(contest_id, lambda c: publish(c, org(), user=current_user),
                _("The results are confirmed and published."), "recognition.contest_results")
