"""The editor's best practices (/site/practices): drafts, publication, withdrawal, preview."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from blueprints.pagination import paginate, search_term
from blueprints.public import site_bp as bp
from blueprints.public.site_forms import PracticeForm
from blueprints.public.site_views import preview_context, site_org
from blueprints.public.visit import meta
from core.errors import DomainError
from core.extensions import db
from mentorship.public.models import BestPractice
from mentorship.public.pages import page_of
from mentorship.public.practices import (
    PracticeFields,
    delete_practice,
    practices_query,
    save_practice,
    set_practice_public,
)
from tenants.access import admin_required, get_or_404


def _practice(practice_id: int) -> BestPractice:
    practice = get_or_404(BestPractice, practice_id)
    if practice.org_id != site_org().id:
        abort(404)
    return practice


@bp.route("/practices")
@admin_required
def practices():
    search = search_term()
    return render_template("public/site/practice_list.html", page=paginate(practices_query(site_org().id, search)),
                           search=search)


def _save(practice: BestPractice | None):
    form = PracticeForm(obj=practice)
    if form.validate_on_submit():
        try:
            saved = save_practice(site_org(), practice, PracticeFields(form.title.data, form.summary.data,
                                                                         form.text.data))
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The practice has been saved."), "success")
            return redirect(url_for("site.practice_edit", practice_id=saved.id))
    return render_template("public/site/practice_form.html", form=form, practice=practice)


@bp.route("/practices/new", methods=["GET", "POST"])
@admin_required
def practice_new():
    return _save(None)


@bp.route("/practices/<int:practice_id>/edit", methods=["GET", "POST"])
@admin_required
def practice_edit(practice_id: int):
    return _save(_practice(practice_id))


@bp.route("/practices/<int:practice_id>/publish", methods=["POST"])
@admin_required
def practice_publish(practice_id: int):
    practice = _practice(practice_id)
    set_practice_public(site_org(), practice, True)
    db.session.commit()
    flash(_("The practice is published."), "success")
    return redirect(url_for("site.practice_edit", practice_id=practice.id))


@bp.route("/practices/<int:practice_id>/unpublish", methods=["POST"])
@admin_required
def practice_unpublish(practice_id: int):
    practice = _practice(practice_id)
    set_practice_public(site_org(), practice, False)
    db.session.commit()
    flash(_("The practice has been taken down."), "success")
    return redirect(url_for("site.practice_edit", practice_id=practice.id))


@bp.route("/practices/<int:practice_id>/delete", methods=["POST"])
@admin_required
def practice_delete(practice_id: int):
    delete_practice(site_org(), _practice(practice_id))
    db.session.commit()
    flash(_("The practice has been deleted."), "success")
    return redirect(url_for("site.practices"))


@bp.route("/practices/<int:practice_id>/preview")
@admin_required
def practice_preview(practice_id: int):
    org = site_org()
    practice = _practice(practice_id)
    return render_template("public/practice.html", practice=practice,
                           meta=meta(practice.title, practice.summary, "site.practice_preview",
                                     practice_id=practice.id),
                           **preview_context(org, page_of(org)))
