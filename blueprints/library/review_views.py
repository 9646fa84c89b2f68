"""The municipal body's review of its schools' best practices: the queue and the decision."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.library import bp
from blueprints.library.forms import ReviewForm
from blueprints.pagination import paginate
from core.errors import DomainError
from core.extensions import db
from mentorship.library import access, listing, review
from mentorship.library.catalogue import CATEGORY_LABELS, STATUS_LABELS, STATUSES
from tenants.access import current_membership, current_org, membership_required
from tenants.roles import OrgKind


@bp.route("/review")
@membership_required
def review_queue():
    org = current_org._get_current_object()
    if org.kind != OrgKind.MUNICIPALITY.value:
        abort(404)
    status = request.args.get("status", "submitted")
    status = status if status in STATUSES else ""
    page = paginate(listing.review_query(org, status=status))
    return render_template("library/review_queue.html", page=page, status=status, args={"status": status},
                           CATEGORY_LABELS=CATEGORY_LABELS, STATUS_LABELS=STATUS_LABELS)


@bp.route("/items/<int:item_id>/review", methods=["GET", "POST"])
@membership_required
def review_item(item_id: int):
    acting = current_membership()
    item = access.visible_item(item_id, current_org._get_current_object())
    if not access.can_review(acting, item):
        abort(404 if acting.org_id != item.reviewer_org_id else 403)
    form = ReviewForm()
    if request.method == "GET":
        form.public.data = item.public_requested
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            if form.decision.data == "approve":
                review.approve(acting, user, item, comment=form.comment.data, public=bool(form.public.data))
                message = _("The practice has been approved and published in the region's library.")
            else:
                review.return_for_revision(acting, user, item, comment=form.comment.data)
                message = _("The practice has been returned to the school for revision.")
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(message, "success")
            return redirect(url_for("library.review_queue"))
    return render_template("library/review.html", form=form, item=item, CATEGORY_LABELS=CATEGORY_LABELS)
