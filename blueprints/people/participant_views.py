"""Participants of a school: the list, a new person with their consent, the card, edits."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.errors import flash_error
from blueprints.pagination import paginate, search_term
from blueprints.people import bp
from blueprints.people.participant_forms import ParticipantCreateForm, ParticipantForm, WithdrawForm
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from core.uploads import CheckedFile
from mentorship.pairing.pair_queries import pairs_of
from mentorship.people import consents as consent_service
from mentorship.people.consents import ConsentData, ConsentError, consent_status
from mentorship.people.models import Participant
from mentorship.people.participants import (
    BANK_FILTERS,
    check_new_participant,
    create_participant,
    data_of,
    open_card,
    participants_query,
    refuse_if_erased,
    school_enterprises,
    update_participant,
)
from mentorship.people.rules import ParticipantData, age_on, is_minor, is_young_specialist
from mentorship.region.forms import CATEGORIES, CATEGORY_LABELS
from tenants.access import current_org, get_or_404, school_required


def _status_labels():
    return {"valid": _("valid"), "none": _("none"), "withdrawn": _("withdrawn")}


def _org():
    return current_org._get_current_object()


def _participant_data(form: ParticipantForm) -> ParticipantData:
    return ParticipantData(
        full_name=form.full_name.data or "", category=form.category.data or "", birth_date=form.birth_date.data,
        class_or_position=form.class_or_position.data, teaching_since=form.teaching_since.data,
        special_needs=bool(form.special_needs.data), email=form.email.data, phone=form.phone.data,
        representative_name=form.representative_name.data, representative_email=form.representative_email.data,
        representative_phone=form.representative_phone.data, enterprise_id=form.enterprise_id.data,
    )


def consent_data(form, scan: CheckedFile | None) -> ConsentData:
    return ConsentData(
        given_by=form.consent_given_by.data or "", given_on=form.consent_given_on.data,
        purpose=form.consent_purpose.data or "", policy_version=form.consent_policy_version.data or "",
        representative_name=form.consent_representative_name.data,
        authority_document=form.consent_authority_document.data, scan=scan,
    )


def read_scan(form) -> CheckedFile | None:
    """The uploaded scan checked by content (None when none was sent); ConsentError if refused."""
    upload = form.consent_scan.data
    if not upload or not getattr(upload, "filename", None):
        return None
    return consent_service.check_scan(upload.filename, upload.read())


@bp.route("/participants")
@school_required
def participants():
    search = search_term()
    category = request.args.get("category", "")
    bank = request.args.get("bank", "")
    category = category if category in CATEGORIES else ""
    bank = bank if bank in BANK_FILTERS else ""
    page = paginate(participants_query(_org().id, search, category, bank))
    return render_template(
        "people/participant_list.html", page=page, search=search, category=category, bank=bank,
        categories=CATEGORY_LABELS, status_of=consent_status, status_labels=_status_labels(),
    )


@bp.route("/participants/new", methods=["GET", "POST"])
@school_required
def participant_new():
    org = _org()
    form = ParticipantCreateForm()
    form.set_choices(school_enterprises(org.id))
    if request.method == "GET":
        form.consent_given_on.data = region_today()
    if form.validate_on_submit():
        data = _participant_data(form)
        try:
            scan = read_scan(form)
        except ConsentError as error:  # the other problems are named too; nothing is saved
            form.add_errors(error, prefix="consent_")
            _add_other_problems(form, org, data)
        else:
            try:
                person = create_participant(org, data, consent_data(form, scan), region_today(), user=current_user)
                db.session.commit()
            except DomainError as error:
                db.session.rollback()
                form.add_errors(error)
            else:
                flash(_("The participant has been added with the consent."), "success")
                return redirect(url_for("people.participant_show", participant_id=person.id))
    return render_template("people/participant_form.html", form=form, person=None)


def _add_other_problems(form, org, data: ParticipantData) -> None:
    """Beside a refused scan, whatever else is wrong with the new person and their consent."""
    try:
        check_new_participant(org, data, consent_data(form, None), region_today())
    except DomainError as error:
        form.add_errors(error)


@bp.route("/participants/<int:participant_id>")
@school_required
def participant_show(participant_id: int):
    person = get_or_404(Participant, participant_id)
    today = region_today()
    open_card(person, user=current_user, org=_org())
    db.session.commit()
    pairs = pairs_of(person)
    withdraw_form = WithdrawForm()
    withdraw_form.withdrawn_on.data = today
    return render_template(
        "people/participant_show.html", person=person, pairs=pairs, status=consent_status(person),
        status_labels=_status_labels(), categories=CATEGORY_LABELS, given_by_labels=consent_service.GIVEN_BY_LABELS,
        withdraw_form=withdraw_form,
        age=age_on(person.birth_date, today) if person.birth_date else None,
        minor=is_minor(person.birth_date, today),
        young_specialist=is_young_specialist(person.category, person.teaching_since, today),
        mentor_url=_link("pairing.mentor_profile", person.id), mentee_url=_link("pairing.mentee_profile", person.id),
        pair_urls={m.id: _link("pairing.pair_show", m.id) for m in pairs},
    )


def _link(endpoint: str, ident: int) -> str | None:
    """The URL of another slice's page taking one id, if that page exists (else None)."""
    if endpoint not in current_app.view_functions:
        return None
    rule = next((r for r in current_app.url_map.iter_rules(endpoint) if len(r.arguments) == 1), None)
    if rule is None:
        return None
    return url_for(endpoint, **{next(iter(rule.arguments)): ident})


@bp.route("/participants/<int:participant_id>/edit", methods=["GET", "POST"])
@school_required
def participant_edit(participant_id: int):
    org = _org()
    person = get_or_404(Participant, participant_id)
    try:
        refuse_if_erased(person)
    except DomainError as error:
        flash_error(error)
        return redirect(url_for("people.participant_show", participant_id=person.id))
    form = ParticipantForm(obj=data_of(person) if request.method == "GET" else None)
    form.set_choices(school_enterprises(org.id))
    if form.validate_on_submit():
        try:
            changed = update_participant(person, _participant_data(form), region_today(), user=current_user, org=org)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The changes have been saved.") if changed else _("Nothing has changed."), "success")
            return redirect(url_for("people.participant_show", participant_id=person.id))
    return render_template("people/participant_form.html", form=form, person=person)
