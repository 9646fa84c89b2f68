from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import Email, Length

from blueprints.base_form import BaseForm, new_password_fields, required


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[required(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[required(), Length(max=200)])
    next = HiddenField()


class ResetRequestForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[required(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)])


class ResetPasswordForm(BaseForm):
    password, confirm = new_password_fields()


class AcceptInvitationForm(BaseForm):
    full_name = StringField(_l("Full name"), validators=[
        required(), Length(max=200, message=_l("At most %(max)d characters.", max=200))])
    password, confirm = new_password_fields()


class ConfirmForm(BaseForm):
    """A button-only form (logout, switch, accept): carries the CSRF token."""
