"""Forms of the report pages: the narrative, an attachment, the reviewer's decision."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional

from blueprints.base_form import BaseForm

MAX_TEXT = 20000


def _text(label, description=None):
    return TextAreaField(label, description=description, render_kw={"rows": 5},
                         validators=[Optional(), Length(max=MAX_TEXT, message=_l("At most %(max)d characters.",
                                                                                  max=MAX_TEXT))])


class ReportForm(BaseForm):
    work_done = _text(_l("What was done"), _l("Required before the report is submitted."))
    problems = _text(_l("Problems and difficulties"))
    best_practices = _text(_l("Best practices"))
    plans = _text(_l("Plans for the next period"))


class AttachmentForm(BaseForm):
    file = FileField(_l("File (PDF, JPEG, PNG, DOCX, XLSX; up to 10 MB)"),
                     validators=[FileRequired(message=_l("Choose a file."))])


class DecisionForm(BaseForm):
    decision = StringField(validators=[AnyOf(["accept", "return"], message=_l("Choose to accept or to return."))])
    comment = TextAreaField(_l("Comment"), render_kw={"rows": 3},
                            description=_l("Required when the report is returned for revision."),
                            validators=[Optional(), Length(max=5000, message=_l("At most %(max)d characters.",
                                                                                max=5000))])
