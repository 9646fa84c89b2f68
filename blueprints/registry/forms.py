"""The registry's search-and-filter form (GET, no CSRF: it changes nothing)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from blueprints.base_form import BaseForm
from mentorship.pairing.banks import COMPETENCY_LABELS
from mentorship.region.forms import CATEGORY_LABELS


def _int_or_none(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not a choice: the select refuses it


class RegistryFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    body = SelectField(_l("Municipal body"), coerce=_int_or_none, choices=[], validators=[Optional()])
    school = SelectField(_l("Educational organisation"), coerce=_int_or_none, choices=[], validators=[Optional()])
    form = SelectField(_l("Form of mentorship"), choices=[], validators=[Optional()])
    competency = SelectField(_l("Competency"), choices=[SelectChoice("", _l("Any competency"))] + [
        SelectChoice(code, label) for code, label in COMPETENCY_LABELS.items()], validators=[Optional()])
    category = SelectField(_l("Category"), choices=[SelectChoice("", _l("Any category"))] + [
        SelectChoice(code, label) for code, label in CATEGORY_LABELS.items()], validators=[Optional()])
    trained = SelectField(_l("Training"), choices=[SelectChoice("", _l("Trained or not")),
                                                   SelectChoice("yes", _l("Trained")),
                                                   SelectChoice("no", _l("Not trained"))], validators=[Optional()])

    def value(self, name: str):
        """A field's value, or empty when it did not validate (an unknown code in the URL)."""
        field = self[name]
        return None if field.errors else field.data
