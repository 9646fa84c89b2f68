"""Programmes (программы наставничества) and the preferences recorded after the group meeting."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import raiseload
from wtforms.fields.choices import SelectChoice

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.pagination import paginate, search_term
from blueprints.pairing import bp
from blueprints.pairing.programme_forms import PreferenceForm, ProgrammeForm
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.pairing import matching as matching_runs
from mentorship.pairing import programmes as programme_service
from mentorship.pairing.models import Preference, Programme
from mentorship.region.forms import CATEGORY_LABELS, region_forms
from tenants.access import current_org, get_or_404, school_required


def _org():
    return current_org._get_current_object()


def _form_names(include_retired: bool = True) -> dict[str, str]:
    return {f.code: f.name for f in region_forms(current_org.path, include_retired=include_retired)}


def _fill_choices(form: ProgrammeForm, programme: Programme | None = None) -> None:
    keep_form = programme.form_code if programme else None
    form.form_code.choices = [SelectChoice("", "—")] + [
        SelectChoice(f.code, f.name) for f in programme_service.form_choices(current_org.path, keep_form)]
    form.school_year.choices = [
        SelectChoice(year, label) for year, label in programme_service.school_year_choices(
            region_today(), programme.school_year if programme else None)]


def _data(form: ProgrammeForm) -> programme_service.ProgrammeData:
    return programme_service.ProgrammeData(
        title=form.title.data, form_code=form.form_code.data, school_year=form.school_year.data,
        goals=form.goals.data, expected_results=form.expected_results.data,
        meeting_gap_weeks=form.meeting_gap_weeks.data, status=form.status.data,
    )


@bp.route("/programmes")
@school_required
def programmes():
    search = search_term()
    page = paginate(programme_service.programmes_query(search).options(raiseload("*")))
    counts = programme_service.active_pair_counts(p.id for p in page.items)
    return render_template("pairing/programme_list.html", page=page, search=search, counts=counts,
                           form_names=_form_names(), year_label=programme_service.school_year_label,
                           status_labels=programme_service.STATUS_LABELS)


@bp.route("/programmes/new", methods=["GET", "POST"])
@school_required
def programme_new():
    form = ProgrammeForm()
    _fill_choices(form)
    if request.method == "GET":
        form.school_year.data = programme_service.school_year_of(region_today())
    if form.validate_on_submit():
        try:
            programme = programme_service.create_programme(_data(form), org=_org())
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            db.session.commit()
            flash(_("The programme has been created."), "success")
            return redirect(url_for("pairing.programme_show", programme_id=programme.id))
    return render_template("pairing/programme_form.html", form=form, programme=None)


@bp.route("/programmes/<int:programme_id>")
@school_required
def programme_show(programme_id: int):
    programme = get_or_404(Programme, programme_id)
    return render_template(
        "pairing/programme_show.html", programme=programme, figures=programme_service.programme_figures(programme),
        runs=matching_runs.runs_of(programme), form_name=_form_names().get(programme.form_code, programme.form_code),
        year_label=programme_service.school_year_label, status_labels=programme_service.STATUS_LABELS, form=ConfirmForm(),
    )


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@school_required
def programme_edit(programme_id: int):
    programme = get_or_404(Programme, programme_id)
    form = ProgrammeForm(obj=programme)
    _fill_choices(form, programme)
    if form.validate_on_submit():
        try:
            programme_service.update_programme(programme, _data(form), org=_org())
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            db.session.commit()
            flash(_("The programme has been saved."), "success")
            return redirect(url_for("pairing.programme_show", programme_id=programme.id))
    return render_template("pairing/programme_form.html", form=form, programme=programme)


# --- preferences after the group meeting ------------------------------------------------------

def _person_label(person) -> str:
    extra = person.class_or_position or CATEGORY_LABELS.get(person.category, person.category)
    return f"{person.full_name} ({extra})"


@bp.route("/programmes/<int:programme_id>/preferences", methods=["GET", "POST"])
@school_required
def preferences(programme_id: int):
    programme = get_or_404(Programme, programme_id)
    try:
        candidates = matching_runs.gather(programme)
    except DomainError as error:
        flash_error(error)
        return redirect(url_for("pairing.programme_show", programme_id=programme.id))
    mentors = {p.id: p for p in candidates.mentors}
    mentees = {p.id: p for p in candidates.mentees}
    person_id = request.values.get("person", type=int)
    person = mentors.get(person_id) or mentees.get(person_id)
    form = PreferenceForm()
    if person is not None:
        others = mentees if person.id in mentors else mentors
        choices = [SelectChoice("", "—")] + [SelectChoice(p.id, _person_label(p)) for p in others.values()]
        for field in form.partner_fields():
            field.choices = choices
        if request.method == "GET":
            form.person.data = str(person.id)
            for field, partner in zip(form.partner_fields(), matching_runs.ranked_partners(programme, person.id)):
                field.data = partner
        elif form.validate_on_submit():
            try:
                matching_runs.set_preferences(programme, person.id, form.partners(), candidates, org=_org())
            except DomainError as error:
                db.session.rollback()
                form.add_errors(error, fields={"partner_ids": "partner_1"})
            else:
                db.session.commit()
                flash(_("The preferences of %(name)s have been saved.", name=person.full_name), "success")
                return redirect(url_for("pairing.preferences", programme_id=programme.id))
    elif request.method == "POST":
        flash(_("Choose a mentor or a mentee of the programme."), "danger")
        return redirect(url_for("pairing.preferences", programme_id=programme.id))
    page = paginate(matching_runs.preferences_query(programme).options(raiseload("*")))
    return render_template(
        "pairing/programme_preferences.html", programme=programme, form=form, person=person,
        person_is_mentor=person is not None and person.id in mentors, mentors=candidates.mentors,
        mentees=candidates.mentees, page=page, names=matching_runs.names_of(page.items), delete_form=ConfirmForm(),
        label=_person_label,
    )


@bp.route("/preferences/<int:preference_id>/delete", methods=["POST"])
@school_required
def preference_delete(preference_id: int):
    preference = get_or_404(Preference, preference_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    programme_id = preference.programme_id
    matching_runs.delete_preference(preference, org=_org())
    db.session.commit()
    flash(_("The preference has been deleted."), "success")
    return redirect(url_for("pairing.preferences", programme_id=programme_id))
