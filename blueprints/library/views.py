"""The library: the search, an organisation's own materials, a material's page, making and
changing materials, new versions, downloads, publication and withdrawal."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.library import bp
from blueprints.library.forms import ItemForm, NewItemForm, SubmitForm, VersionForm, category_choices
from blueprints.pagination import paginate, search_term
from core.errors import DomainError
from core.extensions import db
from mentorship.library import access, items, listing, review
from mentorship.library.catalogue import CATEGORIES, CATEGORY_LABELS, PRACTICE, STATUS_LABELS, STATUSES
from mentorship.library.models import LibraryItem
from mentorship.region.forms import region_forms
from tenants.access import current_membership, current_org, membership_required


def _org():
    return current_org._get_current_object()


def _user():
    return current_user._get_current_object()


def _filters() -> listing.LibraryFilters:
    category = request.args.get("category", "")
    return listing.LibraryFilters(search=search_term(), category=category if category in CATEGORIES else "",
                                  form=(request.args.get("form") or "")[:26])


def _args(filters: listing.LibraryFilters, **extra) -> dict:
    args = {"q": filters.search, "category": filters.category, "form": filters.form, **extra}
    return {k: v for k, v in args.items() if v}


def _common(org) -> dict:
    return {"CATEGORY_LABELS": CATEGORY_LABELS, "STATUS_LABELS": STATUS_LABELS,
            "forms": region_forms(org.path), "form_names": items.form_names(org.path),
            "codes_of": items.codes_of, "is_reviewer": org.kind == "municipality",
            "can_create": access.can_create(current_membership())}


@bp.route("/")
@membership_required
def index():
    """What the organisation may read, found by words in Russian, a category, a form."""
    org = _org()
    filters = _filters()
    page = paginate(listing.search_query(org, filters))
    return render_template("library/index.html", page=page, filters=filters, args=_args(filters), **_common(org))


@bp.route("/mine")
@membership_required
def mine():
    org = _org()
    filters = _filters()
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    page = paginate(listing.own_query(org, filters, status))
    return render_template("library/mine.html", page=page, filters=filters, status=status,
                           args=_args(filters, status=status), **_common(org))


def _set_form_choices(form: ItemForm, org, item: LibraryItem | None = None) -> None:
    kept = set(items.codes_of(item)) if item else set()
    names = items.form_names(org.path)
    current = [f.code for f in region_forms(org.path)]
    codes = current + [code for code in kept if code not in current]
    form.form_codes.choices = [SelectChoice(code, names.get(code, code)) for code in codes]
    if access.is_school(org):
        form.category.choices = category_choices({PRACTICE})
        if isinstance(form, NewItemForm):
            del form.publish
    if isinstance(form, NewItemForm) and access.is_school(org):
        del form.public


def _data(form: ItemForm) -> items.ItemData:
    return items.ItemData(category=form.category.data, title=form.title.data, description=form.description.data,
                          form_codes=form.form_codes.data or [], keywords=form.keywords.data)


def _upload(field):
    """(filename, bytes) of an uploaded file field (empty when nothing was chosen)."""
    storage = field.data
    if storage is None or not getattr(storage, "filename", None):
        return "", b""
    return storage.filename, storage.read()


@bp.route("/new", methods=["GET", "POST"])
@membership_required
def new():
    acting = current_membership()
    if not access.can_create(acting):
        abort(403)
    org = _org()
    form = NewItemForm()
    _set_form_choices(form, org)
    if form.validate_on_submit():
        try:
            filename, data = _upload(form.file)
            item = items.create_item(
                acting, _user(), _data(form), filename, data, note=form.note.data,
                publish=bool(form.publish.data) if "publish" in form else False,
                public=bool(form.public.data) if "public" in form else False)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The material has been saved."), "success")
            return redirect(url_for("library.show", item_id=item.id))
    return render_template("library/form.html", form=form, item=None, **_common(org))


def _visible(item_id: int) -> LibraryItem:
    return access.visible_item(item_id, _org())


@bp.route("/items/<int:item_id>")
@membership_required
def show(item_id: int):
    org = _org()
    acting = current_membership()
    item = _visible(item_id)
    submit_form = SubmitForm(public=item.public_requested)
    return render_template(
        "library/show.html", item=item, can_edit=access.can_edit(acting, item),
        can_review=access.can_review(acting, item), own=item.org_id == org.id,
        school_owner=item.org_id == org.id and access.is_school(org),
        can_public_on=review.can_set_public(acting, item, True), can_public_off=review.can_set_public(acting, item, False),
        form=ConfirmForm(), submit_form=submit_form, **_common(org),
    )


def _editable(item_id: int) -> LibraryItem:
    item = _visible(item_id)
    if item.org_id != _org().id:
        abort(404)
    if not access.can_edit(current_membership(), item):
        abort(403)
    return item


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@membership_required
def edit(item_id: int):
    item = _editable(item_id)
    org = _org()
    form = ItemForm(obj=item)
    _set_form_choices(form, org, item)
    if request.method == "GET":
        form.form_codes.data = items.codes_of(item)
    if form.validate_on_submit():
        try:
            items.update_item(current_membership(), item, _data(form))
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The material has been saved."), "success")
            return redirect(url_for("library.show", item_id=item.id))
    return render_template("library/form.html", form=form, item=item, **_common(org))


@bp.route("/items/<int:item_id>/versions/new", methods=["GET", "POST"])
@membership_required
def new_version(item_id: int):
    item = _editable(item_id)
    form = VersionForm()
    if form.validate_on_submit():
        try:
            filename, data = _upload(form.file)
            items.add_version(current_membership(), _user(), item, filename, data, form.note.data)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The new version has been uploaded; the earlier ones stay available."), "success")
            return redirect(url_for("library.show", item_id=item.id))
    return render_template("library/version_form.html", form=form, item=item)


def _send(item: LibraryItem, version_id: int | None) -> Response:
    version = access.visible_version(item, version_id)
    items.record_download(version.id, item.id)
    db.session.commit()
    response = Response(version.data, mimetype=version.content_type)
    # Always a download, never rendered in the page's origin.
    response.headers["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(version.filename, safe="")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/items/<int:item_id>/download")
@membership_required
def download(item_id: int):
    """The latest version."""
    return _send(_visible(item_id), None)


@bp.route("/items/<int:item_id>/versions/<int:version_id>/download")
@membership_required
def download_version(item_id: int, version_id: int):
    """A given version: its link keeps working after newer uploads."""
    return _send(_visible(item_id), version_id)


def _action(item_id: int, action, message: str, *, form=None, back: str = "library.show"):
    item = _visible(item_id)
    form = form or ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        action(item, form)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    else:
        flash(message, "success")
    if back == "library.mine":
        return redirect(url_for("library.mine"))
    return redirect(url_for(back, item_id=item_id))


@bp.route("/items/<int:item_id>/publish", methods=["POST"])
@membership_required
def publish(item_id: int):
    return _action(item_id, lambda item, f: items.publish_item(current_membership(), item),
                   _("The material has been published to the organisations below."))


@bp.route("/items/<int:item_id>/withdraw", methods=["POST"])
@membership_required
def withdraw(item_id: int):
    def action(item, _form):
        acting = current_membership()
        if access.can_review(acting, item):
            review.withdraw_practice(acting, item)
        else:
            items.withdraw_item(acting, item)
    return _action(item_id, action, _("The material has been withdrawn from the library."))


@bp.route("/items/<int:item_id>/delete", methods=["POST"])
@membership_required
def delete(item_id: int):
    return _action(item_id, lambda item, f: items.delete_draft(current_membership(), item),
                   _("The draft has been deleted."), back="library.mine")


@bp.route("/items/<int:item_id>/public", methods=["POST"])
@membership_required
def set_public(item_id: int):
    public = request.form.get("public") == "1"
    return _action(item_id, lambda item, f: review.set_public(current_membership(), item, public),
                   _("The material will be shown on the public pages while it is published.") if public
                   else _("The material is no longer shown on the public pages."))


@bp.route("/items/<int:item_id>/submit", methods=["POST"])
@membership_required
def submit(item_id: int):
    return _action(item_id, lambda item, f: review.submit(current_membership(), item, public=bool(f.public.data)),
                   _("The practice has been sent to the municipal body for review."), form=SubmitForm())

