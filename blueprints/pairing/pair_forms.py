"""Forms of the pairs-and-groups and orders pages (choices are filled by the views)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.base_form import BaseForm, required


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def _int_or_none(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class LateConsentEntry(Form):
    """A consent dated after the pair's start, and the real date of the paper consent (inside
    the pair's form, which carries the CSRF token)."""

    consent_id = HiddenField()
    given_on = DateField(_l("Real date of the paper consent"), validators=[Optional()])


class EntryList(FieldList):
    """A FieldList under BaseForm, whose every field gets the whitespace filter: a list takes
    none (its entries' fields filter themselves)."""

    def __init__(self, *args, filters=(), **kwargs):
        super().__init__(*args, **kwargs)


class EntryForm(FormField):
    """A FormField in an ``EntryList``: bound by BaseForm's meta too, it takes no filter either."""

    def __init__(self, *args, filters=(), **kwargs):
        super().__init__(*args, **kwargs)


class PairForm(BaseForm):
    """A pair (one mentee) or a group (several) made by hand — or corrected: the same fields."""

    programme = SelectField(_l("Programme"), coerce=int, validators=[required()])
    mentor = SelectField(_l("Mentor"), coerce=int, validators=[required()])
    mentees = SelectMultipleField(_l("Mentees"), coerce=int, validators=[required()],
                                  description=_l("Choose one mentee for a pair, several for a group."))
    started_on = DateField(_l("Start date"), validators=[required()])
    planned_end_on = DateField(_l("Planned end date"), validators=[Optional()])
    # Offered when a chosen person's consent is dated after the start (entered with today's date).
    late_consents = EntryList(EntryForm(LateConsentEntry))
    record_consent_dates = BooleanField(_l("Record these dates as the dates the paper consents were signed"))

    def validate_planned_end_on(self, field):
        if field.data and self.started_on.data and field.data < self.started_on.data:
            raise ValidationError(_l("The end date is before the start date."))


class VoidForm(BaseForm):
    """Voiding a pair entered by mistake: the reason is required and kept."""

    reason = TextAreaField(_l("What was entered by mistake"), validators=[required(), _max(5000)], id="void-reason")


class PublishForm(BaseForm):
    """Publishing a matching run: the day its pairs start (empty: today)."""

    started_on = DateField(_l("The pairs start on"), validators=[Optional()], id="publish-started-on")


# The card shows the three forms below together: distinct element ids, the same field names.
class AddMenteeForm(BaseForm):
    mentee = SelectField(_l("Mentee"), coerce=int, validators=[required()], id="add-mentee-person")
    on = DateField(_l("Date"), validators=[required()], id="add-on")


class CompleteForm(BaseForm):
    on = DateField(_l("Completion date"), validators=[required()], id="complete-on")
    decision = RadioField(_l("Decision"), choices=[
        SelectChoice("continue", _l("Continue in a new cycle")),
        SelectChoice("finish", _l("Finish")),
    ], validators=[required()], id="complete-decision")
    note = TextAreaField(_l("Note"), validators=[Optional(), _max(5000)], id="complete-note")


class EndForm(BaseForm):
    on = DateField(_l("End date"), validators=[required()], id="end-on")
    reason = TextAreaField(_l("Reason"), validators=[required(), _max(5000)], id="end-reason")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OrderForm(BaseForm):
    number = StringField(_l("Number"), validators=[required(), _max(40)])
    dated = DateField(_l("Date"), validators=[required()])
    title = StringField(_l("Title"), validators=[required(), _max(300)])
    programme = SelectField(_l("Programme"), coerce=_int_or_none, validators=[Optional()])
    signatory = StringField(_l("Signed by"), validators=[Optional(), _max(300)],
                            description=_l("The principal's name as it is printed under the order."))
    pairs = MultiCheckboxField(_l("Pairs and groups"), coerce=int,
                               validators=[required()])
