"""Forms of the participants import: the upload and the confirmation."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired

from blueprints.base_form import BaseForm


class ImportUploadForm(BaseForm):
    file = FileField(
        _l("File (CSV or XLSX, up to 10 MB)"),
        validators=[
            FileRequired(message=_l("Choose a file.")),
            FileAllowed(["csv", "xlsx", "txt"], message=_l("Upload a CSV or XLSX file.")),
        ],
        description=_l("Fill in the template: one participant per row; the first row holds the headings."),
    )


class ImportRunForm(BaseForm):
    """The confirmation button: carries the CSRF token."""
