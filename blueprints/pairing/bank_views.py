"""The mentor bank and the mentee bank: lists with search and filters, the questionnaire and
the mentee's profile, requests, removal, XLSX export."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.pagination import paginate
from blueprints.pairing import bp
from blueprints.pairing.bank_forms import (
    MenteeFilterForm,
    MenteeProfileForm,
    MentorFilterForm,
    MentorProfileForm,
    RequestForm,
)
from core.errors import DomainError
from core.extensions import db
from mentorship.pairing import bank_export, banks
from mentorship.pairing.banks import (
    COMPETENCY_LABELS,
    FOLLOW_UP_LABELS,
    INTERVIEW_LABELS,
    REQUEST_KIND_LABELS,
    REQUEST_SOURCE_LABELS,
    TRAINING_LABELS,
    MenteeData,
    MenteeFilters,
    MentorData,
    MentorFilters,
)
from mentorship.pairing.matching import REASON_LABELS
from mentorship.people.models import MenteeRequest, Participant
from mentorship.region.forms import CATEGORY_LABELS, region_forms
from mentorship.training import completions as training_completions
from tenants.access import current_org, get_or_404, school_required

LABELS = {
    "category": CATEGORY_LABELS, "competency": COMPETENCY_LABELS, "interview": INTERVIEW_LABELS,
    "training": TRAINING_LABELS, "kind": REQUEST_KIND_LABELS, "source": REQUEST_SOURCE_LABELS,
    "follow_up": FOLLOW_UP_LABELS,
}


def _org():
    return current_org._get_current_object()


def _run(change, success: str, to: str, back: str | None = None):
    """Run a bank change: commit, flash and go ``to`` on success; if refused, roll back (nothing
    half-written), flash the reason and go ``back`` (default: ``to``)."""
    try:
        change()
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(back or to)
    db.session.commit()
    flash(success, "success")
    return redirect(to)


# ---------------------------------------------------------------------------- lists


def _mentor_filters() -> tuple[MentorFilterForm, MentorFilters]:
    form = MentorFilterForm(request.args)
    form.validate()
    return form, MentorFilters(q=form.value("q"), category=form.value("category"),
                               competency=form.value("competency"), approved=form.value("approved"),
                               training=form.value("training"), free=bool(form.value("free")))


def _mentee_filters() -> tuple[MenteeFilterForm, MenteeFilters]:
    form = MenteeFilterForm(request.args)
    form.validate()
    return form, MenteeFilters(q=form.value("q"), category=form.value("category"), kind=form.value("kind"),
                               source=form.value("source"), pair=form.value("pair"),
                               follow_up=form.value("follow_up"))


@bp.route("/banks/mentors")
@school_required
def mentor_bank():
    form, filters = _mentor_filters()
    page = paginate(banks.mentor_bank_query(filters))
    loads = banks.mentor_loads(page.items)
    trainings = training_completions.latest_by_participant(p.id for p in page.items)  # course and date
    return render_template("pairing/bank_mentors.html", page=page, loads=loads, form=form, filters=filters,
                           args=filters.as_args(), labels=LABELS, trainings=trainings)


@bp.route("/banks/mentees")
@school_required
def mentee_bank():
    form, filters = _mentee_filters()
    page = paginate(banks.mentee_bank_query(filters))
    paired = banks.paired_ids(page.items)
    return render_template("pairing/bank_mentees.html", page=page, paired=paired, form=form, filters=filters,
                           args=filters.as_args(), labels=LABELS, unmatched=banks.unmatched_reasons(page.items),
                           reason_labels=REASON_LABELS)


def _xlsx(data: bytes, name: str) -> Response:
    response = Response(data, mimetype=bank_export.XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f"attachment; filename={name}"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/banks/mentors.xlsx")
@school_required
def mentor_bank_xlsx():
    _, filters = _mentor_filters()
    data = bank_export.export_mentor_bank(filters, _org(), user=current_user)
    db.session.commit()
    return _xlsx(data, "mentor-bank.xlsx")


@bp.route("/banks/mentees.xlsx")
@school_required
def mentee_bank_xlsx():
    _, filters = _mentee_filters()
    data = bank_export.export_mentee_bank(filters, _org(), user=current_user)
    db.session.commit()
    return _xlsx(data, "mentee-bank.xlsx")


# ---------------------------------------------------------------------------- the mentor bank


def _mentor_form(participant: Participant) -> MentorProfileForm:
    profile = participant.mentor_profile
    form = MentorProfileForm(obj=profile) if profile is not None else MentorProfileForm()
    form.preferred_forms.choices = [SelectChoice(f.code, f.name) for f in region_forms(_org().path)]
    return form


def _mentor_data(form: MentorProfileForm) -> MentorData:
    return MentorData(
        competencies=list(form.competencies.data or []), subjects=form.subjects.data,
        interests=form.interests.data, preferred_forms=list(form.preferred_forms.data or []),
        capacity=form.capacity.data, hours_per_month=form.hours_per_month.data,
        interview_result=form.interview_result.data, training_status=form.training_status.data,
        approved=bool(form.approved.data), publish_consent=bool(form.publish_consent.data),
    )


@bp.route("/participants/<int:participant_id>/mentor-profile", methods=["GET", "POST"])
@school_required
def mentor_profile(participant_id: int):
    participant = get_or_404(Participant, participant_id)
    if participant.anonymised_at is not None:
        abort(404)
    form = _mentor_form(participant)
    if form.validate_on_submit():
        adding = not participant.in_mentor_bank
        return _run(lambda: banks.save_mentor_profile(participant, _mentor_data(form), org=_org()),
                    _("Added to the mentor bank.") if adding else _("The questionnaire is saved."),
                    url_for("pairing.mentor_bank"), url_for("pairing.mentor_profile", participant_id=participant.id))
    load = banks.mentor_loads([participant]).get(participant.id, 0)
    return render_template("pairing/bank_mentor_profile.html", form=form, participant=participant, load=load,
                           refusal=banks.entry_refusal(participant), confirm=ConfirmForm(), labels=LABELS)


@bp.route("/participants/<int:participant_id>/mentor-profile/remove", methods=["POST"])
@school_required
def mentor_profile_remove(participant_id: int):
    participant = get_or_404(Participant, participant_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _run(lambda: banks.remove_mentor(participant, org=_org()), _("Removed from the mentor bank."),
                url_for("pairing.mentor_bank"), url_for("pairing.mentor_profile", participant_id=participant.id))


# ---------------------------------------------------------------------------- the mentee bank


def _mentee_page(participant: Participant, form: MenteeProfileForm, request_form: RequestForm, status: int = 200):
    return render_template(
        "pairing/bank_mentee_profile.html", form=form, request_form=request_form, participant=participant,
        requests=participant.requests, paired=bool(banks.active_mentee_ids([participant.id])),
        refusal=banks.entry_refusal(participant), confirm=ConfirmForm(), labels=LABELS,
    ), status


@bp.route("/participants/<int:participant_id>/mentee-profile", methods=["GET", "POST"])
@school_required
def mentee_profile(participant_id: int):
    participant = get_or_404(Participant, participant_id)
    if participant.anonymised_at is not None:
        abort(404)
    profile = participant.mentee_profile
    form = MenteeProfileForm(obj=profile) if profile is not None else MenteeProfileForm()
    if form.validate_on_submit():
        data = MenteeData(interests=form.interests.data, follow_up=form.follow_up.data,
                          follow_up_note=form.follow_up_note.data, request_kind=form.request_kind.data or None,
                          request_source=form.request_source.data or None, request_note=form.request_note.data)
        adding = not participant.in_mentee_bank
        return _run(lambda: banks.save_mentee_profile(participant, data, org=_org()),
                    _("Added to the mentee bank.") if adding else _("The profile is saved."),
                    url_for("pairing.mentee_profile", participant_id=participant.id))
    return _mentee_page(participant, form, RequestForm(formdata=None))


@bp.route("/participants/<int:participant_id>/requests/new", methods=["POST"])
@school_required
def request_new(participant_id: int):
    participant = get_or_404(Participant, participant_id)
    if participant.anonymised_at is not None:
        abort(404)
    request_form = RequestForm()
    if not request_form.validate_on_submit():
        if request_form.csrf_token.errors:
            abort(400)
        profile = participant.mentee_profile
        form = MenteeProfileForm(formdata=None, obj=profile) if profile is not None else MenteeProfileForm(formdata=None)
        return _mentee_page(participant, form, request_form)
    return _run(lambda: banks.add_request(participant, request_form.kind.data, request_form.source.data,
                                          request_form.note.data, org=_org()),
                _("The request is added."), url_for("pairing.mentee_profile", participant_id=participant.id))


@bp.route("/requests/<int:request_id>/close", methods=["POST"])
@school_required
def request_close(request_id: int):
    item = get_or_404(MenteeRequest, request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _run(lambda: banks.close_request(item, org=_org()), _("The request is closed."),
                url_for("pairing.mentee_profile", participant_id=item.participant_id))


@bp.route("/participants/<int:participant_id>/mentee-profile/remove", methods=["POST"])
@school_required
def mentee_profile_remove(participant_id: int):
    participant = get_or_404(Participant, participant_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _run(lambda: banks.remove_mentee(participant, org=_org()), _("Removed from the mentee bank."),
                url_for("pairing.mentee_bank"), url_for("pairing.mentee_profile", participant_id=participant.id))
