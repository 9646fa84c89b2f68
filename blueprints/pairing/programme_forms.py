"""Forms of the programmes, preferences and matching pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from blueprints.base_form import BaseForm, required
from mentorship.pairing.matching import MAX_PREFERENCES
from mentorship.pairing.programmes import MAX_GAP_WEEKS, MIN_GAP_WEEKS, STATUS_LABELS


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def _int_or_none(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not a choice: the select refuses it


class ProgrammeForm(BaseForm):
    title = StringField(_l("Title"), validators=[required(), _max(300)])
    form_code = SelectField(_l("Form of mentorship"), choices=[], validators=[required()])
    school_year = SelectField(_l("School year"), coerce=int, choices=[], validators=[required()])
    goals = TextAreaField(_l("Goals"), validators=[Optional(), _max(10000)])
    expected_results = TextAreaField(_l("Expected results"), validators=[Optional(), _max(10000)])
    meeting_gap_weeks = IntegerField(
        _l("Flag a pair after this many weeks without a meeting"), default=3,
        validators=[InputRequired(message=_l("This field is required.")),
                    NumberRange(MIN_GAP_WEEKS, MAX_GAP_WEEKS, message=_l("From %(min)d to %(max)d weeks.",
                                                                         min=MIN_GAP_WEEKS, max=MAX_GAP_WEEKS))],
    )
    status = SelectField(_l("Status"), choices=[], default="active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice(code, label) for code, label in STATUS_LABELS.items()]


class PreferenceForm(BaseForm):
    """The partners one person named after the group meeting, first choice first."""

    person = HiddenField()
    partner_1 = SelectField(_l("First choice"), coerce=_int_or_none, choices=[], validate_choice=True)
    partner_2 = SelectField(_l("Second choice"), coerce=_int_or_none, choices=[], validate_choice=True)
    partner_3 = SelectField(_l("Third choice"), coerce=_int_or_none, choices=[], validate_choice=True)

    def partner_fields(self):
        return [self.partner_1, self.partner_2, self.partner_3][:MAX_PREFERENCES]

    def partners(self) -> list[int]:
        return [f.data for f in self.partner_fields() if f.data is not None]

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        chosen = self.partners()
        if len(set(chosen)) != len(chosen):
            self.partner_1.errors = list(self.partner_1.errors) + [_l("Each partner can be named once.")]
            return False
        # No gaps: a second choice needs a first one.
        gap = False
        for field in self.partner_fields():
            if field.data is None:
                gap = True
            elif gap:
                field.errors = list(field.errors) + [_l("Fill the choices in order, first one first.")]
                return False
        return True


class ProposalForm(BaseForm):
    mentor = SelectField(_l("Mentor"), coerce=_int_or_none, choices=[], validate_choice=True)

    def validate_mentor(self, field):
        if field.data == -1:
            raise ValidationError(_l("Not a valid choice."))
