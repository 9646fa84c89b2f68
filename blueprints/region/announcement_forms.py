"""Forms of the announcements: writing one and choosing its recipients."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.base_form import BaseForm, required
from mentorship.region.announcements import KIND_LABELS, MAX_TEXT, MAX_TITLE, RecipientChoice


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


class ChecklistField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def audience_choices() -> list[SelectChoice]:
    return [SelectChoice("all", _l("All organisations below ours")),
            SelectChoice("kinds", _l("Organisations of the chosen kinds")),
            SelectChoice("chosen", _l("The chosen organisations"))]


class AnnouncementForm(BaseForm):
    title = StringField(_l("Title"), validators=[required(), _max(MAX_TITLE)])
    text = TextAreaField(_l("Text"), validators=[required(), _max(MAX_TEXT)], render_kw={"rows": 10})
    markdown = BooleanField(_l("The text is in Markdown (headings, lists, links, tables)"))
    attachment = FileField(_l("File (optional; PDF, JPEG, PNG, DOCX or XLSX; up to 10 MB)"))
    audience = RadioField(_l("To whom"), choices=audience_choices, default="all", validators=[required()])
    kinds = ChecklistField(_l("Kinds of organisation"), choices=[], validate_choice=False)
    chosen = SelectMultipleField(_l("Organisations"), choices=[], coerce=int, validate_choice=False,
                                 render_kw={"size": 12})
    with_schools = BooleanField(_l("Also the schools of the chosen municipal bodies"))

    def set_choices(self, kinds: list[str], organisations: list[RecipientChoice], body_names: dict[int, str]) -> None:
        """The kinds and the organisations the sender may choose (schools grouped by body)."""
        self.kinds.choices = [SelectChoice(code, KIND_LABELS[code]) for code in kinds]
        bodies_label = str(_l("Municipal bodies"))
        bodies = [org for org in organisations if org.kind == "municipality"]
        schools = sorted((org for org in organisations if org.kind != "municipality"),
                         key=lambda org: (body_names.get(org.parent_id) or "", org.name, org.id))
        self.chosen.choices = [SelectChoice(org.id, org.name, optgroup=bodies_label) for org in bodies] + [
            SelectChoice(org.id, org.name, optgroup=body_names.get(org.parent_id)) for org in schools]
