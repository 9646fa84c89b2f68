"""Forms of the library: a material and its file, a new version, the review of a practice."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.base_form import BaseForm, required
from mentorship.library.catalogue import CATEGORY_LABELS

FILE_HINT = _l("PDF, DOCX, XLSX, PPTX, JPEG or PNG; up to 20 MB")


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def category_choices(codes=None) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in CATEGORY_LABELS.items() if codes is None or code in codes]


class ChecklistField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ItemForm(BaseForm):
    category = SelectField(_l("Category"), choices=category_choices, validators=[required()])
    title = StringField(_l("Title"), validators=[required(), _max(300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), _max(10000)],
                                description=_l("What the material is, whom it helps, how to use it"))
    form_codes = ChecklistField(_l("Forms of mentorship"), choices=[], validate_choice=False)
    keywords = StringField(_l("Keywords"), validators=[Optional(), _max(300)])


class NewItemForm(ItemForm):
    file = FileField(_l("File"), description=FILE_HINT)
    note = StringField(_l("Note on the file"), validators=[Optional(), _max(300)])
    publish = BooleanField(_l("Publish at once to the organisations below"), default=True)
    public = BooleanField(_l("Also show on the public pages"))


class VersionForm(BaseForm):
    file = FileField(_l("File"), description=FILE_HINT)
    note = StringField(_l("What changed"), validators=[Optional(), _max(300)])


class SubmitForm(BaseForm):
    public = BooleanField(_l("We ask to show the practice on the public pages too"))


class ReviewForm(BaseForm):
    decision = RadioField(_l("Decision"), choices=[SelectChoice("approve", _l("Approve and publish in the region")),
                                                   SelectChoice("return", _l("Return for revision"))],
                          validators=[required()])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), _max(5000)],
                            description=_l("Required when returning: say what to change"))
    public = BooleanField(_l("Show on the public pages"))
