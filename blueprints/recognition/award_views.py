"""Awards and incentives: the school's one register (search, filter by kind), a new award (for
a mentor — from a pair's page too — or a partner enterprise), changes and deletion while no
order lists it, publication (the principal; the mentor's consent or the partner's agreement
required). The mentor's card and the pair's page show the awards through the template globals
below, so pairing's code never imports recognition."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.errors import flash_error
from blueprints.pagination import paginate, search_term
from blueprints.recognition import bp
from blueprints.recognition.award_forms import AwardForm, PublishForm, optional_int
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.people.models import Enterprise, Participant
from mentorship.recognition import awards as service
from mentorship.recognition.awards import KIND_LABELS, AwardData
from tenants.access import current_membership, current_org, school_required
from tenants.roles import Role


def _org():
    return current_org._get_current_object()


def require_principal() -> None:
    """Publishing to the public pages is the principal's: a curator sees but may not act."""
    if current_membership().role != Role.SCHOOL_PRINCIPAL.value:
        abort(403)


def is_principal() -> bool:
    membership = current_membership()
    return membership is not None and membership.role == Role.SCHOOL_PRINCIPAL.value


def _award_or_404(award_id: int):
    award = service.load_award(award_id)  # through the tenant scope: another school's is not found
    if award is None:
        abort(404)
    return award


@bp.app_template_global("recognition_awards_of")
def awards_of(participant_id: int):
    """A mentor's awards, for the mentor's card (templates/recognition/award_card.html)."""
    return service.awards_of_participant(participant_id)


@bp.app_template_global("recognition_pair_awards")
def pair_awards(pair_id: int):
    """The awards recorded for a pair's mentor for the pair (the pair's completion page)."""
    return service.awards_of_pair(pair_id)


@bp.app_template_global("award_kind_labels")
def kind_labels():
    return KIND_LABELS


@bp.route("/awards")
@school_required
def awards():
    search = search_term()
    kind = request.args.get("kind", "")
    page = paginate(service.awards_statement(search, kind))
    return render_template("recognition/award_list.html", page=page, search=search, kind=kind,
                           kind_labels=KIND_LABELS, publish_form=PublishForm(), principal=is_principal())


def _form(award=None) -> AwardForm:
    org = _org()
    form = AwardForm(obj=award) if award is not None and request.method == "GET" else AwardForm()
    mentors = service.mentor_choices()
    if award is not None and award.participant is not None and all(p.id != award.participant_id for p in mentors):
        mentors = [award.participant, *mentors]  # an erased or former mentor keeps their own award
    form.set_choices(mentors, service.enterprise_choices(), service.granting_bodies(org))
    return form


def _data(form: AwardForm) -> AwardData:
    mentor = form.recipient.data != "enterprise"
    return AwardData(
        kind=form.kind.data or "", awarded_on=form.awarded_on.data,
        participant_id=form.participant_id.data if mentor else None,
        enterprise_id=None if mentor else form.enterprise_id.data,
        mentorship_id=optional_int(form.mentorship_id.data) if mentor else None,
        title=form.title.data, granting_org_id=form.granting_org_id.data, granted_by=form.granted_by.data,
        order_number=form.order_number.data, order_date=form.order_date.data, note=form.note.data,
    )


def _back(award):
    """After saving: the pair's page when the award was given from it, else the register."""
    if award.mentorship_id and request.args.get("from") == "pair":
        return redirect(url_for("pairing.completion", pair_id=award.mentorship_id, _anchor="awards"))
    return redirect(url_for("recognition.awards"))


def _pair_label(form: AwardForm):
    pair_id = optional_int(form.mentorship_id.data)
    if not pair_id:
        return None
    pair = next((p for p in service.mentor_pairs(form.participant_id.data or 0) if p.id == pair_id), None)
    return pair


@bp.route("/awards/new", methods=["GET", "POST"])
@school_required
def award_new():
    org = _org()
    form = _form()
    if request.method == "GET":
        form.awarded_on.data = region_today()
        form.granting_org_id.data = org.id
        participant_id = request.args.get("participant_id", type=int)
        enterprise_id = request.args.get("enterprise_id", type=int)
        if request.args.get("recipient") == "enterprise" or (
                enterprise_id and db.session.get(Enterprise, enterprise_id) is not None):
            form.recipient.data, form.enterprise_id.data, form.kind.data = "enterprise", enterprise_id, "thanks"
        elif participant_id and db.session.get(Participant, participant_id) is not None:
            form.participant_id.data = participant_id
            form.mentorship_id.data = request.args.get("mentorship_id", type=int) or ""
    if form.validate_on_submit():
        try:
            award = service.save_award(None, _data(form), org=org, today=region_today(), user=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The award is recorded."), "success")
            return _back(award)
    return render_template("recognition/award_form.html", form=form, award=None, pair=_pair_label(form))


@bp.route("/awards/<int:award_id>/edit", methods=["GET", "POST"])
@school_required
def award_edit(award_id: int):
    award = _award_or_404(award_id)
    if award.order_id is not None:
        flash(_("The award is listed in an order and can no longer be changed."), "warning")
        return redirect(url_for("recognition.award_order_show", order_id=award.order_id))
    form = _form(award)
    if request.method == "GET":
        form.recipient.data = "enterprise" if award.enterprise_id else "mentor"
        form.mentorship_id.data = award.mentorship_id or ""
        if award.granting_org_id is None:
            form.granting_org_id.data = None
    if form.validate_on_submit():
        try:
            service.save_award(award, _data(form), org=_org(), today=region_today(), user=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
            award = _award_or_404(award_id)
        else:
            flash(_("The award is saved."), "success")
            return redirect(url_for("recognition.awards"))
    return render_template("recognition/award_form.html", form=form, award=award, pair=_pair_label(form))


@bp.route("/awards/<int:award_id>/delete", methods=["POST"])
@school_required
def award_delete(award_id: int):
    award = _award_or_404(award_id)
    if PublishForm().validate_on_submit():
        try:
            service.delete_award(award, org=_org(), user=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash_error(error)
        else:
            flash(_("The award is deleted."), "success")
    return redirect(url_for("recognition.awards"))


@bp.route("/awards/<int:award_id>/publish", methods=["POST"])
@school_required
def award_publish(award_id: int):
    award = _award_or_404(award_id)
    require_principal()
    form = PublishForm()
    if form.validate_on_submit():
        try:
            service.set_public(award, form.wants_public, org=_org(), today=region_today(), user=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash_error(error)
        else:
            flash(_("The award is published.") if form.wants_public else _("The award is no longer public."),
                  "success")
    back = request.form.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(url_for("recognition.awards"))
