"""Pairs and groups (наставнические пары/группы): the list, a pair made by hand, the card,
the changes of an active pair (a mentee added or removed, completed, ended early), and the
corrections of what was entered wrongly (the pair corrected while no order fixes it, a pair
entered by mistake voided). A back-dated pair whose people's consents were entered with a
later date offers to record the paper consents' real dates in the same form.

Views are thin: the rules live in mentorship/pairing/pairs.py (``PairRuleError`` says what is
refused, naming the person), the queries in mentorship/pairing/pair_queries.py. Every change
writes the pair's history and an audit record (the domain does both), committed together;
opening a card is audited too."""
from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.pagination import paginate
from blueprints.pairing import bp
from blueprints.pairing.pair_forms import AddMenteeForm, CompleteForm, EndForm, PairForm, VoidForm
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.pairing.matching import describe
from mentorship.pairing.models import VOIDED, Mentorship, Programme
from mentorship.pairing.pair_queries import (
    PairFilter,
    form_names,
    late_consents,
    load_pair,
    mentee_choices,
    mentor_choices,
    orders_of,
    pairs_statement,
    people_by_id,
    programmes,
    reason_items,
)
from mentorship.pairing.pairs import (
    add_mentee,
    check_correctable,
    complete,
    correct_pair,
    create_pair,
    end_early,
    event_participant_id,
    open_card,
    order_fixing,
    person_name,
    remove_mentee,
    void_pair,
)
from mentorship.people.consents import correct_given_on
from mentorship.people.models import Consent
from mentorship.region.forms import CATEGORY_LABELS
from tenants.access import current_org, get_or_404, school_required

STATUS_LABELS = {
    "active": _l("Active"),
    "completed": _l("Completed"),
    "ended_early": _l("Ended early"),
    "voided": _l("Voided"),
}
DECISION_LABELS = {"continue": _l("continues in a new cycle"), "finish": _l("finished")}
EVENT_LABELS = {
    "created": _l("Pair created"),
    "mentee_added": _l("Mentee added"),
    "mentee_removed": _l("Mentee removed"),
    "completed": _l("Completed"),
    "ended_early": _l("Ended early"),
    "corrected": _l("Corrected"),
    "mentor_replaced": _l("Mentor replaced"),
    "voided": _l("Voided (entered by mistake)"),
}
CORRECTED_FIELD_LABELS = {
    "started_on": _l("start date"),
    "planned_end_on": _l("planned end"),
    "programme": _l("programme"),
    "form": _l("form of mentorship"),
    "mentor": _l("mentor"),
    "mentees": _l("mentees"),
}
# Pages of other slices linked from the card once they exist (endpoint → flag name).
LINKED_PAGES = {"pairing.plan_show": "plan", "pairing.meetings": "meetings", "pairing.completion": "completion"}


def describe_reasons(reasons) -> list[str]:
    """Why a pair was matched, in the words of the matching page (unknown codes skipped)."""
    return [describe([code, args]) for code, args in reason_items(reasons)]


def _programme_label(programme: Programme, forms: dict[str, str]) -> str:
    return f"{programme.title} · {forms.get(programme.form_code, programme.form_code)} · " \
           f"{programme.school_year}/{(programme.school_year + 1) % 100:02d}"


def _person_label(person) -> str:
    extra = person.class_or_position or CATEGORY_LABELS.get(person.category, person.category)
    return f"{person.full_name} ({extra})"


def _people_choices(people) -> list[SelectChoice]:
    return [SelectChoice(p.id, _person_label(p)) for p in people]


def event_note(event) -> str | None:
    """What a history line adds after its label: a corrected pair's fields in words."""
    if event.action == "corrected" and event.note:
        return ", ".join(str(CORRECTED_FIELD_LABELS.get(name.strip(), name.strip())) for name in event.note.split(","))
    return event.note


# ---------------------------------------------------------------------------- the pair's form


def _fill_choices(form: PairForm, forms: dict[str, str], pair: Mentorship | None = None) -> None:
    """The active programmes and the banks' people; a pair being corrected keeps its own
    programme and people among the choices even if they are no longer there."""
    form.programme.choices = [SelectChoice(p.id, _programme_label(p, forms)) for p in programmes()
                              if p.status == "active" or (pair is not None and p.id == pair.programme_id)]
    mentors = mentor_choices()
    mentees = mentee_choices()
    if pair is not None:
        known = {p.id for p in mentors}
        mentors += [pair.mentor] if pair.mentor_id not in known and pair.mentor.anonymised_at is None else []
        known = {p.id for p in mentees}
        mentees += [m.participant for m in pair.members
                    if m.participant_id not in known and m.participant.anonymised_at is None]
    form.mentor.choices = _people_choices(mentors)
    form.mentees.choices = _people_choices(mentees)


def _chosen_people(form: PairForm):
    people = people_by_id([form.mentor.data, *form.mentees.data])
    return people[form.mentor.data], [people[i] for i in form.mentees.data]


