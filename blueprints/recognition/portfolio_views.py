"""Mentors' portfolios: the list of the school's mentors, a mentor's portfolio (awards, pairs
and reviews as counts, contest results and trainings where available, the school's own
entries), entries added, changed, deleted and published one by one (the principal; the
mentor's publication consent required), an entry's file."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.errors import flash_error
from blueprints.pagination import paginate, search_term
from blueprints.recognition import bp
from blueprints.recognition.award_forms import PublishForm
from blueprints.recognition.award_views import is_principal, require_principal
from blueprints.recognition.portfolio_forms import PortfolioItemForm
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from core.uploads import CheckedFile
from mentorship.people.models import Participant
from mentorship.recognition import portfolio as service
from mentorship.recognition.awards import KIND_LABELS as AWARD_LABELS
from mentorship.recognition.portfolio import KIND_LABELS, ItemData
from tenants.access import current_org, get_or_404, school_required


def _org():
    return current_org._get_current_object()


def _item_or_404(item_id: int):
    item = service.load_item(item_id)  # through the tenant scope
    if item is None:
        abort(404)
    return item


def _data(form: PortfolioItemForm) -> ItemData:
    return ItemData(kind=form.kind.data or "", title=form.title.data or "", description=form.description.data,
                    url=form.url.data, happened_on=form.happened_on.data)


def _upload(form: PortfolioItemForm) -> CheckedFile | None:
    upload = form.file.data
    if not upload or not getattr(upload, "filename", None):
        return None
    return service.check_file(upload.filename, upload.read())


@bp.route("/portfolios")
@school_required
def portfolios():
    search = search_term()
    page = paginate(service.mentors_statement(search))
    return render_template("recognition/portfolio_list.html", page=page, search=search,
                           counts=service.counts_of(p.id for p in page.items))


def _render(person: Participant, form: PortfolioItemForm, status: int = 200):
    return render_template(
        "recognition/portfolio_show.html", person=person, p=service.portfolio_of(person, region_today()),
        form=form, publish_form=PublishForm(), kind_labels=KIND_LABELS, award_labels=AWARD_LABELS,
        principal=is_principal(),
    ), status


@bp.route("/mentors/<int:participant_id>/portfolio")
@school_required
def portfolio(participant_id: int):
    person = get_or_404(Participant, participant_id)
    return _render(person, PortfolioItemForm(formdata=None))


@bp.route("/mentors/<int:participant_id>/portfolio/items", methods=["POST"])
@school_required
def portfolio_item_new(participant_id: int):
    person = get_or_404(Participant, participant_id)
    form = PortfolioItemForm()
    if form.validate_on_submit():
        try:
            service.add_item(person, _data(form), org=_org(), today=region_today(), file=_upload(form),
                             user=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
            person = get_or_404(Participant, participant_id)
        else:
            flash(_("The entry is added to the portfolio."), "success")
            return redirect(url_for("recognition.portfolio", participant_id=person.id, _anchor="entries"))
    return _render(person, form, 200)


@bp.route("/portfolio-items/<int:item_id>/edit", methods=["GET", "POST"])
@school_required
def portfolio_item_edit(item_id: int):
    item = _item_or_404(item_id)
    form = PortfolioItemForm(obj=item) if request.method == "GET" else PortfolioItemForm()
    if form.validate_on_submit():
        try:
            service.update_item(item, _data(form), org=_org(), today=region_today(), file=_upload(form),
                                remove_file=bool(form.remove_file.data), user=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
            item = _item_or_404(item_id)
        else:
            flash(_("The entry is saved."), "success")
            return redirect(url_for("recognition.portfolio", participant_id=item.participant_id, _anchor="entries"))
    return render_template("recognition/portfolio_item_edit.html", form=form, item=item)


@bp.route("/portfolio-items/<int:item_id>/delete", methods=["POST"])
@school_required
def portfolio_item_delete(item_id: int):
    item = _item_or_404(item_id)
    person_id = item.participant_id
    if PublishForm().validate_on_submit():
        service.delete_item(item, org=_org(), user=current_user)
        db.session.commit()
        flash(_("The entry is deleted."), "success")
    return redirect(url_for("recognition.portfolio", participant_id=person_id, _anchor="entries"))


@bp.route("/portfolio-items/<int:item_id>/publish", methods=["POST"])
@school_required
def portfolio_item_publish(item_id: int):
    item = _item_or_404(item_id)
    require_principal()
    person_id = item.participant_id
    form = PublishForm()
    if form.validate_on_submit():
        try:
            service.set_item_public(item, form.wants_public, org=_org(), today=region_today(), user=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash_error(error)
        else:
            flash(_("The entry is published.") if form.wants_public else _("The entry is no longer public."),
                  "success")
    return redirect(url_for("recognition.portfolio", participant_id=person_id, _anchor="entries"))


@bp.route("/portfolio-items/<int:item_id>/file")
@school_required
def portfolio_item_file(item_id: int):
    file = service.item_file(item_id)
    if file is None:
        abort(404)
    response = Response(file.data, mimetype=file.content_type)
    # Always a download, never rendered in the page's origin.
    response.headers["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(file.filename, safe="")
    response.headers["Cache-Control"] = "no-store"
    return response
