"""Consents: a further consent of a participant, the scan's download, withdrawal, and the
real (earlier) date of a paper consent recorded with a later one."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.errors import flash_error
from blueprints.people import bp
from blueprints.people.participant_forms import ConsentDateForm, ConsentForm, WithdrawForm
from blueprints.people.participant_views import consent_data, read_scan
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.people import consents as consent_service
from mentorship.people.models import Consent, Participant
from tenants.access import current_org, get_or_404, school_required


def _org():
    return current_org._get_current_object()


@bp.route("/participants/<int:participant_id>/consents/new", methods=["GET", "POST"])
@school_required
def consent_new(participant_id: int):
    person = get_or_404(Participant, participant_id)
    try:
        consent_service.refuse_if_erased(person)
    except DomainError as error:
        flash_error(error)
        return redirect(url_for("people.participant_show", participant_id=person.id))
    form = ConsentForm()
    if request.method == "GET":
        form.consent_given_on.data = region_today()
        if person.representative_name:
            form.consent_given_by.data = "representative"
            form.consent_representative_name.data = person.representative_name
    if form.validate_on_submit():
        try:
            consent_service.add_consent(person, consent_data(form, read_scan(form)), region_today(),
                                        user=current_user, org=_org())
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error, prefix="consent_")
        else:
            flash(_("The consent has been recorded."), "success")
            return redirect(url_for("people.participant_show", participant_id=person.id))
    return render_template("people/consent_form.html", form=form, person=person)


@bp.route("/consents/<int:consent_id>/scan")
@school_required
def consent_scan(consent_id: int):
    consent = consent_service.open_scan(consent_id, user=current_user, org=_org())
    if consent is None:
        abort(404)
    db.session.commit()
    response = Response(consent.scan_data, mimetype=consent.scan_content_type or "application/octet-stream")
    # Always a download, never rendered in the page's origin.
    name = consent.scan_filename or "consent"
    response.headers["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(name, safe="")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/consents/<int:consent_id>/withdraw", methods=["POST"])
@school_required
def consent_withdraw(consent_id: int):
    consent = get_or_404(Consent, consent_id)
    person_id = consent.participant_id
    form = WithdrawForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return redirect(url_for("people.participant_show", participant_id=person_id))
    try:
        erased = consent_service.withdraw_consent(consent, form.withdrawn_on.data, form.reason.data, region_today(),
                                                  user=current_user, org=_org())
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    else:
        flash(_("The consent is withdrawn; the person's personal data have been erased.") if erased
              else _("The consent is withdrawn."), "success")
    return redirect(url_for("people.participant_show", participant_id=person_id))


@bp.route("/consents/<int:consent_id>/date", methods=["GET", "POST"])
@school_required
def consent_date(consent_id: int):
    """Record the date the paper consent was really signed (only an earlier one; audited):
    a back-dated pair needs the consent valid on its start."""
    consent = get_or_404(Consent, consent_id)
    person = consent.participant
    back = url_for("people.participant_show", participant_id=person.id)
    form = ConsentDateForm()
    if request.method == "GET":
        form.given_on.data = consent.given_on
    if form.validate_on_submit():
        try:
            consent_service.correct_given_on(consent, form.given_on.data, region_today(), user=current_user,
                                             org=_org())
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
            consent = get_or_404(Consent, consent_id)  # the rollback expired it
        else:
            flash(_("The consent's date has been corrected."), "success")
            return redirect(back)
    return render_template("people/consent_date.html", form=form, consent=consent, person=consent.participant,
                           back=back)
