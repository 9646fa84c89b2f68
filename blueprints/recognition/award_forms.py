"""Forms of the awards register and the award orders (choices are filled by the views).

The forms check the shape of the input; the rules are the domain's (recognition/awards.py,
award_orders.py), whose errors the views put beside the fields."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.base_form import BaseForm, required
from mentorship.recognition.awards import KIND_LABELS


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never a choice: "Not a valid choice"


def _date(label, *validators):
    return DateField(label, validators=list(validators), format="%Y-%m-%d", render_kw={"type": "date"})


class AwardForm(BaseForm):
    recipient = RadioField(_l("Recipient"), choices=[
        SelectChoice("mentor", _l("A mentor")), SelectChoice("enterprise", _l("A partner enterprise")),
    ], default="mentor", validators=[required()])
    participant_id = SelectField(_l("Mentor"), choices=[], coerce=optional_int, validate_choice=True)
    enterprise_id = SelectField(_l("Partner enterprise"), choices=[], coerce=optional_int, validate_choice=True)
    mentorship_id = HiddenField()
    kind = SelectField(_l("Kind of award"), validators=[required()],
                       choices=[SelectChoice(code, label) for code, label in KIND_LABELS.items()])
    title = StringField(_l("Wording"), validators=[Optional(), _max(300)],
                        description=_l("What it is for, e.g. «for a significant contribution to mentoring», "
                                       "or the contest and nomination."))
    awarded_on = _date(_l("Date of the award"), required())
    granting_org_id = SelectField(_l("Granted by"), choices=[], coerce=optional_int, validate_choice=True)
    granted_by = StringField(_l("Another granting body"), validators=[Optional(), _max(300)],
                             description=_l("If the award was granted by a body outside the list above."))
    order_number = StringField(_l("Number of its order"), validators=[Optional(), _max(40)],
                               description=_l("Only for an order already issued (e.g. by the education "
                                              "department). Leave empty for the school's own awards: they "
                                              "go into the school's award order."))
    order_date = _date(_l("Date of its order"), Optional())
    note = TextAreaField(_l("Note"), validators=[Optional(), _max(2000)])

    def set_choices(self, mentors, enterprises, bodies) -> None:
        self.participant_id.choices = [SelectChoice(None, _l("— choose —")),
                                       *(SelectChoice(p.id, p.full_name) for p in mentors)]
        self.enterprise_id.choices = [SelectChoice(None, _l("— choose —")),
                                      *(SelectChoice(e.id, e.name) for e in enterprises)]
        self.granting_org_id.choices = [*(SelectChoice(i, name) for i, name in bodies),
                                        SelectChoice(None, _l("Another body (enter its name below)"))]


class PublishForm(BaseForm):
    """Publish (``public`` = 1) or take off the public pages (0)."""

    public = HiddenField(default="1")

    @property
    def wants_public(self) -> bool:
        return self.public.data == "1"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AwardOrderForm(BaseForm):
    dated = _date(_l("Date"), required())
    title = StringField(_l("Title"), validators=[required(), _max(300)])
    grounds = TextAreaField(_l("Grounds"), validators=[Optional(), _max(2000)],
                            description=_l("Added to the preamble, e.g. «по итогам 2025/2026 учебного года»."))
    signatory = StringField(_l("Signed by"), validators=[Optional(), _max(300)],
                            description=_l("The principal's name as it is printed under the order."))
    awards = MultiCheckboxField(_l("Awards"), coerce=int, validators=[required()])
