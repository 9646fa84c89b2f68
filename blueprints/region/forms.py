"""Forms of the region's configuration: the catalogue of forms and the calendar."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import get_month_names, get_timezone_location
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from blueprints.base_form import BaseForm, required
from mentorship.region.calendar import RUSSIAN_TIME_ZONES
from mentorship.region.forms import CATEGORY_LABELS


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def _category_choices():
    return [SelectChoice(code, label) for code, label in CATEGORY_LABELS.items()]


class NewMentorshipFormForm(BaseForm):
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


def time_zone_label(zone: str, *, on: datetime | None = None) -> str:
    """«Москва (UTC+3)»: the zone's city in the reader's language and its offset from UTC."""
    locale = str(get_locale() or "ru")
    try:
        city = get_timezone_location(zone, locale=locale, return_city=True)
        offset = (on or datetime.now(UTC)).astimezone(ZoneInfo(zone)).utcoffset() or timedelta(0)
    except (LookupError, ValueError):
        return zone
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"{city} (UTC{sign}{hours}{f':{rest:02d}' if rest else ''})"


def time_zone_choices(current: str | None) -> list[SelectChoice]:
    """Russia's zones, west to east, named in words; the region's saved zone too if it is
    another one (the domain accepts any zone of the tz database)."""
    zones = list(RUSSIAN_TIME_ZONES)
    if current and current not in zones:
        zones.insert(0, current)
    return [SelectChoice(zone, time_zone_label(zone)) for zone in zones]


def _day(label):
    return IntegerField(label, validators=[InputRequired(message=_l("This field is required.")),
                                           NumberRange(1, 31, message=_l("A day from 1 to 31."))])


def _month(label):
    return SelectField(label, choices=_month_choices, coerce=int, validators=[InputRequired()])


def _optional_month_choices():
    return [SelectChoice("", _l("— by default —")), *_month_choices()]


def _month_or_none(value):
    return int(value) if value not in (None, "", "None") else None


def _deadline_day(label):
    return IntegerField(label, validators=[Optional(), NumberRange(1, 31, message=_l("A day from 1 to 31."))])


def _deadline_month(label):
    return SelectField(label, choices=_optional_month_choices, coerce=_month_or_none)


class CalendarForm(BaseForm):
    reference_day_1 = _day(_l("First reference date: day"))
    reference_month_1 = _month(_l("month"))
    reference_day_2 = _day(_l("Second reference date: day"))
    reference_month_2 = _month(_l("month"))
    # Each reference date's deadlines; day and month both empty: the default rule.
    school_report_day_1 = _deadline_day(_l("Schools' report deadline: day"))
    school_report_month_1 = _deadline_month(_l("month"))
    municipal_report_day_1 = _deadline_day(_l("Municipal bodies' report deadline: day"))
    municipal_report_month_1 = _deadline_month(_l("month"))
    school_report_day_2 = _deadline_day(_l("Schools' report deadline: day"))
    school_report_month_2 = _deadline_month(_l("month"))
    municipal_report_day_2 = _deadline_day(_l("Municipal bodies' report deadline: day"))
    municipal_report_month_2 = _deadline_month(_l("month"))
    time_zone = SelectField(_l("The region's time zone"), choices=[], validators=[required()])
