"""The ministry's region configuration: the catalogue of mentorship forms, the indicators and
their targets table, the region's reference figures, the monitoring calendar.

Ministry users only: the analyst reads, the ministry admin changes (403 otherwise). Pages
without ids refuse other roles with 403 (``roles_required``); routes with an id answer 404
to anyone outside the ministry. The rules live in mentorship/monitoring/config.py."""
from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from blueprints.monitoring import bp
from blueprints.monitoring.forms import (
    CalendarForm,
    EditMentorshipFormForm,
    IndicatorEditForm,
    IndicatorForm,
    NewMentorshipFormForm,
    TableForm,
)
from core.extensions import db
from mentorship.monitoring import config
from mentorship.region.forms import CATEGORY_LABELS
from mentorship.region.models import MentorshipForm
from mentorship.monitoring.facts import DENOMINATOR_FACTS, NUMERATOR_FACTS
from mentorship.monitoring.models import Indicator
from tenants.access import current_membership, current_org, get_or_404, membership_required, roles_required
from tenants.models import Organization
from tenants.roles import OrgKind, Role

MINISTRY_ROLES = (Role.MINISTRY_ADMIN, Role.MINISTRY_ANALYST)
TARGET_CELL = re.compile(r"^target-(?P<code>[a-z][a-z0-9_]*)-(?P<year>\d{4})$")
FIGURE_CELL = re.compile(r"^figure-(?P<year>\d{4})-(?P<column>[a-z0-9_]+)$")


# -- access helpers (shared with period_views) ----------------------------------------------

def region() -> Organization:
    return current_org._get_current_object()


def can_edit() -> bool:
    membership = current_membership()
    return membership is not None and membership.role == Role.MINISTRY_ADMIN.value


def admin_only() -> None:
    if not can_edit():
        abort(403)


def ministry_or_404() -> None:
    """For routes with an id: outside the ministry the object does not exist."""
    membership = current_membership()
    if membership is None or membership.org.kind != OrgKind.MINISTRY.value:
        abort(404)


def _changed(change, success: str, to: str):
    """Apply ``change()`` and commit, or roll back and return the error message."""
    try:
        change()
    except config.ConfigError as exc:
        db.session.rollback()
        return exc.message
    db.session.commit()
    flash(success, "success")
    return redirect(to)


# -- the catalogue of forms -----------------------------------------------------------------

def _catalogue_page(add_form=None, problem: str | None = None, status: int = 200):
    forms, defaults = config.catalogue(region())
    return render_template(
        "monitoring/config_forms.html", forms=forms, defaults=defaults, add_form=add_form or NewMentorshipFormForm(),
        problem=problem, can_edit=can_edit(), category_labels=CATEGORY_LABELS,
    ), status


@bp.route("/monitoring/forms", methods=["GET", "POST"])
@roles_required(*MINISTRY_ROLES)
def forms_catalogue():
    if request.method == "GET":
        return _catalogue_page()
    admin_only()
    if request.form.get("action") == "edit":  # a default form, named by its code
        return _edit_form(EditMentorshipFormForm())
    form = NewMentorshipFormForm()
    if not form.validate_on_submit():
        return _catalogue_page(add_form=form)
    done = _changed(lambda: config.add_form(
        region(), code=form.code.data, name=form.name.data, mentor_category=form.mentor_category.data,
        mentee_category=form.mentee_category.data, mentee_special_needs=form.mentee_special_needs.data,
    ), _("The form has been added to the region's catalogue."), url_for("monitoring.forms_catalogue"))
    if isinstance(done, str):
        form.form_errors.append(done)
        return _catalogue_page(add_form=form)
    return done


def _edit_form(form: EditMentorshipFormForm, code: str | None = None):
    if not form.validate_on_submit():
        return _catalogue_page(problem="; ".join(str(e) for errors in form.errors.values() for e in errors))
    done = _changed(lambda: config.edit_form(region(), code or form.code.data, name=form.name.data,
                                             retired=form.retired.data),
                    _("The form has been saved."), url_for("monitoring.forms_catalogue"))
    return _catalogue_page(problem=done) if isinstance(done, str) else done


@bp.route("/monitoring/forms/<int:form_id>/edit", methods=["POST"])
@membership_required
def form_edit(form_id: int):
    ministry_or_404()
    row = get_or_404(MentorshipForm, form_id)
    admin_only()
    return _edit_form(EditMentorshipFormForm(), code=row.code)


# -- indicators ---------------------------------------------------------------------------

def _indicators_page(new_form=None, problem: str | None = None):
    indicators, defaults = config.indicator_list(region())
    return render_template(
        "monitoring/config_indicators.html", indicators=indicators, defaults=defaults,
        new_form=new_form or IndicatorForm(), problem=problem, can_edit=can_edit(),
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
    done = _changed(lambda: config.add_indicator(region(), name=form.name.data, numerator=form.numerator.data,
                                                 denominator=form.denominator.data),
                    _("The indicator has been added."), url_for("monitoring.indicators"))
    if isinstance(done, str):
        form.form_errors.append(done)
        return _indicators_page(new_form=form)
    return done


def _edit_indicator(form: IndicatorEditForm, code: str | None = None):
    if not form.validate_on_submit():
        return _indicators_page(problem="; ".join(str(e) for errors in form.errors.values() for e in errors))
    done = _changed(lambda: config.edit_indicator(
        region(), code or form.code.data, name=form.name.data, retired=form.retired.data,
        numerator=form.numerator.data or None, denominator=form.denominator.data or None,
    ), _("The indicator has been saved."), url_for("monitoring.indicators"))
    return _indicators_page(problem=done) if isinstance(done, str) else done


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
            problems = config.save_targets(region(), typed)
            if not problems:
                db.session.commit()
                flash(_("The targets have been saved."), "success")
                return redirect(url_for("monitoring.targets"))
            db.session.rollback()
    rows, years = config.targets_table(region())
    return render_template(
        "monitoring/config_targets.html", form=form, rows=rows, years=years, typed=typed, problems=problems,
        bad={p.key for p in problems}, can_edit=can_edit(), fmt=config.format_target,
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
            problems = config.save_figures(region(), typed)
            if not problems:
                db.session.commit()
                flash(_("The reference figures have been saved."), "success")
                return redirect(url_for("monitoring.region_figures"))
            db.session.rollback()
    saved = config.figure_rows(region())
    years = config.table_years(saved)
    return render_template(
        "monitoring/config_figures.html", form=form, saved=saved, years=years, columns=config.FIGURE_COLUMNS,
        labels=config.FIGURE_LABELS, typed=typed, problems=problems, bad={p.key for p in problems},
        warnings=config.figure_warnings(region()), can_edit=can_edit(),
    )


# -- the monitoring calendar ----------------------------------------------------------------

@bp.route("/monitoring/calendar", methods=["GET", "POST"])
@roles_required(*MINISTRY_ROLES)
def calendar():
    form = CalendarForm() if request.method == "POST" else CalendarForm(data=config.calendar_values(region()))
    form.time_zone.choices = [SelectChoice(zone, zone) for zone in config.time_zone_choices()]
    problems = []
    if request.method == "POST":
        admin_only()
        if form.validate_on_submit():
            problems = config.save_calendar(region(), {name: form[name].data for name in config.CALENDAR_FIELDS})
            if not problems:
                db.session.commit()
                flash(_("The monitoring calendar has been saved."), "success")
                return redirect(url_for("monitoring.calendar"))
            db.session.rollback()
    return render_template("monitoring/config_calendar.html", form=form, problems=problems, can_edit=can_edit())
