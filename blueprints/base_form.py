"""The shared base form and field helpers with Russian-first messages."""
from __future__ import annotations

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from core.errors import DomainError
from tenants.passwords import MIN_PASSWORD_LENGTH


class BaseForm(FlaskForm):
    """Every form: CSRF-protected; strips surrounding whitespace from text input; shows what
    the domain refused beside the fields it is about."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if unbound_field.field_class is not PasswordField:
                filters = [_strip, *filters]
            return unbound_field.bind(form=form, filters=filters, **options)

    def add_errors(self, error: DomainError, prefix: str = "", fields: dict[str, str] | None = None) -> None:
        """Each problem of ``error`` beside its field: the field named ``prefix + problem.field``
        (or ``fields[problem.field]``); a problem about no field of this form is flashed, so
        the page shows it above the form."""
        for field_name, message in error.messages:
            name = (fields or {}).get(field_name, prefix + (field_name or ""))
            field = self._fields.get(name) if field_name else None
            if field is None:
                flash(message, "danger")
            else:
                field.errors = [*field.errors, message]


def _strip(value):
    """Surrounding whitespace off, and NUL characters out (never typed; PostgreSQL refuses them)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


def required():
    return DataRequired(message=_l("This field is required."))


def new_password_fields():
    password = PasswordField(
        _l("New password"),
        validators=[
            required(),
            Length(min=MIN_PASSWORD_LENGTH, max=200,
                   message=_l("The password must be %(min)d to 200 characters long.", min=MIN_PASSWORD_LENGTH)),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[required(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    return password, confirm
