"""The campaign form (new and edit). Choices are filled by the view for the owner; the rules
(questionnaire, roles, level, dates, reminders…) are checked by mentorship/surveys/campaigns.py."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.base_form import BaseForm, required
from mentorship.surveys.campaigns import (
    INTERVAL_RANGE,
    PAIR_STATUS_LABELS,
    RESPONSE_RANGE,
    ROLE_LABELS,
    TITLE_MAX,
    TRIGGER_LABELS,
    CampaignData,
)


class ChecklistField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never a choice: "Not a valid choice"


def _date(label, **kwargs):
    return DateField(label, format="%Y-%m-%d", render_kw={"type": "date"}, **kwargs)


class CampaignForm(BaseForm):
    title = StringField(_l("Title"), validators=[required(), Length(max=TITLE_MAX)])
    template_id = SelectField(_l("Questionnaire"), coerce=_optional_int, choices=[], validators=[required()])
    roles = ChecklistField(_l("Who is asked"), choices=_choices(ROLE_LABELS))
    target_org_id = SelectField(_l("Where"), coerce=_optional_int, choices=[])
    form_code = SelectField(_l("Form of mentorship"), choices=[])
    programme_id = SelectField(_l("Programme"), coerce=_optional_int, choices=[])
    pair_status = SelectField(_l("Pairs"), choices=_choices(PAIR_STATUS_LABELS), default="any")
    trigger = SelectField(_l("When it is sent"), choices=_choices(TRIGGER_LABELS), default="manual")
    interval_days = IntegerField(
        _l("Interval, days"), validators=[Optional(), NumberRange(*INTERVAL_RANGE, message=_l(
            "From %(min)d to %(max)d.", min=INTERVAL_RANGE[0], max=INTERVAL_RANGE[1]))],
        description=_l("For «at an interval while a pair runs» only."))
    opens_on = _date(_l("Opens on"), validators=[required()])
    closes_on = _date(_l("Closes on"), validators=[Optional()],
                      description=_l("Required for a campaign sent once; an automatic one runs until closed."))
    reminder_days = StringField(_l("Reminders, days after sending"), validators=[Optional(), Length(max=60)],
                                default="3, 7", description=_l("e.g. «3, 7»; at most five."))
    response_days = IntegerField(
        _l("Days to answer"), default=14,
        validators=[required(), NumberRange(*RESPONSE_RANGE, message=_l(
            "From %(min)d to %(max)d.", min=RESPONSE_RANGE[0], max=RESPONSE_RANGE[1]))],
        description=_l("How long a link stays valid when the campaign has no closing date."))

    def data_for_service(self) -> CampaignData:
        return CampaignData(
            title=self.title.data or "", template_id=self.template_id.data, roles=list(self.roles.data or []),
            target_org_id=self.target_org_id.data, form_code=self.form_code.data or None,
            programme_id=self.programme_id.data, pair_status=self.pair_status.data or "any",
            trigger=self.trigger.data, interval_days=self.interval_days.data, opens_on=self.opens_on.data,
            closes_on=self.closes_on.data, reminder_days=self.reminder_days.data or "",
            response_days=self.response_days.data,
        )

    def fill_from(self, campaign) -> None:
        self.title.data = campaign.title
        self.template_id.data = campaign.template_id
        self.roles.data = list(campaign.roles or [])
        self.target_org_id.data = campaign.target_org_id
        self.form_code.data = campaign.form_code or ""
        self.programme_id.data = campaign.programme_id
        self.pair_status.data = campaign.pair_status
        self.trigger.data = campaign.trigger
        self.interval_days.data = campaign.interval_days
        self.opens_on.data = campaign.opens_on
        self.closes_on.data = campaign.closes_on
        self.reminder_days.data = ", ".join(str(d) for d in campaign.reminder_days or [])
        self.response_days.data = campaign.response_days
