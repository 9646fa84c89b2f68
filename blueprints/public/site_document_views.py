"""The editor's documents (/site/documents): uploads and snapshots of the approved roadmap, an
analytical report or an award order; publication, withdrawal, download."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from blueprints.errors import flash_error
from blueprints.public import site_bp as bp
from blueprints.public.site_forms import DocumentEditForm, DocumentUploadForm, SourceDocumentForm
from blueprints.public.site_views import site_org
from blueprints.public.visit import CATEGORY_LABELS
from core.errors import DomainError
from core.extensions import db
from mentorship.public import sources
from mentorship.public.documents import (
    add_analytical,
    add_award_order,
    add_roadmap,
    delete_document,
    documents_query,
    file_of,
    publish_document,
    rename_document,
    unpublish_document,
    upload_document,
)
from mentorship.public.models import PublicDocument
from tenants.access import admin_required, get_or_404
from tenants.roles import OrgKind

# What each kind of source is called, which organisations have it, and how it is listed and added.
SOURCE_ENDPOINTS = {"roadmap": "site.document_from_roadmap", "analytical": "site.document_from_report",
                    "award-order": "site.document_from_order"}
SOURCES = {
    "roadmap": (_l("The approved roadmap"), None, sources.roadmap_choices, add_roadmap,
                _l("Roadmap of the target model of mentorship")),
    "analytical": (_l("An analytical report"), (OrgKind.MUNICIPALITY.value, OrgKind.MINISTRY.value),
                   sources.analytical_choices, add_analytical, _l("Analytical report on mentorship")),
    "award-order": (_l("An award order"), (OrgKind.SCHOOL.value,), sources.award_order_choices, add_award_order,
                    _l("Order on the encouragement of participants of mentorship")),
}
SOURCE_FIELDS = {"roadmap_id": "source", "report_id": "source", "order_id": "source"}


def _document(document_id: int) -> PublicDocument:
    document = get_or_404(PublicDocument, document_id)
    if document.org_id != site_org().id:
        abort(404)
    return document


def _available_sources(org) -> dict:
    return {key: spec for key, spec in SOURCES.items() if spec[1] is None or org.kind in spec[1]}


@bp.route("/documents")
@admin_required
def documents():
    org = site_org()
    return render_template("public/site/document_list.html", documents=list(db.session.scalars(documents_query(org.id))),
                           sources=_available_sources(org), endpoints=SOURCE_ENDPOINTS,
                           CATEGORY_LABELS=CATEGORY_LABELS)


@bp.route("/documents/new", methods=["GET", "POST"])
@admin_required
def document_new():
    form = DocumentUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        file = (upload.filename, upload.read()) if upload and getattr(upload, "filename", None) else None
        try:
            upload_document(site_org(), title=form.title.data, category=form.category.data, file=file, user=None)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The document has been added as a draft: publish it to show it."), "success")
            return redirect(url_for("site.documents"))
    return render_template("public/site/document_upload.html", form=form)


def _from_source(kind: str):
    org = site_org()
    spec = _available_sources(org).get(kind)
    if spec is None:
        abort(404)
    label, _kinds, choices, add, default_title = spec
    form = SourceDocumentForm()
    form.set_sources(choices(org))
    if not form.is_submitted():
        form.title.data = str(default_title)
    if form.validate_on_submit():
        try:
            add(org, form.source.data, title=form.title.data, user=None)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error, fields=SOURCE_FIELDS)
        else:
            flash(_("The document has been added as a draft: publish it to show it."), "success")
            return redirect(url_for("site.documents"))
    return render_template("public/site/document_source.html", form=form, label=label, kind=kind)


@bp.route("/documents/from-roadmap", methods=["GET", "POST"])
@admin_required
def document_from_roadmap():
    return _from_source("roadmap")


@bp.route("/documents/from-report", methods=["GET", "POST"])
@admin_required
def document_from_report():
    return _from_source("analytical")


@bp.route("/documents/from-order", methods=["GET", "POST"])
@admin_required
def document_from_order():
    return _from_source("award-order")


@bp.route("/documents/<int:document_id>/edit", methods=["GET", "POST"])
@admin_required
def document_edit(document_id: int):
    document = _document(document_id)
    form = DocumentEditForm(obj=document)
    if form.validate_on_submit():
        try:
            rename_document(site_org(), document, title=form.title.data, category=form.category.data)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The document has been saved."), "success")
            return redirect(url_for("site.documents"))
    return render_template("public/site/document_edit.html", form=form, document=document)


@bp.route("/documents/<int:document_id>/publish", methods=["POST"])
@admin_required
def document_publish(document_id: int):
    document = _document(document_id)
    try:
        publish_document(site_org(), document)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    else:
        flash(_("The document is published."), "success")
    return redirect(url_for("site.documents"))


@bp.route("/documents/<int:document_id>/unpublish", methods=["POST"])
@admin_required
def document_unpublish(document_id: int):
    unpublish_document(site_org(), _document(document_id))
    db.session.commit()
    flash(_("The document has been taken down."), "success")
    return redirect(url_for("site.documents"))


@bp.route("/documents/<int:document_id>/delete", methods=["POST"])
@admin_required
def document_delete(document_id: int):
    delete_document(site_org(), _document(document_id))
    db.session.commit()
    flash(_("The document has been deleted."), "success")
    return redirect(url_for("site.documents"))


@bp.route("/documents/<int:document_id>/download")
@admin_required
def document_download(document_id: int):
    document, data = file_of(site_org().id, _document(document_id).id)
    response = Response(data, mimetype=document.content_type)
    response.headers.set("Content-Disposition", "attachment", filename=document.filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response
