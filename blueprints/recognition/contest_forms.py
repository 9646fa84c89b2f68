"""Contest forms: the draft (nominations one per line, criteria as rows), a nomination, a juror.
The rules (dates in order, maxima, consent to publication…) are checked by the domain
(mentorship/recognition/contests*.py), whose problems are shown beside these fields."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, FieldList, Form, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from blueprints.base_form import BaseForm, required
from mentorship.recognition.contests import AGGREGATION_LABELS, MAX_TEXT

CRITERIA_ROWS = 6  # empty rows offered below the criteria already entered


def _date(label, **kwargs):
    return DateField(label, format="%Y-%m-%d", render_kw={"type": "date"}, **kwargs)


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never a choice: "Not a valid choice"


class CriterionRow(Form):
    """One criterion: its title and the maximum score a juror may give (a sub-form, no CSRF)."""

    title = StringField(_l("Criterion"), validators=[Optional(), Length(max=300)])
    max_score = IntegerField(_l("Maximum score"), validators=[Optional()], render_kw={"min": 1, "max": 100})


class ContestForm(BaseForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            # The base form strips every field's input; FieldList and FormField take none (the rows are plain fields).
            if unbound_field.field_class in (FieldList, FormField):
                return unbound_field.bind(form=form, **options)
            return super().bind_field(form, unbound_field, options)

    title = StringField(_l("Title"), validators=[required(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Length(max=MAX_TEXT)], render_kw={"rows": 4})
    nominations = TextAreaField(_l("Nominations"), validators=[required()], render_kw={"rows": 3},
                                description=_l("One nomination per line."))
    criteria = FieldList(FormField(CriterionRow), min_entries=CRITERIA_ROWS)
    aggregation = SelectField(_l("The jurors' scores are combined as"), default="sum",
                              choices=[SelectChoice(k, v) for k, v in AGGREGATION_LABELS.items()])
    nominations_open_on = _date(_l("Nominations open on"), validators=[required()])
    nominations_close_on = _date(_l("Nominations close on"), validators=[required()])
    judging_until = _date(_l("Judging ends on"), validators=[required()])
    results_on = _date(_l("Results are announced on"), validators=[required()])
    rules = FileField(_l("Rules of the contest (PDF, DOCX; up to 10 MB)"))


class NominateForm(BaseForm):
    participant_id = SelectField(_l("Mentor"), coerce=_optional_int, choices=[], validators=[required()])
    nomination_id = SelectField(_l("Nomination"), coerce=_optional_int, choices=[], validators=[required()])
    entry_text = TextAreaField(_l("The mentor's achievements"), validators=[required(), Length(max=MAX_TEXT)],
                               render_kw={"rows": 8},
                               description=_l("Results of the mentees, methodological work, events, awards."))
    file = FileField(_l("Portfolio file (PDF, JPEG, PNG, DOCX, XLSX; up to 10 MB), optional"))


class JurorForm(BaseForm):
    user_id = SelectField(_l("Member of the organisation"), coerce=_optional_int, choices=[],
                          validators=[required()])
