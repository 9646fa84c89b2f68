"""Forms of the contingent page: the figures of a school year, and a CSV file of them.

The fields are plain text: the domain (mentorship.monitoring.contingent.parse_figures) checks numbers
and their relations, the same way for the form and for the import."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from blueprints.base_form import BaseForm
from mentorship.monitoring.contingent import school_year_label, year_range

_NUMBER = {"inputmode": "numeric", "autocomplete": "off"}


def _coerce_year(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ContingentForm(BaseForm):
    school_year = SelectField(_l("School year"), coerce=_coerce_year, validate_choice=False)
    pupils_10_19 = StringField(_l("Pupils aged 10–19"), validators=[Length(max=20)], render_kw=_NUMBER)
    pupils_15_19 = StringField(_l("Of them aged 15–19"), validators=[Length(max=20)], render_kw=_NUMBER)
    teachers = StringField(_l("Teachers"), validators=[Length(max=20)], render_kw=_NUMBER)
    young_specialists = StringField(
        _l("Of them young specialists"), validators=[Length(max=20)], render_kw=_NUMBER,
        description=_l("Teachers with 0–3 years of teaching experience."),
    )

    def set_years(self, today, default: int) -> None:
        self.school_year.choices = [SelectChoice(y, school_year_label(y)) for y in reversed(year_range(today))]
        if not self.is_submitted() or self.school_year.raw_data is None:  # a fresh form: the current year
            self.school_year.data = default


class ContingentImportForm(BaseForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Choose a file."))])
