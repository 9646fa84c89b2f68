from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField
from wtforms.validators import Email, Length, Optional

from blueprints.base_form import BaseForm, required


class RegionForm(BaseForm):
    region_name = StringField(_l("Region"), validators=[required(), Length(max=120)])
    name = StringField(_l("Ministry (full name)"), validators=[required(), Length(max=300)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=120)])
    admin_email = EmailField(
        _l("Ministry administrator's e-mail"),
        validators=[required(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)],
    )
    admin_name = StringField(_l("Administrator's full name"), validators=[Optional(), Length(max=200)])
