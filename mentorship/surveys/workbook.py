"""A campaign's results (mentorship/survey_results.Results) as an Excel workbook (openpyxl).

``results_xlsx`` is a pure function of results already computed: it issues no query, so it
shows exactly what the page shows — below five respondents only the note, no figures and no texts; hidden groups
of a breakdown as "fewer than 5" (or "hidden") with no figures.

Sheets: the summary (respondents, index, the scale questions' means), the distributions of
every scale and choice question, the texts, one sheet per breakdown. Headers follow the
interface language. Every text cell is written as a string, and text a spreadsheet would take
for a formula gets the quote-prefix flag (no formula injection through an answer's text, an
option or an organisation's name), like mentorship/pairing/bank_export.py. ``export_results``
is the download: the workbook, and the audit record of the export.
"""
from __future__ import annotations

import io
import re

from flask_babel import gettext as _

from core.numbers import XLSX_RATIO, XLSX_SHARE
from core.spreadsheet_text import set_text_cell
from mentorship.surveys.models import MIN_GROUP_SIZE
from mentorship.surveys.results import COMPLEMENTARY, Results
from tenants import audit


class _Writer:
    def __init__(self, sheet):
        self.sheet = sheet
        self.row = 0

    def line(self, *values, bold: bool = False, formats: dict[int, str] | None = None) -> None:
        """A row; numbers stay numbers, shown with ``formats`` ({column: number format}, the
        kinds of core/numbers.py) so the spreadsheet prints them in the reader's separators."""
        from openpyxl.styles import Font

        self.row += 1
        for col, value in enumerate(values, 1):
            cell = self.sheet.cell(row=self.row, column=col)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.value = value
                if formats and col in formats:
                    cell.number_format = formats[col]
            else:
                set_text_cell(cell, value)
            if bold:
                cell.font = Font(bold=True)

    def gap(self) -> None:
        self.row += 1

    def widths(self, *widths: int) -> None:
        from openpyxl.utils import get_column_letter

        for col, width in enumerate(widths, 1):
            self.sheet.column_dimensions[get_column_letter(col)].width = width


def _title(name) -> str:
    """A valid sheet name: no []:*?/\\ and at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(name)).strip()[:31] or "Sheet"


def results_xlsx(results: Results) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    summary = _Writer(workbook.active)
    summary.sheet.title = _title(_("Summary"))
    summary.widths(60, 16, 16)
    summary.line(results.title, bold=True)
    summary.line(_("Questionnaire"), results.template_title)
    summary.line(_("Results of %(org)s and its schools", org=results.org_name)
                 if results.org_kind != "school" else _("Results of %(org)s", org=results.org_name))
    summary.line(_("Respondents"), results.n)
    if results.suppressed:
        summary.gap()
        summary.line(_("Fewer than %(n)d responses: the results are not shown.", n=MIN_GROUP_SIZE))
        return _save(workbook)
    summary.line(_("Satisfaction index, %"), results.index if results.index is not None else "—",
                 formats={2: XLSX_SHARE})
    summary.gap()
    summary.line(_("Question"), _("Mean"), _("Median"), _("Answered"), bold=True)
    for q in results.scale_questions:
        summary.line(f"{q.position}. {q.text}", q.mean if q.mean is not None else "—",
                     q.median if q.median is not None else "—", q.answered, formats={2: XLSX_RATIO, 3: XLSX_RATIO})

    answers = _Writer(workbook.create_sheet(_title(_("Distributions"))))
    answers.widths(60, 12, 12)
    for q in results.questions:
        if not (q.is_scale or q.is_choice):
            continue
        answers.line(f"{q.position}. {q.text}", bold=True)
        answers.line(_("Answer"), _("Count"), _("%"), bold=True)
        for share in q.shares:
            answers.line(share.label, share.count, share.percent, formats={3: XLSX_SHARE})
        if q.is_scale:
            answers.line(_("Mean"), q.mean if q.mean is not None else "—", formats={2: XLSX_RATIO})
        answers.gap()

    texts = _Writer(workbook.create_sheet(_title(_("Texts"))))
    texts.widths(100)
    for q in results.questions:
        if q.is_text:
            texts.line(f"{q.position}. {q.text}", bold=True)
            for text in q.texts:
                texts.line(text)
            if not q.texts:
                texts.line(_("No answers."))
            texts.gap()

    scale = results.scale_questions
    for breakdown in results.breakdowns:
        sheet = _Writer(workbook.create_sheet(_title(breakdown.title)))
        sheet.widths(40, 14, 14, *[14] * len(scale))
        sheet.line(_("Group"), _("Respondents"), _("Satisfaction index, %"),
                   *[f"{q.position}. {_('mean')}" for q in scale], bold=True)
        for row in breakdown.rows:
            if row.suppressed:
                why = _("hidden (protects a small group)") if row.hidden == COMPLEMENTARY else \
                    _("fewer than %(n)d", n=MIN_GROUP_SIZE)
                sheet.line(row.name, why)
                continue
            means = [row.means.get(q.id) for q in scale]
            sheet.line(row.name, row.n, row.index if row.index is not None else "—",
                       *[m if m is not None else "—" for m in means],
                       formats={3: XLSX_SHARE, **{4 + i: XLSX_RATIO for i in range(len(means))}})
        sheet.gap()
        sheet.line(_("Groups of fewer than %(n)d respondents are not shown, nor a group from which "
                     "they could be derived.", n=MIN_GROUP_SIZE))
    return _save(workbook)


def export_results(results: Results, org, user=None) -> bytes:
    """The workbook of ``results`` (seen from ``org``), audited as an export. The caller commits."""
    data = results_xlsx(results)
    audit.record("survey.results_exported", org=org, user=user, details={
        "campaign_id": results.campaign_id, "format": "xlsx", "respondents": results.n,
    })
    return data


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
