"""Bulk import of participants: template, upload with a full check, preview, confirmation,
progress of the import task, history."""
from __future__ import annotations

import math

import sqlalchemy as sa
from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination

from blueprints.errors import flash_error
from blueprints.pagination import paginate, search_term
from blueprints.people import bp
from blueprints.people.import_forms import ImportRunForm, ImportUploadForm
from core.clock import region_today
from core.enqueue import enqueue_on_commit
from core.errors import DomainError
from core.extensions import db
from mentorship.people.imports.batches import batch_progress, batches_query, create_batch, queue_batch
from mentorship.people.imports.models import ImportBatch
from mentorship.people.imports.reading import MAX_BYTES, FileRefused, preview, template_csv, template_xlsx
from mentorship.region.forms import region_forms
from tasks.people import run_import
from tenants.access import current_org, get_or_404, school_required

ERRORS_PER_PAGE = 100
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ListPagination(Pagination):
    """A page of an in-memory list (a batch's stored errors), for the ``pager`` macro."""

    def _query_items(self) -> list:
        items = self._query_args["items"]
        return items[self._query_offset:self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["items"])


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response


@bp.route("/imports/template.xlsx")
@school_required
def import_template_xlsx():
    forms = [form.name for form in region_forms(current_org.path)]  # listed in the mentor columns' notes
    return _download(template_xlsx(forms), "participants-template.xlsx", XLSX_MIME)


@bp.route("/imports/template.csv")
@school_required
def import_template_csv():
    return _download(template_csv(), "participants-template.csv", "text/csv; charset=utf-8")


@bp.route("/imports")
@school_required
def imports():
    search = search_term()
    return render_template("people/import_list.html", page=paginate(batches_query(current_org.id, search)),
                           search=search)


@bp.route("/imports/new", methods=["GET", "POST"])
@school_required
def import_new():
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_BYTES + 1)
        try:
            batch = create_batch(current_org._get_current_object(), current_user, upload.filename, data,
                                 region_today())
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error, fields={"data": "file"})
        else:
            db.session.commit()
            if batch.status == "valid":
                flash(_("The file is correct: check the first rows and start the import."), "success")
            else:
                flash(_("The file has errors; nothing has been imported. Correct them and upload it again."),
                      "danger")
            return redirect(url_for("people.import_show", batch_id=batch.id))
    return render_template("people/import_new.html", form=form)


@bp.route("/imports/<int:batch_id>")
@school_required
def import_show(batch_id: int):
    batch = get_or_404(ImportBatch, batch_id)
    errors = ListPagination(items=list(batch.errors or []), page=request.args.get("page", 1, type=int) or 1,
                            per_page=ERRORS_PER_PAGE, max_per_page=None, error_out=False)
    headings, rows = [], []
    if batch.status == "valid":
        data = db.session.scalar(sa.select(ImportBatch.data).where(ImportBatch.id == batch.id))
        try:
            headings, rows = preview(batch.filename, data or b"")
        except FileRefused:  # checked on upload; a file that no longer reads shows no preview
            headings, rows = [], []
    percent = math.floor(100 * batch.processed / batch.total) if batch.total else 0
    return render_template("people/import_show.html", batch=batch, errors=errors, headings=headings, rows=rows,
                           form=ImportRunForm(), percent=min(percent, 100))


@bp.route("/imports/<int:batch_id>/run", methods=["POST"])
@school_required
def import_run(batch_id: int):
    batch = get_or_404(ImportBatch, batch_id)
    if not ImportRunForm().validate_on_submit():
        abort(400)
    try:
        queue_batch(batch)
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(url_for("people.import_show", batch_id=batch_id))
    enqueue_on_commit(db.session(), run_import, current_org.id, batch.id)
    db.session.commit()
    flash(_("The import has started."), "success")
    return redirect(url_for("people.import_show", batch_id=batch_id))


@bp.route("/imports/<int:batch_id>/status")
@school_required
def import_status(batch_id: int):
    batch = get_or_404(ImportBatch, batch_id)
    response = jsonify(batch_progress(batch))
    response.headers["Cache-Control"] = "no-store"
    return response
