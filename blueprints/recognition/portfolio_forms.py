"""Forms of a mentor's portfolio."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from blueprints.base_form import BaseForm, required
from mentorship.recognition.portfolio import KIND_LABELS


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


class PortfolioItemForm(BaseForm):
    kind = SelectField(_l("Kind of entry"), validators=[required()],
                       choices=[SelectChoice(code, label) for code, label in KIND_LABELS.items()])
    title = StringField(_l("Title"), validators=[required(), _max(300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), _max(5000)])
    url = StringField(_l("Link"), validators=[Optional(), _max(500)], render_kw={"type": "url"},
                      description=_l("An address starting with http:// or https://."))
    happened_on = DateField(_l("Date"), validators=[Optional()], format="%Y-%m-%d", render_kw={"type": "date"})
    file = FileField(_l("File (PDF, JPEG, PNG, DOCX, XLSX; up to 10 MB)"))
    remove_file = BooleanField(_l("Remove the attached file"))
