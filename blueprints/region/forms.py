"""Forms of the region's configuration: the catalogue of forms and the calendar."""
from __future__ import annotations

from babel.dates import get_month_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange

from blueprints.base_form import BaseForm, required
from mentorship.region.forms import CATEGORY_LABELS


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def _category_choices():
    return [SelectChoice(code, label) for code, label in CATEGORY_LABELS.items()]


class NewMentorshipFormForm(BaseForm):
    code = StringField(_l("Code"), validators=[required(), _max(26)],
                       description=_l("Latin letters, digits and «_», e.g. «parent_pupil»; cannot be changed later"))
    name = StringField(_l("Name"), validators=[required(), _max(200)])
    mentor_category = SelectField(_l("Mentors"), choices=_category_choices, validators=[required()])
    mentee_category = SelectField(_l("Mentees"), choices=_category_choices, validators=[required()])
    mentee_special_needs = BooleanField(_l("Mentees with special needs (ОВЗ) only"))


class EditMentorshipFormForm(BaseForm):
    code = HiddenField()  # a default form not saved yet is named by its code
    name = StringField(_l("Name"), validators=[required(), _max(200)])
    retired = BooleanField(_l("Retired"))


def _month_choices():
    names = get_month_names("wide", context="format", locale=str(get_locale() or "ru"))
    return [SelectChoice(number, names[number]) for number in range(1, 13)]


def _day(label):
    return IntegerField(label, validators=[InputRequired(message=_l("This field is required.")),
                                           NumberRange(1, 31, message=_l("A day from 1 to 31."))])


def _month(label):
    return SelectField(label, choices=_month_choices, coerce=int, validators=[InputRequired()])


class CalendarForm(BaseForm):
    reference_day_1 = _day(_l("First reference date: day"))
    reference_month_1 = _month(_l("month"))
    reference_day_2 = _day(_l("Second reference date: day"))
    reference_month_2 = _month(_l("month"))
    school_report_day = _day(_l("Schools' report deadline: day"))
    school_report_month = _month(_l("month"))
    municipal_report_day = _day(_l("Municipal bodies' report deadline: day"))
    municipal_report_month = _month(_l("month"))
    time_zone = SelectField(_l("The region's time zone"), choices=[], validators=[required()])
