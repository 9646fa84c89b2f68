"""Completed trainings: the organisation's own list (a school's mentors and staff), a course
a mentor took elsewhere, and the certificate (mentorship/training/completions.py)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.pagination import paginate
from blueprints.training import bp
from blueprints.training.forms import ExternalCompletionForm
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.people.models import Participant
from mentorship.training import completions, courses, enrolment
from mentorship.training.completions import ExternalData
from mentorship.training.models import TrainingCompletion
from tenants.access import current_membership, current_org, get_or_404, membership_required, school_required


def _org():
    return current_org._get_current_object()


@bp.route("/completions")
@membership_required
def completion_list():
    org = _org()
    page = paginate(completions.school_completions(org))
    return render_template("training/completions.html", page=page, names=completions.names_of(page.items), org=org,
                           can_record=org.kind == "school" and courses.can_organise(current_membership()))


@bp.route("/completions/external", methods=["GET", "POST"])
@school_required
def completion_external():
    if not courses.can_organise(current_membership()):
        abort(403)
    form = ExternalCompletionForm()
    form.participant_id.choices = [SelectChoice(p.id, p.full_name) for p in enrolment.school_mentors(_org())]
    if form.validate_on_submit():
        participant = get_or_404(Participant, form.participant_id.data)
        upload = form.certificate.data
        try:
            checked = (completions.check_certificate(upload.filename, upload.read())
                       if upload is not None and getattr(upload, "filename", "") else None)
            completions.record_external(
                participant, ExternalData(course_title=form.course_title.data, organiser_name=form.organiser_name.data,
                                          completed_on=form.completed_on.data, hours=form.hours.data,
                                          certificate_number=form.certificate_number.data),
                certificate=checked, org=_org(), user=current_user, today=region_today())
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            db.session.commit()
            flash(_("The training has been recorded."), "success")
            return redirect(url_for("training.completion_list"))
    return render_template("training/external_new.html", form=form)


@bp.route("/completions/<int:completion_id>/certificate")
@membership_required
def completion_certificate(completion_id: int):
    completion = get_or_404(TrainingCompletion, completion_id)
    out = completions.open_certificate(completion, org=_org(), user=current_user)
    if out is None:
        abort(404)
    db.session.commit()
    response = Response(out.data, mimetype=out.content_type)
    response.headers["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(out.filename, safe="")
    response.headers["Cache-Control"] = "no-store"
    return response