def _record_consent_dates(form: PairForm, people_ids: set[int], org) -> None:
    """The curator asked to record the paper consents' real dates: each consent offered (of
    one of the chosen people) gets its date, audited by the people area."""
    if not form.record_consent_dates.data:
        return
    for entry in form.late_consents.entries:
        consent_id = entry.form.consent_id.data
        consent = db.session.get(Consent, int(consent_id)) if str(consent_id or "").isdigit() else None
        if consent is None or consent.participant_id not in people_ids:
            abort(400)
        correct_given_on(consent, entry.form.given_on.data, region_today(), user=current_user, org=org)


def _offer_consent_dates(form: PairForm) -> list[dict]:
    """After a refusal: the consents of the chosen people dated after the start, each with a
    date to record (what was typed, else the pair's start); what the page lists beside it."""
    if not form.started_on.data or not form.mentor.data:
        return []
    late = late_consents([form.mentor.data, *(form.mentees.data or [])], form.started_on.data)
    typed = {str(e.form.consent_id.data): e.form.given_on.data for e in form.late_consents.entries}
    people = people_by_id(late)
    form.late_consents.entries, form.late_consents.last_index = [], -1
    offers = []
    for participant_id, consent in sorted(late.items(), key=lambda item: people[item[0]].full_name):
        form.late_consents.append_entry(SimpleNamespace(
            consent_id=str(consent.id), given_on=typed.get(str(consent.id)) or form.started_on.data))
        offers.append({"name": people[participant_id].full_name, "given_on": consent.given_on,
                       "participant_id": participant_id, "consent_id": consent.id})
    return offers


# ---------------------------------------------------------------------------- list


@bp.route("/pairs")
@school_required
def pairs():
    org = current_org._get_current_object()
    flt = PairFilter.parse(request.args)
    page = paginate(pairs_statement(flt))
    forms = form_names(org.path)  # the region's catalogue, once per request
    return render_template(
        "pairing/pair_list.html", page=page, flt=flt, forms=forms, programmes=programmes(),
        statuses=STATUS_LABELS, person_name=person_name,
    )


# ---------------------------------------------------------------------------- new


@bp.route("/pairs/new", methods=["GET", "POST"])
@school_required
def pair_new():
    org = current_org._get_current_object()
    forms = form_names(org.path)
    form = PairForm()
    _fill_choices(form, forms)
    offers = []
    if request.method == "GET":
        form.programme.data = request.args.get("programme", type=int)
        form.started_on.data = region_today()
    if form.validate_on_submit():
        programme = get_or_404(Programme, form.programme.data)
        mentor, mentees = _chosen_people(form)
        try:
            _record_consent_dates(form, {mentor.id, *(m.id for m in mentees)}, org)
            pair = create_pair(programme, mentor, mentees, form.started_on.data,
                               user=current_user, org=org, planned_end_on=form.planned_end_on.data)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
            offers = _offer_consent_dates(form)
        else:
            flash(_("The pair is created.") if len(form.mentees.data) == 1 else _("The group is created."), "success")
            return redirect(url_for("pairing.pair_show", pair_id=pair.id))
    return render_template("pairing/pair_new.html", form=form, no_programmes=not form.programme.choices,
                           offers=offers, pair=None)


# ---------------------------------------------------------------------------- card


def _pair_or_404(pair_id: int) -> Mentorship:
    pair = load_pair(pair_id)  # through the tenant scope: another school's pair is not found
    if pair is None:
        abort(404)
    return pair


@bp.route("/pairs/<int:pair_id>")
@school_required
def pair_show(pair_id: int):
    org = current_org._get_current_object()
    pair = _pair_or_404(pair_id)
    forms = form_names(org.path)
    event_people = people_by_id(filter(None, (event_participant_id(e) for e in pair.events)))
    add_form = complete_form = end_form = void_form = None
    if pair.status != VOIDED:
        void_form = VoidForm(formdata=None)
    if pair.status == "active":
        add_form = AddMenteeForm(formdata=None)
        add_form.mentee.choices = _people_choices(mentee_choices(exclude_ids=[m.participant_id for m in pair.members]))
        add_form.on.data = region_today()
        complete_form = CompleteForm(formdata=None)
        complete_form.on.data = region_today()
        end_form = EndForm(formdata=None)
        end_form.on.data = region_today()
    links = {flag: endpoint in current_app.view_functions for endpoint, flag in LINKED_PAGES.items()}
    html = render_template(
        "pairing/pair_show.html", pair=pair, form_name=forms.get(pair.form_code, pair.form_code),
        statuses=STATUS_LABELS, decisions=DECISION_LABELS, event_labels=EVENT_LABELS,
        reasons=describe_reasons(pair.reasons), orders=orders_of(pair), person_name=person_name,
        event_person=lambda e: person_name(event_people.get(event_participant_id(e))),
        event_participant_id=event_participant_id, links=links, confirm=ConfirmForm(),
        add_form=add_form, complete_form=complete_form, end_form=end_form, void_form=void_form,
        fixing_order=order_fixing(pair) if pair.status == "active" else None, event_note=event_note,
    )
    open_card(pair, user=current_user, org=org)
    db.session.commit()
    return html


