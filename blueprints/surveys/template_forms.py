"""Forms of the questionnaire pages. The question editor works without JavaScript: the form
lists the questions plus blank rows, and "Add more rows" re-renders it with more; blank rows
are ignored. The rules themselves (and their messages) live in mentorship/surveys/questionnaires.py."""
from __future__ import annotations

from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.base_form import BaseForm
from core.errors import DomainError
from mentorship.surveys.questionnaires import (
    AUDIENCE_LABELS,
    KIND_LABELS,
    MAX_QUESTIONS,
    PURPOSE_LABELS,
    QuestionData,
    TemplateData,
)


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


# A few rows more than a questionnaire may hold, so the "too many" message can be shown.
MAX_ROWS = MAX_QUESTIONS + 10
BLANK_ROWS_NEW, BLANK_ROWS_EDIT, MORE_ROWS = 5, 3, 5


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuestionForm(Form):
    """One row of the editor (a subform: the CSRF token is the outer form's)."""

    text = TextAreaField(_l("Question"))
    kind = SelectField(_l("Kind"), choices=_choices(KIND_LABELS), default="scale", validate_choice=False)
    options = TextAreaField(_l("Options (choice questions; one per line)"))
    help_text = StringField(_l("Hint"))
    required = BooleanField(_l("Answer required"), default=True)
    in_index = BooleanField(_l("Counts in the satisfaction index (scales only)"))

    def is_blank(self) -> bool:
        return not ((self.text.data or "").strip() or (self.options.data or "").strip()
                    or (self.help_text.data or "").strip())


class TemplateForm(BaseForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            # FieldList and FormField take no filters; the rows are stripped by the service.
            if unbound_field.field_class in (FieldList, FormField):
                return unbound_field.bind(form=form, **options)
            return BaseForm.Meta.bind_field(self, form, unbound_field, options)

    title = StringField(_l("Title"))
    description = TextAreaField(_l("Description"), description=_l("Shown to respondents above the questions."))
    purpose = SelectField(_l("Purpose"), choices=_choices(PURPOSE_LABELS), validate_choice=False)
    audience = MultiCheckboxField(_l("Audience"), choices=_choices(AUDIENCE_LABELS), validate_choice=False)
    questions = FieldList(FormField(QuestionForm), min_entries=0, max_entries=MAX_ROWS)
    more = SubmitField(_l("Add more rows"))
    save = SubmitField(_l("Save"))

    def add_blank_rows(self, n: int) -> None:
        for _ in range(n):
            if len(self.questions.entries) >= MAX_ROWS:
                break
            self.questions.append_entry()

    def fill(self, data: TemplateData) -> None:
        """Show ``data`` (an existing template) in the form."""
        self.title.data, self.description.data = data.title, data.description
        self.purpose.data, self.audience.data = data.purpose, list(data.audience)
        while self.questions.entries:
            self.questions.pop_entry()
        for q in data.questions:
            self.questions.append_entry(SimpleNamespace(
                text=q.text, kind=q.kind, options="\n".join(q.options), help_text=q.help_text or "",
                required=q.required, in_index=q.in_index,
            ))

    def add_errors(self, error: DomainError, prefix: str = "", fields: dict[str, str] | None = None) -> None:
        """Each message beside its field: a question's ("questions.<n>.<name>", the n-th
        non-blank row) in its editor row; one about the whole list, about no field or about a
        row not shown, above the form."""
        rows = [entry for _index, entry in self.rows()]
        for name, message in error.messages:
            target = self._fields.get(name) if name and name != "questions" else None
            if name and name.startswith("questions."):
                _questions, index, field_name = name.split(".", 2)
                if index.isdigit() and int(index) < len(rows):
                    target = rows[int(index)][field_name]
            if target is None:
                self.form_errors.append(message)
            else:
                target.errors = [*target.errors, message]

    def rows(self) -> list[tuple[int, QuestionForm]]:
        """The non-blank rows: (row index, subform), in order."""
        return [(i, entry.form) for i, entry in enumerate(self.questions.entries) if not entry.form.is_blank()]

    def data_for_service(self) -> TemplateData:
        return TemplateData(
            title=self.title.data or "", description=self.description.data, purpose=self.purpose.data or "",
            audience=list(self.audience.data or []),
            questions=[QuestionData(
                text=row.text.data or "", kind=row.kind.data or "",
                options=[line.strip() for line in (row.options.data or "").splitlines() if line.strip()],
                help_text=(row.help_text.data or "").strip() or None, required=bool(row.required.data),
                in_index=bool(row.in_index.data),
            ) for _, row in self.rows()],
        )


class ArchiveForm(BaseForm):
    archived = HiddenField()


__all__ = ["ArchiveForm", "QuestionForm", "TemplateForm", "MAX_ROWS", "BLANK_ROWS_NEW", "BLANK_ROWS_EDIT", "MORE_ROWS"]
