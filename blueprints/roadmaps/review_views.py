"""Approval (согласование) and oversight from above."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.auth.forms import ConfirmForm
from blueprints.pagination import search_term
from blueprints.roadmaps import bp
from blueprints.roadmaps.forms import CommentForm
from blueprints.roadmaps.helpers import owner_of, roadmap_or_404
from blueprints.roadmaps.mailing import mail_org
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.roadmaps import workflow
from mentorship.roadmaps.editing import due_dates
from mentorship.roadmaps.oversight import STATES, municipal_summaries, remind_late_schools, school_states
from tenants import directory
from tenants.access import current_membership, current_org, get_or_404, membership_required
from tenants.models import Organization
from tenants.roles import ADMIN_ROLE, OrgKind


@bp.route("/<int:roadmap_id>/review", methods=["GET", "POST"])
@membership_required
def review(roadmap_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    owner = owner_of(roadmap)
    if not workflow.can_review(current_membership(), roadmap, owner):
        abort(403)
    form = CommentForm()
    if form.validate_on_submit():
        activity_comments = {
            int(key.split("-", 1)[1]): value for key, value in request.form.items()
            if key.startswith("activity-") and key.split("-", 1)[1].isdigit()
        }
        try:
            if request.form.get("decision") == "approve":
                workflow.approve(roadmap, owner, current_membership(), current_user, form.comment.data,
                                 today=region_today())
                message = _("The roadmap has been approved.")
            else:
                workflow.return_for_revision(roadmap, owner, current_membership(), current_user,
                                             form.comment.data, activity_comments)
                message = _("The roadmap has been returned for revision.")
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("roadmaps.show", roadmap_id=roadmap.id))
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
            roadmap = roadmap_or_404(roadmap_id)
    return render_template("roadmaps/review.html", roadmap=roadmap, owner=owner, form=form,
                           due=due_dates(roadmap, region_today()))


def _require_overseer(org: Organization) -> None:
    membership = current_membership()
    if OrgKind(org.kind) == OrgKind.SCHOOL or membership is None:
        abort(404)


@bp.route("/oversight", defaults={"org_id": None})
@bp.route("/oversight/<int:org_id>")
@membership_required
def oversight(org_id: int | None):
    org = get_or_404(Organization, org_id) if org_id else current_org._get_current_object()
    _require_overseer(org)
    search = search_term()
    children = db.session.scalars(directory.children_of(org, search, active_only=True)).all()
    if OrgKind(org.kind) == OrgKind.MUNICIPALITY:
        wanted = request.args.get("state")
        states = school_states(children, region_today())
        if wanted in STATES:
            states = [s for s in states if s.state == wanted]
        return render_template("roadmaps/oversight_schools.html", org=org, states=states, search=search,
                               wanted=wanted, STATES=STATES, remind_form=ConfirmForm(),
                               can_remind=current_membership().org_id == org.id
                               and current_membership().role_enum == ADMIN_ROLE[OrgKind.MUNICIPALITY])
    return render_template("roadmaps/oversight_region.html", org=org,
                           summaries=municipal_summaries(children, region_today()),
                           search=search, STATES=STATES)


@bp.route("/oversight/remind", methods=["POST"])
@membership_required
def remind():
    org = current_org._get_current_object()
    membership = current_membership()
    if OrgKind(org.kind) != OrgKind.MUNICIPALITY or membership.role_enum != ADMIN_ROLE[OrgKind.MUNICIPALITY]:
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    text = _("%(org)s reminds you: submit your mentorship roadmap for approval.", org=org.display_name)
    late = remind_late_schools(org, region_today(), text)
    for state in late:
        mail_org(state.org.id, _("Nastavnik: roadmap reminder"), text, state.roadmap_id)
    db.session.commit()
    flash(_("Reminders sent to %(n)d organisations.", n=len(late)), "success")
    return redirect(url_for("roadmaps.oversight"))
