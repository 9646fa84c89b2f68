"""An award order (приказ «О поощрении участников наставнической деятельности») as a Word
document — the same house style as the pair order (mentorship/pairing/order_document.py).

A pure function: it takes the order's columns and the table rows (``award_orders.order_rows``)
and returns the file's bytes, issuing no queries. The document is in Russian whatever the
interface language: the school's name as the header, «ПРИКАЗ», the date and number on one
line, the title, the preamble (with the grounds, if any), «ПРИКАЗЫВАЮ:», item 1 with the table
of the people and partners rewarded, item 2, the signature line.
"""
from __future__ import annotations

import io

from core.documents import mark_header_row, russian_date, shade_cell, write_cell
from core.spreadsheet_text import clean_text

# (header, Word width in millimetres) — portrait A4 with 25 + 10 mm margins leaves 175 mm
COLUMNS: tuple[tuple[str, float], ...] = (
    ("№", 10),
    ("Ф. И. О. / организация", 48),
    ("Должность", 37),
    ("Вид поощрения", 35),
    ("Формулировка", 45),
)
PREAMBLE = (
    "В соответствии с распоряжением Министерства просвещения Российской Федерации от 25.12.2019 № Р-145 "
    "«Об утверждении методологии (целевой модели) наставничества обучающихся для организаций, осуществляющих "
    "образовательную деятельность по общеобразовательным, дополнительным общеобразовательным и программам "
    "среднего профессионального образования, в том числе с применением лучших практик обмена опытом между "
    "обучающимися» и Положением о наставничестве{school}, в целях поощрения участников наставнической "
    "деятельности{grounds}"
)
ITEM_AWARDS = "1. Поощрить участников наставнической деятельности:"
ITEM_CONTROL = "2. Контроль за исполнением приказа оставляю за собой."


def _paragraph(document, text: str = "", *, bold: bool = False, align=None, space_after=None, indent=None):
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after if space_after is not None else 6)
    if indent is not None:
        paragraph.paragraph_format.first_line_indent = indent
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
    return paragraph


def preamble(school_name: str, grounds: str | None) -> str:
    school = f" {clean_text(school_name)}" if school_name else ""
    reason = f", {clean_text(grounds).rstrip('.')}" if grounds else ""
    return PREAMBLE.format(school=school, grounds=reason)


def to_docx(order, school_name: str, rows, *, position: str = "Директор") -> bytes:
    """The order as a portrait A4 document. ``order`` needs ``number``, ``dated``, ``title``,
    ``grounds``, ``signatory``; ``rows`` are ``award_orders.AwardOrderRow``."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(10)
    section.top_margin = section.bottom_margin = Mm(20)
    text_width = Mm(175)

    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    document.core_properties.title = f"Приказ № {clean_text(order.number)}"

    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    _paragraph(document, clean_text(school_name), bold=True, align=center, space_after=18)
    heading = _paragraph(document, "ПРИКАЗ", bold=True, align=center, space_after=12)
    heading.runs[0].font.size = Pt(14)

    dated = _paragraph(document, space_after=12)
    dated.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    dated.add_run(f"{russian_date(order.dated)}\t№ {clean_text(order.number)}")

    _paragraph(document, clean_text(order.title), bold=True, align=center, space_after=12)
    _paragraph(document, preamble(school_name, order.grounds), align=justify, indent=Mm(12.5))
    _paragraph(document, "ПРИКАЗЫВАЮ:", bold=True, space_after=6)
    _paragraph(document, ITEM_AWARDS, align=justify, indent=Mm(12.5))

    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, (_, width) in zip(table.columns, COLUMNS):
        column.width = Mm(width)
    header = table.rows[0]
    mark_header_row(header)
    for cell, (text, width) in zip(header.cells, COLUMNS):
        cell.width = Mm(width)
        write_cell(cell, text, bold=True, center=True)
        shade_cell(cell, "D9D9D9")
    for row in rows:
        cells = table.add_row().cells
        values = (str(row.number), clean_text(row.recipient), clean_text(row.position), clean_text(row.kind),
                  clean_text(row.wording))
        for cell, value, (_, width) in zip(cells, values, COLUMNS):
            cell.width = Mm(width)
            write_cell(cell, value, center=cell is cells[0])

    _paragraph(document, space_after=0)
    _paragraph(document, ITEM_CONTROL, align=justify, indent=Mm(12.5), space_after=36)
    signature = _paragraph(document)
    signature.paragraph_format.tab_stops.add_tab_stop(Mm(100), WD_TAB_ALIGNMENT.LEFT)
    signature.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    signature.add_run(f"{position}\t____________\t{clean_text(order.signatory) or '____________________'}")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
