"""The consent to publication (согласие на публикацию) of a participant: its page (history, the
consent in force), a consent given, a consent withdrawn. A purpose of its own, apart from the
consent to processing; withdrawing it takes the person off every public page at once (the
areas' receivers of ``publication_withdrawn``). A partner enterprise's agreement to be named
publicly is recorded here too (its withdrawal unpublishes its awards at once)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.errors import flash_error
from blueprints.people import bp
from blueprints.people.publication_forms import PartnerAgreementForm, PublicationConsentForm, PublicationWithdrawForm
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.people import publication as service
from mentorship.people.models import Enterprise, Participant
from mentorship.recognition.awards import set_partner_agreement
from tenants.access import current_org, get_or_404, school_required


def _render(person: Participant, form: PublicationConsentForm | None = None,
            withdraw_form: PublicationWithdrawForm | None = None, status: int = 200):
    today = region_today()
    if form is None:
        form = PublicationConsentForm(formdata=None, given_on=today, scope_note=service.DEFAULT_SCOPE_NOTE)
    if withdraw_form is None:
        withdraw_form = PublicationWithdrawForm(formdata=None, withdrawn_on=today)
    return render_template(
        "people/publication_consent.html", person=person, consents=service.consents_of(person.id),
        current=service.valid_consent(person.id), form=form, withdraw_form=withdraw_form,
    ), status


@bp.route("/participants/<int:participant_id>/publication")
@school_required
def publication_consent(participant_id: int):
    return _render(get_or_404(Participant, participant_id))


@bp.route("/participants/<int:participant_id>/publication", methods=["POST"])
@school_required
def publication_consent_give(participant_id: int):
    person = get_or_404(Participant, participant_id)
    form = PublicationConsentForm()
    if form.validate_on_submit():
        try:
            service.give_publication_consent(person, given_on=form.given_on.data, scope_note=form.scope_note.data,
                                             by_user_id=current_user.id, today=region_today())
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
            person = get_or_404(Participant, participant_id)
        else:
            flash(_("The consent to publication is recorded."), "success")
            return redirect(url_for("people.publication_consent", participant_id=person.id))
    return _render(person, form=form)


@bp.route("/participants/<int:participant_id>/publication/withdraw", methods=["POST"])
@school_required
def publication_consent_withdraw(participant_id: int):
    """Withdraw the person's consent in force (there is at most one)."""
    person = get_or_404(Participant, participant_id)
    consent = service.valid_consent(person.id)
    form = PublicationWithdrawForm()
    if consent is None:
        flash(_("There is no valid consent to publication to withdraw."), "warning")
    elif form.validate_on_submit():
        try:
            service.withdraw_publication_consent(consent, withdrawn_on=form.withdrawn_on.data, reason=form.reason.data,
                                                 by_user_id=current_user.id, today=region_today())
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash_error(error)
        else:
            flash(_("The consent to publication is withdrawn: the person is no longer shown on any public page."),
                  "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
    return redirect(url_for("people.publication_consent", participant_id=participant_id))


@bp.route("/enterprises/<int:enterprise_id>/publication", methods=["POST"])
@school_required
def enterprise_publication(enterprise_id: int):
    """The partner agreed (``agreed`` = 1) or no longer agrees (0) to be named publicly."""
    enterprise = get_or_404(Enterprise, enterprise_id)
    org = current_org._get_current_object()
    if enterprise.org_id != org.id:  # shared upward, but only the school itself records it
        abort(404)
    form = PartnerAgreementForm()
    if not form.validate_on_submit():
        abort(400)
    agreed = form.agreed.data == "1"
    unpublished = set_partner_agreement(enterprise, agreed, org=org, user=current_user)
    db.session.commit()
    if agreed:
        flash(_("The partner's agreement to be named publicly is recorded."), "success")
    else:
        flash(_("The partner no longer agrees to be named publicly: %(n)d of its awards were taken off the public "
                "pages.", n=unpublished), "success")
    return redirect(url_for("people.enterprise_edit", enterprise_id=enterprise.id))

