"""Forms of the monitoring's configuration and periods (CSRF on every POST).

The targets and figures tables are too wide for one field per cell: ``TableForm`` carries
the CSRF token and the views read the cells (``target-<code>-<year>``,
``figure-<year>-<column>``) for the all-or-nothing services of mentorship/monitoring/targets.py
and figures.py."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from blueprints.base_form import BaseForm, required
from mentorship.monitoring.facts import DENOMINATOR_FACTS, NUMERATOR_FACTS
from mentorship.region.forms import CATEGORY_LABELS


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def _category_choices():
    return [SelectChoice(code, label) for code, label in CATEGORY_LABELS.items()]


def _numerator_choices():
    return [SelectChoice(code, fact.label) for code, fact in NUMERATOR_FACTS.items()]


def _denominator_choices():
    return [SelectChoice(code, fact.label) for code, fact in DENOMINATOR_FACTS.items()]


class IndicatorForm(BaseForm):
    name = StringField(_l("Name"), validators=[required(), _max(300)])
    numerator = SelectField(_l("Numerator: what is counted"), choices=_numerator_choices, validators=[required()])
    denominator = SelectField(_l("Denominator: of how many"), choices=_denominator_choices, validators=[required()])


class IndicatorEditForm(BaseForm):
    code = HiddenField()
    name = StringField(_l("Name"), validators=[required(), _max(300)])
    numerator = SelectField(_l("Numerator"), choices=_numerator_choices, validators=[Optional()],
                            validate_choice=False)
    denominator = SelectField(_l("Denominator"), choices=_denominator_choices, validators=[Optional()],
                              validate_choice=False)
    retired = BooleanField(_l("Retired"))


class TableForm(BaseForm):
    """The targets or the reference figures table (cells read from the request)."""


class PeriodActionForm(BaseForm):
    """Run now / re-run (a confirmation with the CSRF token)."""


class UnfreezeForm(BaseForm):
    reason = TextAreaField(_l("Why is the period reopened?"), validators=[required(), _max(2000)])
