"""A pair's meetings (organisational → trial → planning → regular → final) and the school's
pairs with no meeting for too long."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from blueprints.auth.forms import ConfirmForm
from blueprints.pagination import paginate, search_term
from blueprints.pairing import bp
from blueprints.pairing.plan_forms import MeetingForm
from blueprints.pairing.plan_views import pair_card_url, pair_context, pair_or_404
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.pairing import meetings as meeting_service
from mentorship.pairing.meetings import FORMAT_LABELS, KIND_LABELS, WARNINGS
from mentorship.pairing.models import Meeting
from tenants.access import current_org, get_or_404, school_required


def _values(form: MeetingForm) -> dict:
    return {"kind": form.kind.data, "held_on": form.held_on.data, "duration_minutes": form.duration_minutes.data,
            "format": form.format.data, "topic": form.topic.data, "notes": form.notes.data}


def _warn(codes) -> None:
    for code in codes:
        flash(str(WARNINGS[code]), "warning")


def _render_list(pair, form, status=200):
    page = paginate(meeting_service.meetings_stmt(pair))
    return render_template(
        "pairing/meeting_list.html", **pair_context(pair, "meetings"), page=page, form=form,
        confirm_form=ConfirmForm(), kind_labels=KIND_LABELS, format_labels=FORMAT_LABELS,
        warnings=[WARNINGS[c] for c in meeting_service.sequence_warnings(pair)],
    ), status


@bp.route("/pairs/<int:pair_id>/meetings")
@school_required
def meetings(pair_id: int):
    pair = pair_or_404(pair_id)
    form = MeetingForm(formdata=None, held_on=region_today())
    return _render_list(pair, form)


@bp.route("/pairs/<int:pair_id>/meetings/new", methods=["POST"])
@school_required
def meeting_new(pair_id: int):
    pair = pair_or_404(pair_id)
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            _meeting, warnings = meeting_service.add_meeting(pair, **_values(form))
            db.session.commit()
            flash(_("The meeting is recorded."), "success")
            _warn(warnings)
            return redirect(url_for("pairing.meetings", pair_id=pair.id))
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
            pair = pair_or_404(pair_id)
    return _render_list(pair, form)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@school_required
def meeting_edit(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    pair_id = meeting.mentorship_id
    pair = pair_or_404(pair_id)
    form = MeetingForm(obj=meeting)
    if form.validate_on_submit():
        try:
            warnings = meeting_service.update_meeting(meeting, **_values(form))
            db.session.commit()
            flash(_("The meeting is saved."), "success")
            _warn(warnings)
            return redirect(url_for("pairing.meetings", pair_id=pair.id))
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
            pair = pair_or_404(pair_id)
    return render_template("pairing/meeting_edit.html", **pair_context(pair, "meetings"), form=form, meeting=meeting)


@bp.route("/meetings/<int:meeting_id>/delete", methods=["POST"])
@school_required
def meeting_delete(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    pair_id = meeting.mentorship_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    meeting_service.delete_meeting(meeting)
    db.session.commit()
    flash(_("The meeting is deleted."), "success")
    return redirect(url_for("pairing.meetings", pair_id=pair_id))


@bp.route("/meetings/stale")
@school_required
def meetings_stale():
    today = region_today()
    org = current_org._get_current_object()
    search = search_term()
    page = paginate(meeting_service.stale_pairs_stmt(org.id, today, search))
    last = meeting_service.last_meeting_dates([p.id for p in page.items], today)
    return render_template("pairing/meeting_stale.html", page=page, last=last, today=today, search=search,
                           card_urls={p.id: pair_card_url(p.id) for p in page.items})
