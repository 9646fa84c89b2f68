"""Consents: a further consent of a participant, the scan's download, withdrawal."""
from __future__ import annotations

from urllib.parse import quote

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import undefer

from blueprints.people import bp
from blueprints.people.participant_forms import ConsentForm, WithdrawForm, add_problems
from blueprints.people.participant_views import consent_data, read_scan
from core.clock import region_today
from core.extensions import db
from mentorship.people import consents as consent_service
from mentorship.people.consents import ConsentError
from mentorship.people.models import Consent, Participant
from tenants import audit
from tenants.access import current_org, get_or_404, school_required


def _org():
    return current_org._get_current_object()


@bp.route("/participants/<int:participant_id>/consents/new", methods=["GET", "POST"])
@school_required
def consent_new(participant_id: int):
    person = get_or_404(Participant, participant_id)
    if person.anonymised_at is not None:
        flash(str(consent_service.MESSAGES["anonymised"]), "danger")
        return redirect(url_for("people.participant_show", participant_id=person.id))
    form = ConsentForm()
    if request.method == "GET":
        form.consent_given_on.data = region_today()
        if person.representative_name:
            form.consent_given_by.data = "representative"
            form.consent_representative_name.data = person.representative_name
    if form.validate_on_submit():
        scan, scan_ok = read_scan(form)
        if scan_ok:
            try:
                consent = consent_service.add_consent(person, consent_data(form, scan), region_today(),
                                                      user=current_user)
                audit.record("consent.added", org=_org(), obj=consent, details={"participant_id": person.id})
                db.session.commit()
            except ConsentError as exc:
                db.session.rollback()
                add_problems(form, exc.problems, consent_service.MESSAGES, prefix="consent_")
            else:
                flash(_("The consent has been recorded."), "success")
                return redirect(url_for("people.participant_show", participant_id=person.id))
    return render_template("people/consent_form.html", form=form, person=person)


@bp.route("/consents/<int:consent_id>/scan")
@school_required
def consent_scan(consent_id: int):
    consent = db.session.scalar(
        sa.select(Consent).where(Consent.id == consent_id).options(undefer(Consent.scan_data))
    )  # through the tenant scope: another school's consent is not found
    if consent is None or consent.scan_data is None:
        abort(404)
    audit.record("consent.scan_viewed", org=_org(), obj=consent, details={"participant_id": consent.participant_id})
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
    except ConsentError as exc:
        db.session.rollback()
        for _field, code in exc.problems:
            flash(str(consent_service.MESSAGES[code]), "danger")
    else:
        flash(_("The consent is withdrawn; the person's personal data have been erased.") if erased
              else _("The consent is withdrawn."), "success")
    return redirect(url_for("people.participant_show", participant_id=person_id))
