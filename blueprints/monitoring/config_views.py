"""The monitoring's configuration (ministry only): the indicators and their targets table,
the region's reference figures. The analyst reads, the ministry admin changes (403
otherwise); routes with an id answer 404 to anyone outside the ministry. The rules live in
mentorship/monitoring/indicators.py, targets.py and figures.py."""
from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.errors import flash_error
from blueprints.monitoring import bp
from blueprints.monitoring.forms import IndicatorEditForm, IndicatorForm, TableForm
from blueprints.region.access import MINISTRY_ROLES, admin_only, can_edit, ministry_or_404, region
from core.errors import DomainError
from core.extensions import db
from mentorship.monitoring import figures
from mentorship.monitoring import indicators as indicator_service
from mentorship.monitoring import targets as target_service
from mentorship.monitoring.facts import DENOMINATOR_FACTS, NUMERATOR_FACTS
from mentorship.monitoring.models import Indicator
from tenants.access import get_or_404, membership_required, roles_required

TARGET_CELL = re.compile(r"^target-(?P<code>[a-z][a-z0-9_]*)-(?P<year>\d{4})$")
FIGURE_CELL = re.compile(r"^figure-(?P<year>\d{4})-(?P<column>[a-z0-9_]+)$")


# -- indicators ---------------------------------------------------------------------------

def _indicators_page(new_form=None):
    indicators, defaults = indicator_service.indicator_list(region())
    return render_template(
        "monitoring/config_indicators.html", indicators=indicators, defaults=defaults,
        new_form=new_form or IndicatorForm(), can_edit=can_edit(),
        numerator_facts=NUMERATOR_FACTS, denominator_facts=DENOMINATOR_FACTS,
    )


@bp.route("/monitoring/indicators", methods=["GET", "POST"])
@roles_required(*MINISTRY_ROLES)
def indicators():
    if request.method == "GET":
        return _indicators_page()
    admin_only()  # POST: a standard indicator not saved yet, named by its code
    return _edit_indicator(IndicatorEditForm())


@bp.route("/monitoring/indicators/new", methods=["POST"])
@roles_required(*MINISTRY_ROLES)
def indicator_new():
    admin_only()
    form = IndicatorForm()
    if not form.validate_on_submit():
        return _indicators_page(new_form=form)
    try:
        indicator_service.add_indicator(region(), name=form.name.data, numerator=form.numerator.data,
                                        denominator=form.denominator.data)
    except DomainError as error:
        db.session.rollback()
        form.add_errors(error)
        return _indicators_page(new_form=form)
    db.session.commit()
    flash(_("The indicator has been added."), "success")
    return redirect(url_for("monitoring.indicators"))


def _edit_indicator(form: IndicatorEditForm, code: str | None = None):
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "danger")
        return _indicators_page()
    try:
        indicator_service.edit_indicator(
            region(), code or form.code.data, name=form.name.data, retired=form.retired.data,
            numerator=form.numerator.data or None, denominator=form.denominator.data or None)
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
        return _indicators_page()
    db.session.commit()
    flash(_("The indicator has been saved."), "success")
    return redirect(url_for("monitoring.indicators"))


@bp.route("/monitoring/indicators/<int:indicator_id>/edit", methods=["POST"])
@membership_required
def indicator_edit(indicator_id: int):
    ministry_or_404()
    row = get_or_404(Indicator, indicator_id)
    admin_only()
    return _edit_indicator(IndicatorEditForm(), code=row.code)


# -- targets ------------------------------------------------------------------------------

@bp.route("/monitoring/targets", methods=["GET", "POST"])
@roles_required(*MINISTRY_ROLES)
def targets():
    form = TableForm()
    typed: dict[tuple[str, int], str] = {}
    problems = []
    if request.method == "POST":
        admin_only()
        if form.validate_on_submit():
            for name, raw in request.form.items():
                match = TARGET_CELL.match(name)
                if match:
                    typed[(match["code"], int(match["year"]))] = raw
            problems = target_service.save_targets(region(), typed)
            if not problems:
                db.session.commit()
                flash(_("The targets have been saved."), "success")
                return redirect(url_for("monitoring.targets"))
            db.session.rollback()
    rows, years = target_service.targets_table(region())
    return render_template(
        "monitoring/config_targets.html", form=form, rows=rows, years=years, typed=typed, problems=problems,
        bad={p.key for p in problems}, can_edit=can_edit(), fmt=target_service.format_target,
    )


# -- the region's reference figures ---------------------------------------------------------

@bp.route("/monitoring/figures", methods=["GET", "POST"])
@roles_required(*MINISTRY_ROLES)
def region_figures():
    form = TableForm()
    typed: dict[tuple[int, str], str] = {}
    problems = []
    if request.method == "POST":
        admin_only()
        if form.validate_on_submit():
            for name, raw in request.form.items():
                match = FIGURE_CELL.match(name)
                if match:
                    typed[(int(match["year"]), match["column"])] = raw
            problems = figures.save_figures(region(), typed)
            if not problems:
                db.session.commit()
                flash(_("The reference figures have been saved."), "success")
                return redirect(url_for("monitoring.region_figures"))
            db.session.rollback()
    saved = figures.figure_rows(region())
    years = target_service.table_years(saved)
    return render_template(
        "monitoring/config_figures.html", form=form, saved=saved, years=years, columns=figures.FIGURE_COLUMNS,
        labels=figures.FIGURE_LABELS, typed=typed, problems=problems, bad={p.key for p in problems},
        warnings=figures.figure_warnings(region()), can_edit=can_edit(),
    )
