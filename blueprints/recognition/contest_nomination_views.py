"""Nominations: a school puts forward a mentor (only those who consented to publication are
offered), opens its entry, downloads its file and may withdraw it while nominations are open.
An entry is the school's, shared upward: the organiser and its jury open it too; another school
gets a 404 (the tenant scope itself)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.recognition import bp
from blueprints.recognition.contest_forms import NominateForm
from blueprints.recognition.contest_views import contest_or_404, file_response, org
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.recognition.contests import STATUS_LABELS, can_nominate, check_file, org_names
from mentorship.recognition.contests_nominations import (
    ENTRY_STATE_LABELS,
    load_nominee,
    nominable_mentors,
    nominate,
    nominations_open,
    open_entry_file,
    withdraw,
)
from tenants.access import current_membership, membership_required


def _school_contest_or_404(contest_id: int):
    """The contest, for a member of a school below its organiser who may nominate (404 for any
    other organisation; 403 for a school role that may not)."""
    contest = contest_or_404(contest_id)
    here = org()
    if here.kind != "school" or contest.org_id == here.id:
        abort(404)
    if not can_nominate(current_membership()):
        abort(403)
    return contest


@bp.route("/contests/<int:contest_id>/nominate", methods=["GET", "POST"])
@membership_required
def contest_nominate(contest_id: int):
    contest = _school_contest_or_404(contest_id)
    if not nominations_open(contest, region_today()):
        flash(_("Nominations are not accepted now."), "warning")
        return redirect(url_for("recognition.contest_show", contest_id=contest_id))
    form = NominateForm()
    mentors = nominable_mentors()
    form.participant_id.choices = [SelectChoice("", _("Choose a mentor"))] + [
        SelectChoice(p.id, p.full_name + (f" — {p.class_or_position}" if p.class_or_position else ""))
        for p in mentors]
    form.nomination_id.choices = [SelectChoice(n.id, n.title) for n in contest.nominations]
    if form.validate_on_submit():
        try:
            upload = form.file.data
            checked = (check_file(upload.filename, upload.read(), "file")
                       if upload and getattr(upload, "filename", "") else None)
            nominee = nominate(contest, org(), participant_id=form.participant_id.data,
                               nomination_id=form.nomination_id.data, entry_text=form.entry_text.data,
                               file=checked, user=current_user, today=region_today())
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The mentor is nominated."), "success")
            return redirect(url_for("recognition.contest_entry", contest_id=contest_id, nominee_id=nominee.id))
    return render_template("recognition/contest_nominate.html", form=form, contest=contest, mentors=mentors)


def _entry_or_404(contest_id: int, nominee_id: int):
    contest = contest_or_404(contest_id)
    nominee = load_nominee(contest, nominee_id)  # through the scope: the school's own, or below the viewer
    if nominee is None:
        abort(404)
    return contest, nominee


@bp.route("/contests/<int:contest_id>/entries/<int:nominee_id>")
@membership_required
def contest_entry(contest_id: int, nominee_id: int):
    contest, nominee = _entry_or_404(contest_id, nominee_id)
    here = org()
    is_own = nominee.org_id == here.id
    return render_template(
        "recognition/contest_entry.html", contest=contest, nominee=nominee, is_own=is_own,
        school_name=org_names([nominee.org_id]).get(nominee.org_id, ""), statuses=STATUS_LABELS,
        entry_states=ENTRY_STATE_LABELS, action_form=ConfirmForm(),
        may_withdraw=is_own and can_nominate(current_membership()) and nominee.status == "submitted"
        and contest.status == "announced")


@bp.route("/contests/<int:contest_id>/entries/<int:nominee_id>/file")
@membership_required
def contest_entry_file(contest_id: int, nominee_id: int):
    _contest, nominee = _entry_or_404(contest_id, nominee_id)
    if nominee.file is None:
        abort(404)
    file = open_entry_file(nominee, org(), user=current_user)
    response = file_response(file.data, file.content_type, file.filename, f"entry-{nominee.id}")
    db.session.commit()
    return response


@bp.route("/contests/<int:contest_id>/entries/<int:nominee_id>/withdraw", methods=["POST"])
@membership_required
def contest_entry_withdraw(contest_id: int, nominee_id: int):
    _contest, nominee = _entry_or_404(contest_id, nominee_id)
    if nominee.org_id != org().id:
        abort(404)
    if not can_nominate(current_membership()):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        withdraw(nominee, org(), user=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    else:
        flash(_("The entry is withdrawn."), "success")
    return redirect(url_for("recognition.contest_entry", contest_id=contest_id, nominee_id=nominee_id))
