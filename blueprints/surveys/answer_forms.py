"""The printed-code form of the public survey page (the questionnaire itself is built from the
template's questions and checked by mentorship.surveys.answers.validate)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length

from blueprints.base_form import BaseForm, required


class CodeForm(BaseForm):
    code = StringField(_l("Code from your sheet"),
                       validators=[required(), Length(max=40, message=_l("At most %(max)d characters.", max=40))])
