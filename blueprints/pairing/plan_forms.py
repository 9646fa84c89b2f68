"""Forms of a pair's work: the individual plan and its tasks, meetings, feedback and completion
reviews."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from blueprints.base_form import BaseForm, required
from mentorship.pairing.completion import AUTHOR_LABELS
from mentorship.pairing.meetings import FORMAT_LABELS, KIND_LABELS
from mentorship.pairing.plans import STATUS_LABELS


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


def _date(label, *validators):
    return DateField(label, validators=list(validators), format="%Y-%m-%d",
                     render_kw={"type": "date"})


def _rating():
    return IntegerField(_l("Rating (1–10)"), validators=[
        Optional(), NumberRange(min=1, max=10, message=_l("The rating must be 1 to 10."))])


class PlanNewForm(BaseForm):
    source = HiddenField(default="template")


class PlanGoalsForm(BaseForm):
    goals = TextAreaField(_l("Goals"), validators=[Optional(), _max(5000)])


class PlanTaskForm(BaseForm):
    title = StringField(_l("Task"), validators=[required(), _max(500)])
    due_on = _date(_l("Due date"), Optional())


class PlanTaskEditForm(BaseForm):
    status = SelectField(_l("Status"), choices=choices(STATUS_LABELS), validators=[required()])
    due_on = _date(_l("Due date"), Optional())


class MeetingForm(BaseForm):
    kind = SelectField(_l("Kind"), choices=choices(KIND_LABELS), validators=[required()])
    held_on = _date(_l("Date"), required())
    duration_minutes = IntegerField(_l("Duration, minutes"), default=45, validators=[
        InputRequired(message=_l("This field is required.")),
        NumberRange(min=1, max=600, message=_l("The duration must be 1 to 600 minutes.")),
    ])
    format = SelectField(_l("Format"), choices=choices(FORMAT_LABELS), validators=[required()])
    topic = StringField(_l("Topic"), validators=[Optional(), _max(500)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), _max(10000)])


class FeedbackForm(BaseForm):
    author_role = SelectField(_l("From"), choices=choices(AUTHOR_LABELS), validators=[required()])
    written_on = _date(_l("Date"), required())
    rating = _rating()
    text = TextAreaField(_l("Feedback"), validators=[required(), _max(10000)])


class ReviewForm(BaseForm):
    participant_id = SelectField(_l("Author"), coerce=int, choices=[], validators=[required()])
    written_on = _date(_l("Date"), required())
    rating = _rating()
    text = TextAreaField(_l("Text of the review"), validators=[required(), _max(10000)])

