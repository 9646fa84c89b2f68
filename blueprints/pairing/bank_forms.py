"""Forms of the mentor and mentee banks: the questionnaire, the mentee's profile, a request,
and the banks' search-and-filter forms (GET, no CSRF: they change nothing)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.base_form import BaseForm, required
from mentorship.pairing.banks import (
    FOLLOW_UP_LABELS,
    INTERVIEW_LABELS,
    MAX_CAPACITY,
    MIN_CAPACITY,
    REQUEST_KIND_LABELS,
    REQUEST_SOURCE_LABELS,
    TRAINING_LABELS,
)
from mentorship.region.forms import CATEGORY_LABELS


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def _choices(labels: dict, blank=None) -> list[SelectChoice]:
    options = [SelectChoice(code, label) for code, label in labels.items()]
    return [SelectChoice("", blank), *options] if blank is not None else options


class ChecklistField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MentorProfileForm(BaseForm):
    competencies = ChecklistField(_l("Competencies: requests the mentor can meet"),
                                  choices=_choices(REQUEST_KIND_LABELS))
    subjects = StringField(_l("Subjects"), validators=[Optional(), _max(500)],
                           description=_l("e.g. «математика, физика»"))
    interests = StringField(_l("Interests"), validators=[Optional(), _max(500)])
    preferred_forms = ChecklistField(_l("Preferred forms of mentorship (none: any)"), choices=[])
    capacity = IntegerField(
        _l("Capacity: how many mentees"),
        validators=[InputRequired(message=_l("This field is required.")),
                    NumberRange(MIN_CAPACITY, MAX_CAPACITY, message=_l("From %(min)d to %(max)d.",
                                                                         min=MIN_CAPACITY, max=MAX_CAPACITY))],
        default=1,
    )
    hours_per_month = IntegerField(_l("Hours per month available"),
                                   validators=[Optional(), NumberRange(0, 200, message=_l("From 0 to 200."))])
    interview_result = SelectField(_l("Interview"), choices=_choices(INTERVIEW_LABELS), default="pending")
    training_status = SelectField(_l("School of mentors"), choices=_choices(TRAINING_LABELS), default="none")
    approved = BooleanField(_l("Approved for the current programme"))
    publish_consent = BooleanField(_l("Agrees to appear in the municipal mentor registry"))


class MenteeProfileForm(BaseForm):
    interests = StringField(_l("Interests"), validators=[Optional(), _max(500)])
    follow_up = SelectField(_l("Follow-up"), choices=_choices(FOLLOW_UP_LABELS), default="none",
                            description=_l("For a mentee left without a partner"))
    follow_up_note = TextAreaField(_l("Follow-up note"), validators=[Optional(), _max(5000)])
    request_kind = SelectField(_l("First request"), choices=_choices(REQUEST_KIND_LABELS, blank="—"),
                               validators=[Optional()])
    request_source = SelectField(_l("Where the request came from"),
                                 choices=_choices(REQUEST_SOURCE_LABELS, blank="—"), validators=[Optional()])
    request_note = TextAreaField(_l("Request note"), validators=[Optional(), _max(5000)])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.request_kind.data and not self.request_source.data:
            self.request_source.errors = [*self.request_source.errors, _l("Say where the request came from.")]
            valid = False
        return valid


class RequestForm(BaseForm):
    kind = SelectField(_l("Request"), choices=_choices(REQUEST_KIND_LABELS), validators=[required()])
    source = SelectField(_l("Where it came from"), choices=_choices(REQUEST_SOURCE_LABELS), validators=[required()])
    note = TextAreaField(_l("Note"), validators=[Optional(), _max(5000)])


class _FilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), _max(100)])
    category = SelectField(_l("Category"), choices=_choices(CATEGORY_LABELS, blank=_l("Any category")),
                           validators=[Optional()])

    def value(self, name: str):
        """A field's value, or empty when it did not validate (an unknown code in the URL)."""
        field = self[name]
        return "" if field.errors else (field.data or "")


class MentorFilterForm(_FilterForm):
    competency = SelectField(_l("Competency"), choices=_choices(REQUEST_KIND_LABELS, blank=_l("Any competency")),
                             validators=[Optional()])
    approved = SelectField(_l("Approved"), choices=[SelectChoice("", _l("Approved or not")),
                                                    SelectChoice("yes", _l("Approved")),
                                                    SelectChoice("no", _l("Not approved"))], validators=[Optional()])
    training = SelectField(_l("School of mentors"), choices=_choices(TRAINING_LABELS, blank=_l("Any training")),
                           validators=[Optional()])
    free = BooleanField(_l("Has a free place"))


class MenteeFilterForm(_FilterForm):
    kind = SelectField(_l("Request"), choices=_choices(REQUEST_KIND_LABELS, blank=_l("Any request")),
                       validators=[Optional()])
    source = SelectField(_l("Source"), choices=_choices(REQUEST_SOURCE_LABELS, blank=_l("Any source")),
                         validators=[Optional()])
    pair = SelectField(_l("Pair"), choices=[SelectChoice("", _l("With or without a pair")),
                                            SelectChoice("with", _l("In an active pair")),
                                            SelectChoice("without", _l("Without a pair"))], validators=[Optional()])
    follow_up = SelectField(_l("Follow-up"), choices=_choices(FOLLOW_UP_LABELS, blank=_l("Any follow-up")),
                            validators=[Optional()])
