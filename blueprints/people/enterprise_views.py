"""A school's partner enterprises: list, new, edit (no deletion: people may be linked)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from blueprints.pagination import paginate, search_term
from blueprints.people import bp
from blueprints.people.participant_forms import EnterpriseForm
from core.errors import DomainError
from core.extensions import db
from mentorship.people.enterprises import enterprises_query, people_counts, save_enterprise
from mentorship.people.models import Enterprise
from tenants.access import current_org, get_or_404, school_required


def _org():
    return current_org._get_current_object()


@bp.route("/enterprises")
@school_required
def enterprises():
    search = search_term()
    page = paginate(enterprises_query(_org().id, search))
    return render_template("people/enterprise_list.html", page=page, search=search,
                           counts=people_counts(e.id for e in page.items))


def _save(enterprise: Enterprise | None):
    org = _org()
    form = EnterpriseForm(obj=enterprise)
    if form.validate_on_submit():
        try:
            save_enterprise(enterprise, org.id, form.name.data, form.inn.data, form.contact.data)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The enterprise has been saved."), "success")
            return redirect(url_for("people.enterprises"))
    return render_template("people/enterprise_form.html", form=form, enterprise=enterprise)


@bp.route("/enterprises/new", methods=["GET", "POST"])
@school_required
def enterprise_new():
    return _save(None)


@bp.route("/enterprises/<int:enterprise_id>/edit", methods=["GET", "POST"])
@school_required
def enterprise_edit(enterprise_id: int):
    enterprise = get_or_404(Enterprise, enterprise_id)
    if enterprise.org_id != _org().id:  # shared upward, but only the school itself edits it
        abort(404)
    return _save(enterprise)
