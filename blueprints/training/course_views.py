"""The catalogue of courses, a course's page, creating and changing one, its programme, its
schedule and attendance (mentorship/training/courses.py, attendance.py)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.pagination import paginate
from blueprints.training import bp
from blueprints.training.forms import (
    AttendanceForm,
    CourseFilterForm,
    CourseForm,
    EnrolMentorForm,
    EnrolStaffForm,
    SessionForm,
)
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.region.forms import region_forms
from mentorship.training import attendance, courses, enrolment
from mentorship.training.courses import AUDIENCE_LABELS, FORMAT_LABELS, KIND_LABELS, CourseData, SessionData
from mentorship.training.models import Course
from tenants.access import current_membership, current_org, get_or_404, membership_required

LABELS = {"kind": KIND_LABELS, "format": FORMAT_LABELS, "audience": AUDIENCE_LABELS,
          "status": enrolment.STATUS_LABELS}


def _org():
    return current_org._get_current_object()


def _require_organiser_role() -> None:
    if not courses.can_organise(current_membership()):
        abort(403)


def organiser_course_or_404(course_id: int) -> Course:
    """The course, for its organiser's own pages: anyone else sees the course but has nothing
    to act on there (404), and a read-only role of the organiser gets 403."""
    course = get_or_404(Course, course_id)
    if not courses.is_organiser(course, _org()):
        abort(404)
    _require_organiser_role()
    return course


def _form_choices(form: CourseForm) -> None:
    form.form_codes.choices = [SelectChoice(f.code, f.name) for f in region_forms(_org().path)]


def _course_data(form: CourseForm) -> CourseData:
    return CourseData(
        title=form.title.data, kind=form.kind.data, description=form.description.data, format=form.format.data,
        place=form.place.data, link=form.link.data, hours=form.hours.data, capacity=form.capacity.data,
        audience=form.audience.data, form_codes=list(form.form_codes.data or []), starts_on=form.starts_on.data,
        ends_on=form.ends_on.data, enrolment_open=bool(form.enrolment_open.data),
    )


def _programme(form: CourseForm):
    upload = form.programme.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return courses.check_programme(upload.filename, upload.read())


# ---------------------------------------------------------------------------- the catalogue


@bp.route("/")
@membership_required
def index():
    form = CourseFilterForm(request.args)
    form.validate()
    filters = courses.CourseFilters(q=form.value("q"), kind=form.value("kind"), when=form.value("when") or "current",
                                    own=bool(form.value("own")))
    page = paginate(courses.courses_query(_org(), filters, region_today()))
    names = courses.organiser_names(c.org_id for c in page.items)
    return render_template("training/course_list.html", page=page, form=form, args=filters.as_args(), names=names,
                           labels=LABELS, can_organise=courses.can_organise(current_membership()))


@bp.route("/new", methods=["GET", "POST"])
@membership_required
def course_new():
    _require_organiser_role()
    form = CourseForm()
    _form_choices(form)
    if form.validate_on_submit():
        try:
            course = courses.create_course(_org(), _course_data(form), user=current_user, programme=_programme(form))
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            db.session.commit()
            flash(_("The course has been created."), "success")
            return redirect(url_for("training.course_show", course_id=course.id))
    return render_template("training/course_form.html", form=form, course=None)


@bp.route("/<int:course_id>/edit", methods=["GET", "POST"])
@membership_required
def course_edit(course_id: int):
    course = organiser_course_or_404(course_id)
    form = CourseForm(obj=course) if request.method == "GET" else CourseForm()
    _form_choices(form)
    if form.validate_on_submit():
        try:
            courses.update_course(course, _course_data(form), org=_org(), user=current_user,
                                  programme=_programme(form))
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            db.session.commit()
            flash(_("The course has been saved."), "success")
            return redirect(url_for("training.course_show", course_id=course.id))
    return render_template("training/course_form.html", form=form, course=course)


# ---------------------------------------------------------------------------- a course's page


def render_course(course: Course, *, session_form=None, mentor_form=None, staff_form=None, status: int = 200):
    """The course's page, with the forms given (a refused one shows its errors)."""
    org = _org()
    membership = current_membership()
    organiser = courses.is_organiser(course, org)
    today = region_today()
    may_act = courses.can_organise(membership)
    refusal = enrolment.enrolment_refusal(course, org, today)
    if mentor_form is None and may_act and refusal is None and org.kind == "school" and course.audience != "curators":
        mentor_form = EnrolMentorForm()
    if mentor_form is not None:
        mentor_form.person.choices = [SelectChoice(p.id, p.full_name)
                                      for p in enrolment.mentor_candidates(course, org)]
    if staff_form is None and may_act and refusal is None and course.audience != "mentors":
        staff_form = EnrolStaffForm()
    page = paginate(enrolment.roster_query(course, org))
    return render_template(
        "training/course_show.html", course=course, organiser=organiser, may_act=may_act,
        organiser_name=courses.organiser_names([course.org_id]).get(course.org_id, ""),
        refusal=refusal, page=page, owners=enrolment.owner_names(page.items),
        attended=attendance.attended_counts(course) if organiser else {},
        forms={f.code: f.name for f in region_forms(org.path, include_retired=True)},
        session_form=session_form or (SessionForm() if organiser and may_act else None),
        mentor_form=mentor_form, staff_form=staff_form, confirm=ConfirmForm(), labels=LABELS,
        can_cancel=lambda e: may_act and enrolment.can_cancel(e, course, org),
    ), status


