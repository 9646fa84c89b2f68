"""Forms of the participants, consents and partner enterprises pages.

The forms check the shape of the input (lengths, dates, e-mail); the rules of a valid record
are the domain's (participant_rules, consents, enterprises), whose errors the views put beside
the fields with ``BaseForm.add_errors``."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Length, Optional

from blueprints.base_form import BaseForm, required
from mentorship.people.consents import DEFAULT_POLICY_VERSION, DEFAULT_PURPOSE, GIVEN_BY_LABELS
from mentorship.region.forms import CATEGORY_LABELS


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def _email():
    return Email(message=_l("Enter a valid e-mail address."))


def _date(label, **kwargs):
    return DateField(label, validators=[Optional()], format="%Y-%m-%d",
                     render_kw={"type": "date"}, **kwargs)


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never a choice: "Not a valid choice"


class ParticipantForm(BaseForm):
    full_name = StringField(_l("Full name"), validators=[required(), _max(300)])
    category = SelectField(_l("Category"), choices=[], validators=[required()])
    birth_date = _date(_l("Birth date"))
    class_or_position = StringField(_l("Class, group or position"), validators=[Optional(), _max(200)])
    teaching_since = _date(_l("Teaching since"), description=_l("Teachers: the start of teaching experience."))
    special_needs = BooleanField(_l("Special educational needs (ОВЗ)"))
    email = EmailField(_l("E-mail"), validators=[Optional(), _email(), _max(254)])
    phone = StringField(_l("Phone"), validators=[Optional(), _max(40)])
    representative_name = StringField(_l("Legal representative (for a minor)"), validators=[Optional(), _max(300)])
    representative_email = EmailField(_l("Representative's e-mail"), validators=[Optional(), _email(), _max(254)])
    representative_phone = StringField(_l("Representative's phone"), validators=[Optional(), _max(40)])
    enterprise_id = SelectField(_l("Partner enterprise (employers' representatives)"), choices=[],
                                coerce=_optional_int, validate_choice=True)

    def set_choices(self, enterprises) -> None:
        self.category.choices = [SelectChoice("", _l("— choose —")),
                                 *(SelectChoice(code, label) for code, label in CATEGORY_LABELS.items())]
        self.enterprise_id.choices = [SelectChoice(None, _l("— none —")),
                                      *(SelectChoice(e.id, e.name) for e in enterprises)]


class ConsentFields(BaseForm):
    """The consent section: on its own page, and in the new participant's form."""

    consent_given_by = SelectField(_l("Consent given by"), choices=[], validators=[required()])
    consent_representative_name = StringField(_l("Legal representative who gave it"),
                                              validators=[Optional(), _max(300)])
    consent_authority_document = StringField(
        _l("How the representative's authority was checked"), validators=[Optional(), _max(300)],
        description=_l("E.g. birth certificate, guardianship act: document and number."))
    consent_given_on = _date(_l("Date of the consent"))
    consent_purpose = TextAreaField(_l("Purpose of processing"), default=DEFAULT_PURPOSE,
                                    validators=[required(), _max(5000)])
    consent_policy_version = StringField(_l("Policy version"), default=DEFAULT_POLICY_VERSION,
                                         validators=[required(), _max(40)])
    consent_scan = FileField(_l("Scan of the signed consent (PDF, JPEG or PNG; up to 5 MB)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_given_by.choices = [SelectChoice(code, label) for code, label in GIVEN_BY_LABELS.items()]


class ParticipantCreateForm(ParticipantForm, ConsentFields):
    """A new participant is created together with the consent."""


class ConsentForm(ConsentFields):
    pass


class WithdrawForm(BaseForm):
    withdrawn_on = _date(_l("Date of withdrawal"))
    reason = TextAreaField(_l("Reason"), validators=[required(), _max(2000)])


class ConsentDateForm(BaseForm):
    """The real, earlier date of a paper consent recorded with a later one."""

    given_on = DateField(_l("Date the paper consent was signed"), validators=[required()], format="%Y-%m-%d",
                         render_kw={"type": "date"})


class EnterpriseForm(BaseForm):
    name = StringField(_l("Name"), validators=[required(), _max(300)])
    inn = StringField(_l("INN"), validators=[Optional(), _max(12)], description=_l("10 or 12 digits."))
    contact = StringField(_l("Contact"), validators=[Optional(), _max(300)])

