"""Forms of the training pages: a course, a session, enrolment, attendance, completion, a
course taken elsewhere, and the catalogue's search (GET, no CSRF)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.base_form import BaseForm, required
from mentorship.training.courses import AUDIENCE_LABELS, FORMAT_LABELS, KIND_LABELS
from mentorship.training.models import MAX_CAPACITY, MAX_HOURS


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def _choices(labels: dict, blank=None) -> list[SelectChoice]:
    options = [SelectChoice(code, label) for code, label in labels.items()]
    return [SelectChoice("", blank), *options] if blank is not None else options


def _whole(low: int, high: int):
    return [InputRequired(message=_l("This field is required.")),
            NumberRange(low, high, message=_l("From %(min)d to %(max)d.", min=low, max=high))]


class ChecklistField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CourseForm(BaseForm):
    title = StringField(_l("Title"), validators=[required(), _max(300)],
                        description=_l("e.g. «Школа наставников: первые шаги»"))
    kind = SelectField(_l("Kind"), choices=_choices(KIND_LABELS), default="seminar")
    description = TextAreaField(_l("Description"), validators=[Optional(), _max(10000)], render_kw={"rows": 4})
    format = SelectField(_l("Format"), choices=_choices(FORMAT_LABELS), default="in_person")
    place = StringField(_l("Place"), validators=[Optional(), _max(300)], description=_l("For an in-person course"))
    link = StringField(_l("Link"), validators=[Optional(), _max(500)],
                       description=_l("For an online course: the address participants follow"))
    hours = IntegerField(_l("Hours"), validators=_whole(1, MAX_HOURS))
    capacity = IntegerField(_l("Places"), validators=_whole(1, MAX_CAPACITY))
    audience = SelectField(_l("For whom"), choices=_choices(AUDIENCE_LABELS), default="mentors")
    form_codes = ChecklistField(_l("Forms of mentorship (none: every form)"), choices=[])
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    enrolment_open = BooleanField(_l("Enrolment is open"), default=True)
    programme = FileField(_l("Programme (PDF, DOCX; up to 10 MB)"))


class SessionForm(BaseForm):
    held_on = DateField(_l("Date"), validators=[required()], id="session-held-on")
    starts_at = TimeField(_l("Start"), validators=[Optional()], id="session-starts-at")
    duration_hours = IntegerField(_l("Hours"), validators=[Optional(), NumberRange(1, 24, message=_l(
        "From %(min)d to %(max)d.", min=1, max=24))], id="session-duration")
    topic = StringField(_l("Topic"), validators=[required(), _max(300)], id="session-topic")
    place = StringField(_l("Place or link, if not the course's"), validators=[Optional(), _max(500)],
                        id="session-place")


class EnrolMentorForm(BaseForm):
    person = SelectField(_l("Mentor"), coerce=int, choices=[], validators=[required()], id="enrol-person")


class EnrolStaffForm(BaseForm):
    email = StringField(_l("E-mail of the member of staff"), validators=[required(), _max(254)], id="enrol-email",
                        description=_l("A curator or another member of an organisation that may be enrolled"))


class AttendanceForm(BaseForm):
    present = SelectMultipleField(_l("Present"), coerce=int, choices=[], validate_choice=False)


class CompletionForm(BaseForm):
    completed_on = DateField(_l("Completed on"), validators=[required()])
    hours = IntegerField(_l("Hours"), validators=_whole(1, MAX_HOURS))
    certificate_number = StringField(_l("Certificate number"), validators=[Optional(), _max(40)],
                                     description=_l("Leave empty to give the next free number of the year"))
    certificate = FileField(_l("Scanned certificate (optional; otherwise it is generated)"))


class ExternalCompletionForm(BaseForm):
    participant_id = SelectField(_l("Mentor"), coerce=int, choices=[], validators=[required()])
    course_title = StringField(_l("Course"), validators=[required(), _max(300)])
    organiser_name = StringField(_l("Organised by"), validators=[required(), _max(300)],
                                 description=_l("e.g. «ГАУ ДПО Институт развития образования»"))
    completed_on = DateField(_l("Completed on"), validators=[required()])
    hours = IntegerField(_l("Hours"), validators=_whole(1, MAX_HOURS))
    certificate_number = StringField(_l("Certificate number"), validators=[Optional(), _max(40)])
    certificate = FileField(_l("Certificate (PDF, JPEG, PNG; up to 10 MB)"))


class CourseFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), _max(100)])
    kind = SelectField(_l("Kind"), choices=_choices(KIND_LABELS, blank=_l("Any kind")), validators=[Optional()])
    when = SelectField(_l("When"), choices=[SelectChoice("", _l("Current and coming")),
                                            SelectChoice("past", _l("Past")), SelectChoice("all", _l("All"))],
                       validators=[Optional()])
    own = BooleanField(_l("Organised by us"))

    def value(self, name: str):
        field = self[name]
        return "" if field.errors else (field.data or "")