@bp.route("/<int:course_id>")
@membership_required
def course_show(course_id: int):
    return render_course(get_or_404(Course, course_id))


@bp.route("/<int:course_id>/programme")
@membership_required
def course_programme(course_id: int):
    course = get_or_404(Course, course_id)
    programme = course.programme
    if programme is None:
        abort(404)
    response = Response(programme.data, mimetype=programme.content_type)
    response.headers["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(programme.filename, safe="")
    return response


# ---------------------------------------------------------------------------- the schedule


@bp.route("/<int:course_id>/sessions", methods=["POST"])
@membership_required
def session_add(course_id: int):
    course = organiser_course_or_404(course_id)
    form = SessionForm()
    if form.validate_on_submit():
        try:
            courses.add_session(course, SessionData(held_on=form.held_on.data, starts_at=form.starts_at.data,
                                                    duration_hours=form.duration_hours.data, topic=form.topic.data,
                                                    place=form.place.data), org=_org(), user=current_user)
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            db.session.commit()
            flash(_("The session has been added to the schedule."), "success")
            return redirect(url_for("training.course_show", course_id=course.id) + "#schedule")
    return render_course(course, session_form=form, status=400)


@bp.route("/<int:course_id>/sessions/<int:session_id>/delete", methods=["POST"])
@membership_required
def session_delete(course_id: int, session_id: int):
    course = organiser_course_or_404(course_id)
    session = courses.session_of(course, session_id)
    if session is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    courses.remove_session(course, session, org=_org(), user=current_user)
    db.session.commit()
    flash(_("The session has been removed from the schedule."), "success")
    return redirect(url_for("training.course_show", course_id=course.id) + "#schedule")


@bp.route("/<int:course_id>/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@membership_required
def session_attendance(course_id: int, session_id: int):
    course = organiser_course_or_404(course_id)
    session = courses.session_of(course, session_id)
    if session is None:
        abort(404)
    people = attendance.enrolled(course)
    form = AttendanceForm()
    form.present.choices = [SelectChoice(e.id, e.display_name) for e in people]
    if form.validate_on_submit():
        try:
            present = attendance.record_attendance(course, session, form.present.data or [], org=_org(),
                                                   user=current_user)
        except DomainError as error:
            db.session.rollback()
            flash_error(error)
        else:
            db.session.commit()
            flash(_("Attendance has been saved: %(n)d present.", n=present), "success")
            return redirect(url_for("training.course_show", course_id=course.id) + "#schedule")
    marks = attendance.marks(session)
    return render_template("training/attendance.html", course=course, session=session, people=people, marks=marks,
                           owners=enrolment.owner_names(people), form=form)