# ---------------------------------------------------------------------------- changes


def _pair_for_change(pair_id: int) -> Mentorship:
    """The pair, its row locked (PostgreSQL) so two changes of one pair are serialised."""
    pair = db.session.scalar(sa.select(Mentorship).where(Mentorship.id == pair_id).with_for_update())
    if pair is None:
        abort(404)
    return pair


def _change(pair: Mentorship, change, success: str):
    """Apply ``change(org)`` (it audits itself) and commit, or roll back and say why; back to
    the card."""
    pair_id = pair.id
    try:
        change(current_org._get_current_object())
        db.session.commit()
        flash(success, "success")
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    return redirect(url_for("pairing.pair_show", pair_id=pair_id))


def _form_errors(form) -> None:
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}", "danger")


@bp.route("/pairs/<int:pair_id>/mentees/add", methods=["POST"])
@school_required
def pair_add_mentee(pair_id: int):
    pair = _pair_for_change(pair_id)
    form = AddMenteeForm()
    form.mentee.choices = _people_choices(mentee_choices())
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("pairing.pair_show", pair_id=pair.id))
    mentee = people_by_id([form.mentee.data])[form.mentee.data]
    return _change(pair, lambda org: add_mentee(pair, mentee, form.on.data, user=current_user, org=org),
                   _("The mentee is added."))


@bp.route("/pairs/<int:pair_id>/mentees/<int:member_id>/remove", methods=["POST"])
@school_required
def pair_remove_mentee(pair_id: int, member_id: int):
    pair = _pair_for_change(pair_id)
    member = next((m for m in pair.members if m.id == member_id), None)
    if member is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _change(pair, lambda org: remove_mentee(pair, member_id, user=current_user, org=org),
                   _("The mentee is removed from the group."))


@bp.route("/pairs/<int:pair_id>/complete", methods=["POST"])
@school_required
def pair_complete(pair_id: int):
    pair = _pair_for_change(pair_id)
    form = CompleteForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("pairing.pair_show", pair_id=pair.id))
    return _change(pair, lambda org: complete(pair, form.on.data, form.decision.data, user=current_user,
                                              note=form.note.data, org=org),
                   _("The mentorship is completed."))


@bp.route("/pairs/<int:pair_id>/end", methods=["POST"])
@school_required
def pair_end(pair_id: int):
    pair = _pair_for_change(pair_id)
    form = EndForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("pairing.pair_show", pair_id=pair.id))
    return _change(pair, lambda org: end_early(pair, form.on.data, form.reason.data, user=current_user, org=org),
                   _("The mentorship is ended early."))


# ---------------------------------------------------------------------------- corrections


@bp.route("/pairs/<int:pair_id>/edit", methods=["GET", "POST"])
@school_required
def pair_edit(pair_id: int):
    """Correct what was entered wrongly (start date, programme and form, mentor, mentees)
    while no order fixes the pair; the rules are the domain's (``correct_pair``)."""
    org = current_org._get_current_object()
    pair = _pair_or_404(pair_id) if request.method == "GET" else _pair_for_change(pair_id)
    back = url_for("pairing.pair_show", pair_id=pair.id)
    try:
        check_correctable(pair)
    except DomainError as error:
        if request.method == "POST":
            flash_error(error)
            return redirect(back)
        # the page says why (the order that fixes the pair) instead of the form
        return render_template("pairing/pair_new.html", form=None, pair=pair, refused=error.messages, offers=[],
                               no_programmes=False)
    forms = form_names(org.path)
    form = PairForm(obj=SimpleNamespace(
        programme=pair.programme_id, mentor=pair.mentor_id, mentees=[m.participant_id for m in pair.members],
        started_on=pair.started_on, planned_end_on=pair.planned_end_on)) if request.method == "GET" else PairForm()
    _fill_choices(form, forms, pair)
    offers = []
    if form.validate_on_submit():
        programme = get_or_404(Programme, form.programme.data)
        mentor, mentees = _chosen_people(form)
        try:
            _record_consent_dates(form, {mentor.id, *(m.id for m in mentees)}, org)
            changed = correct_pair(pair, programme=programme, mentor=mentor, mentees=mentees,
                                   started_on=form.started_on.data, planned_end_on=form.planned_end_on.data,
                                   user=current_user, org=org)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
            offers = _offer_consent_dates(form)
            pair = _pair_or_404(pair_id)  # the rollback expired it
        else:
            flash(_("The pair is corrected.") if changed else _("Nothing has changed."), "success")
            return redirect(back)
    return render_template("pairing/pair_new.html", form=form, no_programmes=not form.programme.choices,
                           offers=offers, pair=pair)


@bp.route("/pairs/<int:pair_id>/void", methods=["POST"])
@school_required
def pair_void(pair_id: int):
    pair = _pair_for_change(pair_id)
    form = VoidForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("pairing.pair_show", pair_id=pair.id))
    return _change(pair, lambda org: void_pair(pair, form.reason.data, user=current_user, org=org),
                   _("The pair is voided: it stays in the history and is counted nowhere."))
