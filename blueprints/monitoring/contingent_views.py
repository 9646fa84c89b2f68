"""The school's contingent (контингент): current figures per school year, their history,
entry through a form and import from a CSV file."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.monitoring import bp
from blueprints.monitoring.contingent_forms import ContingentForm, ContingentImportForm
from core.clock import region_today
from core.extensions import db
from mentorship.monitoring import contingent as figures_service
from tenants.access import current_org, school_required


def _page(form: ContingentForm, import_form: ContingentImportForm, problems: list | None = None):
    org = current_org._get_current_object()
    years = figures_service.history(org.id)
    return render_template(
        "monitoring/contingent_index.html", form=form, import_form=import_form, years=years,
        problems=problems or [], label=figures_service.school_year_label,
        columns=figures_service.CSV_COLUMNS,
    )


def _save(form: ContingentForm):
    """Validate and append the figures; None when saved, else the form carries the errors."""
    today = region_today()
    form.set_years(today, figures_service.school_year_of(today))
    if not form.validate_on_submit():
        return False
    values = {name: getattr(form, name).data for name in figures_service.FIELDS}
    try:
        figures = figures_service.parse_figures(form.school_year.data, values, today)
    except figures_service.ContingentError as error:
        form.add_errors(error)
        return False
    figures_service.record_contingent(current_org._get_current_object(), figures, user=current_user)
    db.session.commit()
    flash(_("The figures for %(year)s are saved.", year=figures_service.school_year_label(figures.school_year)), "success")
    return True


@bp.route("/school/contingent", methods=["GET", "POST"])
@school_required
def contingent():
    form = ContingentForm()
    if _save(form):
        return redirect(url_for("monitoring.contingent"))
    return _page(form, ContingentImportForm())


@bp.route("/school/contingent/new", methods=["GET", "POST"])
@school_required
def contingent_new():
    form = ContingentForm()
    if _save(form):
        return redirect(url_for("monitoring.contingent"))
    return render_template("monitoring/contingent_new.html", form=form)


@bp.route("/school/contingent/import", methods=["POST"])
@school_required
def contingent_import():
    today = region_today()
    form = ContingentForm(formdata=None)
    form.set_years(today, figures_service.school_year_of(today))
    import_form = ContingentImportForm()
    if not import_form.validate_on_submit():
        return _page(form, import_form)
    rows, problems = figures_service.parse_contingent_csv(import_form.file.data.read(figures_service.MAX_IMPORT_BYTES + 1), today)
    if problems:
        return _page(form, import_form, problems)
    figures_service.import_contingent(current_org._get_current_object(), rows, user=current_user)
    db.session.commit()
    flash(_("Imported the figures of %(n)d school year(s).", n=len(rows)), "success")
    return redirect(url_for("monitoring.contingent"))


@bp.route("/school/contingent/template.csv")
@school_required
def contingent_template():
    """An empty import file with the expected header (UTF-8 with BOM, ';' as Excel saves)."""
    year = figures_service.school_year_of(region_today())
    body = ";".join(figures_service.CSV_COLUMNS.values()) + "\r\n" + f"{figures_service.school_year_label(year)};0;0;0;0\r\n"
    response = Response("\ufeff" + body, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = "attachment; filename=contingent.csv"
    return response
