"""Super-admin: the regions of the service and their ministries."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.orgs.invitations import send_invitation
from blueprints.pagination import paginate, search_term
from blueprints.superadmin import bp
from blueprints.superadmin.forms import RegionForm
from core.errors import DomainError
from core.extensions import db
from tenants import directory
from tenants.access import superadmin_required
from tenants.regions import create_region


@bp.route("/regions")
@superadmin_required
def regions():
    search = search_term()
    page = paginate(directory.regions(search))
    counts = directory.child_counts([o.id for o in page.items])
    return render_template("superadmin/regions.html", page=page, search=search, child_counts=counts)


@bp.route("/regions/new", methods=["GET", "POST"])
@superadmin_required
def new_region():
    form = RegionForm()
    if form.validate_on_submit():
        try:
            ministry, invitation = create_region(
                region_name=form.region_name.data, name=form.name.data, short_name=form.short_name.data or None,
                admin_email=form.admin_email.data, admin_name=form.admin_name.data or None, superadmin=current_user,
            )
        except DomainError as error:  # the region exists; its administrator is already a member
            db.session.rollback()
            form.add_errors(error, fields={"email": "admin_email"})
        else:
            send_invitation(invitation, ministry)
            db.session.commit()
            flash(_("The region has been created and the administrator invited."), "success")
            return redirect(url_for("superadmin.regions"))
    return render_template("superadmin/new_region.html", form=form)
