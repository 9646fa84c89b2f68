"""Enrolment in a course (a school's mentors, members of staff by e-mail), its cancellation,
and the organiser's marking of completion (mentorship/training/enrolment.py, completions.py)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.training import bp
from blueprints.training.course_views import render_course
from blueprints.training.forms import CompletionForm, EnrolMentorForm, EnrolStaffForm
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.people.models import Participant
from mentorship.training import completions, courses, enrolment
from mentorship.training.models import Course, Enrolment
from tenants.access import current_membership, current_org, get_or_404, membership_required


def _org():
    return current_org._get_current_object()


def _may_act() -> None:
    if not courses.can_organise(current_membership()):
        abort(403)


def _to_course(course_id: int):
    return redirect(url_for("training.course_show", course_id=course_id) + "#roster")


@bp.route("/<int:course_id>/enrol-mentor", methods=["POST"])
@membership_required
def enrol_mentor(course_id: int):
    course = get_or_404(Course, course_id)
    _may_act()
    form = EnrolMentorForm()
    org = _org()
    form.person.choices = [SelectChoice(p.id, p.full_name) for p in enrolment.mentor_candidates(course, org)]
    if form.validate_on_submit():
        participant = db.session.get(Participant, form.person.data)
        try:
            if participant is None:
                raise enrolment.EnrolmentError("not_a_mentor", field="person")
            enrolment.enrol_mentor(course, participant, org=org, user=current_user, today=region_today())
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            db.session.commit()
            flash(_("%(name)s has been enrolled.", name=participant.full_name), "success")
            return _to_course(course.id)
    return render_course(db.session.get(Course, course_id), mentor_form=form, status=400)


@bp.route("/<int:course_id>/enrol-staff", methods=["POST"])
@membership_required
def enrol_staff(course_id: int):
    course = get_or_404(Course, course_id)
    _may_act()
    form = EnrolStaffForm()
    if form.validate_on_submit():
        try:
            done = enrolment.enrol_staff(course, form.email.data, org=_org(), user=current_user, today=region_today())
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            db.session.commit()
            flash(_("%(name)s has been enrolled.", name=done.display_name), "success")
            return _to_course(course.id)
    return render_course(db.session.get(Course, course_id), staff_form=form, status=400)


@bp.route("/enrolments/<int:enrolment_id>/cancel", methods=["POST"])
@membership_required
def enrolment_cancel(enrolment_id: int):
    item = get_or_404(Enrolment, enrolment_id)
    course_id = item.course_id
    _may_act()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        enrolment.cancel_enrolment(item, org=_org(), user=current_user)
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    else:
        db.session.commit()
        flash(_("The enrolment has been cancelled."), "success")
    return _to_course(course_id)


@bp.route("/enrolments/<int:enrolment_id>/complete", methods=["GET", "POST"])
@membership_required
def enrolment_complete(enrolment_id: int):
    item = get_or_404(Enrolment, enrolment_id)
    course = item.course
    if not courses.is_organiser(course, _org()):
        abort(404)
    _may_act()
    form = CompletionForm()
    if not form.is_submitted():
        form.completed_on.data = min(course.ends_on or region_today(), region_today())
        form.hours.data = course.hours
    if form.validate_on_submit():
        upload = form.certificate.data
        try:
            checked = (completions.check_certificate(upload.filename, upload.read())
                       if upload is not None and getattr(upload, "filename", "") else None)
            completion = completions.complete(
                item, completed_on=form.completed_on.data, hours=form.hours.data,
                certificate_number=form.certificate_number.data, certificate=checked, org=_org(), user=current_user,
                today=region_today())
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            number = completion.certificate_number
            db.session.commit()
            flash(_("The training is completed; certificate № %(n)s.", n=number), "success")
            return _to_course(course.id)
    return render_template("training/complete.html", course=course, item=item, form=form)
