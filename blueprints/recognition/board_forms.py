"""Forms of the board of honour."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from blueprints.base_form import BaseForm, required
from blueprints.recognition.award_forms import optional_int


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


class HonourCardForm(BaseForm):
    participant_id = SelectField(_l("Mentor"), choices=[], coerce=optional_int, validate_choice=True)
    display_name = StringField(_l("Name as shown"), validators=[required(), _max(200)])
    position = StringField(_l("Position"), validators=[Optional(), _max(200)],
                           description=_l("E.g. «учитель математики, наставник молодых педагогов»."))
    achievements = TextAreaField(_l("Achievements"), validators=[Optional(), _max(1500)],
                                 description=_l("In short, as they are to be shown publicly."))
    sort_order = IntegerField(_l("Place in the order"), default=0, validators=[
        Optional(), NumberRange(min=0, max=999, message=_l("The place in the order must be 0 to 999."))])
    photo = FileField(_l("Photo (JPEG, PNG or WebP; up to 8 MB)"),
                      description=_l("The photo is re-encoded: its metadata (location, camera) are removed."))
    remove_photo = BooleanField(_l("Remove the photo"))

    def set_choices(self, mentors) -> None:
        self.participant_id.choices = [SelectChoice(None, _l("— choose —")),
                                       *(SelectChoice(p.id, p.full_name) for p in mentors)]
