"""A roadmap as an Excel workbook or a Word document, in the seeds' table shape.

``export_roadmap`` is the service a download calls: the file, and its export audited. The
writers ``to_xlsx`` and ``to_docx`` are pure functions: they take a roadmap already loaded with ``roadmap_service.load_roadmap``
(stages and activities selectin-loaded) and return the file's bytes. They read only the
roadmap's own columns and its stages' and activities' columns, so an export issues no
queries of its own; no request, session or translation machinery is involved.

The documents are in Russian whatever the interface language: they reproduce the official
form (№ / Этап / Мероприятие / … ), the way the seed roadmaps are printed: the text before the
table (goals and tasks), the table — each deadline's wording followed by the due date(s) it
means in the roadmap's period — and the note under it.

Spreadsheet formula injection: every text cell is written as a string (never a formula, an
error code or a number), and text that a spreadsheet would take for a formula when edited
(starting with = + - @, a tab or a carriage return) also gets Excel's «quote prefix» cell
flag — what Excel itself stores when one types ``'=…`` — so the text shows unchanged, with no
apostrophe added to it, and stays text when the cell is edited.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from core.documents import mark_header_row, shade_cell, write_cell
from core.spreadsheet_text import clean_text, set_text_cell
from mentorship.roadmaps.deadlines import Deadline, Period
from tenants import audit
from tenants.models import Organization

__all__ = ["COLUMNS", "export_roadmap", "to_docx", "to_xlsx"]

# (key, header, Excel width in characters, Word width in millimetres; None: not in Word)
COLUMNS: tuple[tuple[str, str, float, float | None], ...] = (
    ("number", "№", 7, 11),
    ("stage", "Этап", 28, 30),
    ("activity", "Мероприятие", 36, 42),
    ("content", "Содержание деятельности", 45, 50),
    ("key_result", "Ключевой результат", 36, 40),
    ("deadline_text", "Сроки", 18, 24),
    ("responsible", "Ответственные", 30, 36),
    ("documents", "Документы", 36, 40),
    ("done", "Выполнено", 13, None),
)
HEADERS = tuple(header for _, header, _, _ in COLUMNS)
SHEET_TITLE = "Дорожная карта"
STATUS_LABELS = {
    "draft": "черновик",
    "submitted": "на согласовании",
    "returned": "возвращена на доработку",
    "approved": "утверждена",
}
DEFAULT_TZ = "Europe/Moscow"  # BABEL_DEFAULT_TIMEZONE's default; done_at is stored in UTC


# ---------------------------------------------------------------------------- the rows


@dataclass(frozen=True)
class ExportRow:
    kind: str  # "stage" | "activity"
    cells: dict  # column key → text (str, possibly "") or, for "done", a date or None


def _documents(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = [value]
    return "\n".join(line for line in (clean_text(doc) for doc in value) if line)


def _zone(tz: tzinfo | str | None) -> tzinfo:
    if isinstance(tz, tzinfo):
        return tz
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(tz or DEFAULT_TZ)
    except Exception:  # no tz database in the image: Moscow has been UTC+3 since 2014
        return timezone(timedelta(hours=3))


def _local_date(moment: datetime | date | None, zone: tzinfo) -> date | None:
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        return moment
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they are UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()


def _due_line(item, period: Period | None) -> str:
    """The due date(s) a deadline means («срок: 30.11.2026»), or "" when the wording is
    itself that date, or means none."""
    structured = getattr(item, "deadline", None)
    if not structured or period is None:
        return ""
    try:
        deadline = Deadline.from_json(structured)
        dues = deadline.due_dates(period)
    except (KeyError, TypeError, ValueError):
        return ""
    if not dues or (deadline.kind == "date" and not structured.get("override")):
        return ""
    if len(dues) == 1:
        return f"срок: {dues[0]:%d.%m.%Y}"
    return "сроки: " + ", ".join(f"{due:%d.%m.%Y}" for due in dues)


def _deadline_cell(item, period: Period | None) -> str:
    return "\n".join(part for part in (clean_text(item.deadline_text), _due_line(item, period)) if part)


def _fields(item, period: Period | None) -> dict:
    return {
        "number": clean_text(item.number),
        "content": clean_text(item.content),
        "key_result": clean_text(item.key_result),
        "deadline_text": _deadline_cell(item, period),
        "responsible": clean_text(item.responsible),
        "documents": _documents(item.documents),
    }


def _period(roadmap, today: date | None) -> Period | None:
    if not (getattr(roadmap, "period_start", None) and getattr(roadmap, "period_end", None)):
        return None
    return Period(roadmap.period_start, roadmap.period_end, getattr(roadmap, "in_force_from", None) or today)


def export_rows(roadmap, tz: tzinfo | str | None = None, today: date | None = None) -> list[ExportRow]:
    """Each stage's row followed by its activities' rows, in the roadmap's order. A recurring
    deadline's dates count from the day the roadmap came into force (a draft's: ``today``)."""
    zone = _zone(tz)
    period = _period(roadmap, today)
    rows = []
    for stage in roadmap.stages:
        step_done = _local_date(getattr(stage, "done_at", None), zone) if not stage.activities else None
        rows.append(ExportRow("stage", {**_fields(stage, period), "stage": clean_text(stage.title), "activity": "",
                                        "done": step_done}))
        for activity in stage.activities:
            rows.append(ExportRow("activity", {**_fields(activity, period), "stage": "",
                                               "activity": clean_text(activity.title),
                                               "done": _local_date(activity.done_at, zone)}))
    return rows


def _paragraphs(text: str | None) -> list[str]:
    """A text's paragraphs (split at line breaks), cleaned, without empty ones."""
    return [line for line in (clean_text(part) for part in (text or "").splitlines()) if line]


