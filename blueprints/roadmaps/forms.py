from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from blueprints.base_form import BaseForm, required


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


class NewRoadmapForm(BaseForm):
    source = SelectField(_l("Create from"), choices=[], validators=[required()])
    period_text = StringField(_l("Period"), validators=[Optional(), _max(120)],
                              description=_l("As in the document, e.g. «2024 – 2025 учебный год»"))


class RoadmapForm(BaseForm):
    title = TextAreaField(_l("Title"), validators=[required(), _max(500)])
    period_text = StringField(
        _l("Period"), validators=[Optional(), _max(120)],
        description=_l("A new period moves the deadlines into it by whole years; dates that do not fit are flagged."),
    )
    preamble = TextAreaField(_l("Text before the table (goals and tasks)"), validators=[Optional(), _max(20000)])
    footnote = TextAreaField(_l("Note under the table"), validators=[Optional(), _max(5000)])


class ItemForm(BaseForm):
    number = StringField(_l("No."), validators=[Optional(), _max(20)])
    title = TextAreaField(_l("Activity"), validators=[required(), _max(5000)])
    content = TextAreaField(_l("Content"), validators=[Optional(), _max(10000)])
    key_result = TextAreaField(_l("Key result"), validators=[Optional(), _max(5000)])
    deadline_text = StringField(
        _l("Deadline"), validators=[Optional(), _max(300)],
        description=_l("«30.11.2024», «ноябрь 2024», «август – сентябрь», «ежегодно, не позднее 30 ноября», «постоянно»…"),
    )
    due_on = DateField(
        _l("Due date"), validators=[Optional()],
        description=_l("Leave it empty to compute it from the wording; set a date to fix it, the wording stays."),
    )
    responsible = TextAreaField(_l("Responsible"), validators=[Optional(), _max(2000)])
    documents = TextAreaField(_l("Documents (one per line)"), validators=[Optional(), _max(5000)])


class CommentForm(BaseForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), _max(5000)])


class DoneForm(BaseForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), _max(5000)])
    files = MultipleFileField(_l("Evidence files (PDF, JPEG, PNG, DOCX, XLSX; up to 10 MB each)"))


class RegionSettingsForm(BaseForm):
    municipal_roadmaps_need_approval = BooleanField(
        _l("Municipal bodies' roadmaps are approved by the ministry"))


__all__ = ["RegionSettingsForm", "RoadmapForm", "CommentForm", "DoneForm", "FileField", "ItemForm", "NewRoadmapForm"]
