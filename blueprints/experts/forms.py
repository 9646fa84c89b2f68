"""Forms of the expert bank: an expert, the consents, a request for help and its answers."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.base_form import BaseForm, required
from mentorship.experts.catalogue import AREA_LABELS, KIND_LABELS


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def _date_required():
    return [required()]


def optional_id(value):
    """A select's value as an id, or None for the empty choice."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def kind_choices() -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in KIND_LABELS.items()]


def area_choices(blank=None) -> list[SelectChoice]:
    options = [SelectChoice(code, label) for code, label in AREA_LABELS.items()]
    return [SelectChoice("", blank), *options] if blank is not None else options


class ChecklistField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ExpertForm(BaseForm):
    full_name = StringField(_l("Full name"), validators=[required(), _max(300)])
    kind = SelectField(_l("Who the expert is"), choices=kind_choices, validators=[required()])
    position = StringField(_l("Position"), validators=[Optional(), _max(200)])
    workplace = StringField(_l("Organisation"), validators=[Optional(), _max(300)],
                            description=_l("e.g. «ГАУ ДПО ИРО», a university, an enterprise"))
    municipality_id = SelectField(_l("Municipality where the expert works"), coerce=optional_id, choices=[],
                                  validate_choice=False)
    areas = ChecklistField(_l("Areas of expertise"), choices=area_choices())
    tags = StringField(_l("Other topics (tags)"), validators=[Optional(), _max(300)],
                       description=_l("Free words, comma-separated"))
    email = StringField(_l("E-mail"), validators=[Optional(), _max(254)])
    phone = StringField(_l("Phone"), validators=[Optional(), _max(40)])
    availability = TextAreaField(_l("Availability"), validators=[Optional(), _max(2000)],
                                 description=_l("When and in which format the expert can help"))
    user_id = SelectField(_l("Account"), coerce=optional_id, choices=[], validate_choice=False,
                          description=_l("A member of the organisation with the role of expert"))


class NewExpertForm(ExpertForm):
    processing_consent_on = DateField(_l("Consent to the processing of personal data given on"),
                                      validators=[Optional()])
    display_consent = BooleanField(_l("The expert agrees to be shown to the users of the region's organisations"))
    display_consent_on = DateField(_l("Consent to be shown given on"), validators=[Optional()])


class ConsentDateForm(BaseForm):
    on = DateField(_l("Date"), validators=_date_required())


class AskForm(BaseForm):
    topic = StringField(_l("Topic"), validators=[required(), _max(200)])
    text = TextAreaField(_l("What help is needed"), validators=[required(), _max(5000)],
                         description=_l("Do not name pupils: describe the situation in general terms."))
    preferred_dates = StringField(_l("Preferred dates"), validators=[Optional(), _max(300)],
                                  description=_l("e.g. «вторая половина октября, после 15:00»"))


class AskKeeperForm(AskForm):
    keeper_id = SelectField(_l("Whom to ask"), coerce=optional_id, choices=[], validate_choice=False)


class AcceptForm(BaseForm):
    expert_id = SelectField(_l("Expert who will help"), coerce=optional_id, choices=[], validate_choice=False)
    comment = TextAreaField(_l("Comment"), validators=[Optional(), _max(5000)])


class DeclineForm(BaseForm):
    comment = TextAreaField(_l("Reason"), validators=[Optional(), _max(5000)])


class CloseForm(BaseForm):
    outcome = TextAreaField(_l("Outcome"), validators=[Optional(), _max(5000)])