def _period_line(roadmap) -> str:
    if roadmap.period_text:
        return f"Период: {clean_text(roadmap.period_text)}"
    if roadmap.period_start and roadmap.period_end:
        return f"Период: {roadmap.period_start:%d.%m.%Y} – {roadmap.period_end:%d.%m.%Y}"
    return ""


def _status_line(roadmap, zone: tzinfo) -> str:
    status = STATUS_LABELS.get(roadmap.status, roadmap.status or "")
    line = f"Статус: {status}; версия {roadmap.version or 1}"
    approved = _local_date(roadmap.approved_at, zone) if roadmap.status == "approved" else None
    if approved:
        line += f"; утверждена {approved:%d.%m.%Y}"
    return line


def _stage_has_fields(row: ExportRow) -> bool:
    return any(row.cells[key] for key in ("content", "key_result", "deadline_text", "responsible", "documents"))


# ---------------------------------------------------------------------------- XLSX


def to_xlsx(roadmap, org_name: str, *, tz: tzinfo | str | None = None, today: date | None = None) -> bytes:
    """The roadmap as one sheet «Дорожная карта»: a title block (with the text before the
    table), a header row, stage and activity rows, the note under the table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    zone = _zone(tz)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    last_col = get_column_letter(len(COLUMNS))

    # the title block: one merged line each
    title_lines = [
        (clean_text(roadmap.title), Font(bold=True, size=14)),
        (clean_text(org_name), Font(bold=True, size=12)),
        (_period_line(roadmap), Font(size=11)),
        (_status_line(roadmap, zone), Font(size=11, italic=True)),
        *((paragraph, Font(size=11)) for paragraph in _paragraphs(getattr(roadmap, "preamble", None))),
    ]
    total_width = sum(width for _, _, width, _ in COLUMNS)
    for row, (text, font) in enumerate(title_lines, 1):
        cell = sheet.cell(row=row, column=1)
        set_text_cell(cell, text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.merge_cells(f"A{row}:{last_col}{row}")
        # a merged cell never grows by itself: give long lines room
        size = font.sz or 11
        lines = max(1, math.ceil(len(text) * size / 11 / (total_width * 1.1)))
        sheet.row_dimensions[row].height = max(15, lines * size * 1.5)

    header_row = len(title_lines) + 2
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    stage_fill = PatternFill("solid", fgColor="EDEDED")

    for col, (_, header, width, _) in enumerate(COLUMNS, 1):
        cell = sheet.cell(row=header_row, column=col)
        set_text_cell(cell, header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(col)].width = width

    row = header_row
    for item in export_rows(roadmap, zone, today):
        row += 1
        stage = item.kind == "stage"
        for col, (key, _, _, _) in enumerate(COLUMNS, 1):
            cell = sheet.cell(row=row, column=col)
            value = item.cells[key]
            if key == "done":
                if value is not None:
                    cell.value = value
                    cell.number_format = "DD.MM.YYYY"
            else:
                set_text_cell(cell, value)
            cell.alignment = wrap_top
            cell.border = border
            if stage:
                cell.font = Font(bold=True)
                cell.fill = stage_fill

    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.auto_filter.ref = f"A{header_row}:{last_col}{row}"
    for offset, paragraph in enumerate(_paragraphs(getattr(roadmap, "footnote", None)), 2):
        cell = sheet.cell(row=row + offset, column=1)
        set_text_cell(cell, paragraph)
        cell.font = Font(size=10, italic=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(f"A{row + offset}:{last_col}{row + offset}")
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- DOCX


def to_docx(roadmap, org_name: str, *, tz: tzinfo | str | None = None, today: date | None = None) -> bytes:
    """The roadmap as a landscape A4 document: a heading, the organisation and period, the
    text before the table, one table, the note under it."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    zone = _zone(tz)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(12)
    section.top_margin = section.bottom_margin = Mm(15)

    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10)
    heading_style = document.styles["Heading 1"]
    heading_style.font.name = "Times New Roman"
    heading_style.font.size = Pt(14)
    heading_style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = heading_style.element.rPr.rFonts  # the template's theme fonts would win over the name
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)

    heading = document.add_heading(clean_text(roadmap.title), level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, italic in (
        (" · ".join(part for part in (clean_text(org_name), _period_line(roadmap)) if part), False),
        (_status_line(roadmap, zone), True),
    ):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.italic = italic or None
    for text in _paragraphs(getattr(roadmap, "preamble", None)):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Mm(12.5)

    columns = [(key, header, Mm(width)) for key, header, _, width in COLUMNS if width is not None]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # <w:tblLayout w:type="fixed"/>: the widths below hold
    for column, (_, _, width) in zip(table.columns, columns):
        column.width = width

    header = table.rows[0]
    mark_header_row(header)
    for cell, (_, text, width) in zip(header.cells, columns):
        cell.width = width
        write_cell(cell, text, bold=True, center=True)
        shade_cell(cell, "D9D9D9")

    for item in export_rows(roadmap, zone, today):
        cells = table.add_row().cells
        for cell, (_, _, width) in zip(cells, columns):
            cell.width = width
        stage = item.kind == "stage"
        if stage and not _stage_has_fields(item):
            # a bare stage: its title spans the row
            write_cell(cells[0], item.cells["number"], bold=True)
            merged = cells[1].merge(cells[-1])
            write_cell(merged, item.cells["stage"], bold=True)
            shade_cell(cells[0], "EDEDED")
            shade_cell(merged, "EDEDED")
            continue
        for cell, (key, _, _) in zip(cells, columns):
            write_cell(cell, item.cells[key], bold=stage)
            if stage:
                shade_cell(cell, "EDEDED")

    for text in _paragraphs(getattr(roadmap, "footnote", None)):
        run = document.add_paragraph().add_run(text)
        run.font.size = Pt(9)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- the download

def export_roadmap(roadmap, owner: Organization, fmt: str, org: Organization, today: date | None = None) -> bytes:
    """``roadmap`` (of ``owner``) as an ``xlsx`` or ``docx`` file, its export by ``org`` audited."""
    data = (to_xlsx if fmt == "xlsx" else to_docx)(roadmap, owner.name, today=today)
    audit.record("roadmap.exported", org=org, obj=roadmap, details={"format": fmt})
    return data
