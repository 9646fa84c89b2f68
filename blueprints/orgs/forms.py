from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Length, Optional, Regexp

from blueprints.base_form import BaseForm, required
from tenants.roles import ROLE_LABELS, SCHOOL_TYPE_LABELS


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


class OrganizationForm(BaseForm):
    name = StringField(_l("Official name"), validators=[required(), _max(300)])
    short_name = StringField(_l("Short name"), validators=[Optional(), _max(120)])
    school_type = SelectField(_l("Type"), choices=[], validators=[Optional()])
    inn = StringField(
        _l("INN"),
        validators=[Optional(), Regexp(r"^\d{10}(\d{2})?$", message=_l("The INN is 10 or 12 digits."))],
    )
    email = EmailField(_l("Contact e-mail"),
                       validators=[Optional(), Email(message=_l("Enter a valid e-mail address.")), _max(254)])

    def __init__(self, *args, with_school_type: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_school_type:
            self.school_type.choices = [SelectChoice(t.value, label) for t, label in SCHOOL_TYPE_LABELS.items()]
            self.school_type.validators = [required()]
        else:
            del self.school_type


class InviteForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[required(), Email(message=_l("Enter a valid e-mail address.")), _max(254)])
    full_name = StringField(_l("Full name"), validators=[Optional(), _max(200)])
    role = SelectField(_l("Role"), choices=[], validators=[required()])

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(r.value, ROLE_LABELS[r]) for r in roles]


class RoleForm(BaseForm):
    role = SelectField(_l("Role"), choices=[], validators=[required()])

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(r.value, ROLE_LABELS[r]) for r in roles]
