"""Forms of the public pages' editor."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from blueprints.base_form import BaseForm
from blueprints.public.visit import CATEGORY_LABELS

MARKDOWN_HELP = _l("Paragraphs are separated by an empty line; **bold**, *italic*, lists with «-», links as "
                   "[text](https://…). No scripts or pictures in the text.")


def _category_choices():
    return [SelectChoice(code, label) for code, label in CATEGORY_LABELS.items()]


def _text(label, rows=6, **kwargs):
    return TextAreaField(label, render_kw={"rows": rows}, **kwargs)


class PageForm(BaseForm):
    intro = _text(_l("About mentorship in the organisation"), rows=8, description=MARKDOWN_HELP)
    programme_text = _text(_l("The programme in brief"), description=MARKDOWN_HELP)
    address = StringField(_l("Address"))
    phone = StringField(_l("Phone"))
    email = StringField(_l("E-mail"))
    website = StringField(_l("Website"), description=_l("The organisation's own site, e.g. https://school1.ru"))
    contacts_note = _text(_l("How to reach the mentorship curator"), rows=3)


class NewsForm(BaseForm):
    title = StringField(_l("Title"))
    published_on = DateField(_l("Date"), validators=[Optional()], format="%Y-%m-%d", render_kw={"type": "date"})
    text = _text(_l("Text"), rows=12, description=MARKDOWN_HELP)
    picture = FileField(_l("Picture (JPEG, PNG or WebP; up to 8 MB)"),
                        description=_l("Re-encoded on upload: the location and camera data are removed."))
    picture_alt = StringField(_l("What the picture shows (for those who cannot see it)"))
    remove_picture = BooleanField(_l("Remove the picture"))


class DocumentUploadForm(BaseForm):
    title = StringField(_l("Title"))
    category = SelectField(_l("Category"), choices=_category_choices, default="regulation")
    file = FileField(_l("File (PDF, DOCX or XLSX; up to 15 MB)"))


class DocumentEditForm(BaseForm):
    title = StringField(_l("Title"))
    category = SelectField(_l("Category"), choices=_category_choices)


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class SourceDocumentForm(BaseForm):
    """A document made from something the organisation has: its roadmap, report or order."""

    title = StringField(_l("Title"))
    source = SelectField(_l("Which one"), coerce=_optional_int, validate_choice=False)

    def set_sources(self, sources) -> None:
        self.source.choices = [SelectChoice(s.id, s.label) for s in sources]


class PracticeForm(BaseForm):
    title = StringField(_l("Title"))
    summary = StringField(_l("In one sentence"))
    text = _text(_l("Text"), rows=12, description=MARKDOWN_HELP)
