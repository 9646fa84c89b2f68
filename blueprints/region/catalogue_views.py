"""The region's catalogue of mentorship forms (ministry only; the admin changes it)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.errors import flash_error
from blueprints.region import bp
from blueprints.region.access import MINISTRY_ROLES, admin_only, can_edit, ministry_or_404, region
from blueprints.region.forms import EditMentorshipFormForm, NewMentorshipFormForm
from core.errors import DomainError
from core.extensions import db
from mentorship.region import forms as catalogue
from mentorship.region.forms import CATEGORY_LABELS
from mentorship.region.models import MentorshipForm
from tenants.access import get_or_404, membership_required, roles_required


def _page(add_form=None):
    forms, defaults = catalogue.catalogue(region())
    return render_template(
        "region/forms_catalogue.html", forms=forms, defaults=defaults, add_form=add_form or NewMentorshipFormForm(),
        can_edit=can_edit(), category_labels=CATEGORY_LABELS,
    )


@bp.route("/forms", methods=["GET", "POST"])
@roles_required(*MINISTRY_ROLES)
def forms_catalogue():
    if request.method == "GET":
        return _page()
    admin_only()
    if request.form.get("action") == "edit":  # a default form, named by its code
        return _edit(EditMentorshipFormForm())
    form = NewMentorshipFormForm()
    if not form.validate_on_submit():
        return _page(add_form=form)
    try:
        catalogue.add_form(region(), name=form.name.data,
                           mentor_category=form.mentor_category.data, mentee_category=form.mentee_category.data,
                           mentee_special_needs=form.mentee_special_needs.data)
    except DomainError as error:
        db.session.rollback()
        form.add_errors(error)
        return _page(add_form=form)
    db.session.commit()
    flash(_("The form has been added to the region's catalogue."), "success")
    return redirect(url_for("region.forms_catalogue"))


def _edit(form: EditMentorshipFormForm, code: str | None = None):
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "danger")
        return _page()
    try:
        catalogue.edit_form(region(), code or form.code.data, name=form.name.data, retired=form.retired.data)
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
        return _page()
    db.session.commit()
    flash(_("The form has been saved."), "success")
    return redirect(url_for("region.forms_catalogue"))


@bp.route("/forms/<int:form_id>/edit", methods=["POST"])
@membership_required
def form_edit(form_id: int):
    ministry_or_404()
    row = get_or_404(MentorshipForm, form_id)
    admin_only()
    return _edit(EditMentorshipFormForm(), code=row.code)
