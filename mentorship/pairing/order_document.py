"""An order (приказ) «Об утверждении наставнических пар/групп» as a Word document.

A pure function, like roadmap_export: it takes the order's columns and the table rows
(``orders.order_rows``) and returns the file's bytes, issuing no queries. The document is
in Russian whatever the interface language — it is the school's official paper: the school's
name as the header, «ПРИКАЗ», the date and number on one line, the title, the preamble,
«ПРИКАЗЫВАЮ:», item 1 with the table of pairs and groups, item 2, the signature line.
"""
from __future__ import annotations

import io

from core.documents import mark_header_row, russian_date, shade_cell, write_cell

# The cell helpers of the roadmap export: the same table look in every document of the house.
from core.spreadsheet_text import clean_text

__all__ = ["COLUMNS", "PREAMBLE", "to_docx"]

# (header, Word width in millimetres) — portrait A4 with 25 + 10 mm margins leaves 175 mm
COLUMNS: tuple[tuple[str, float], ...] = (
    ("№", 10),
    ("Наставник", 36),
    ("Наставляемый(е)", 40),
    ("Форма наставничества", 29),
    ("Программа", 33),
    ("Срок", 27),
)
PREAMBLE = (
    "В соответствии с распоряжением Министерства просвещения Российской Федерации от 25.12.2019 № Р-145 "
    "«Об утверждении методологии (целевой модели) наставничества обучающихся для организаций, осуществляющих "
    "образовательную деятельность по общеобразовательным, дополнительным общеобразовательным и программам "
    "среднего профессионального образования, в том числе с применением лучших практик обмена опытом между "
    "обучающимися» и Положением о наставничестве{school}, в целях реализации программы наставничества"
)
ITEM_PAIRS = "1. Утвердить наставнические пары/группы:"
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


def to_docx(order, school_name: str, rows, *, position: str = "Директор") -> bytes:
    """The order as a portrait A4 document. ``order`` needs ``number``, ``dated``, ``title``,
    ``signatory``; ``rows`` are ``orders.OrderRow``."""
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
    school = f" {clean_text(school_name)}" if school_name else ""
    _paragraph(document, PREAMBLE.format(school=school), align=justify, indent=Mm(12.5))
    _paragraph(document, "ПРИКАЗЫВАЮ:", bold=True, space_after=6)
    _paragraph(document, ITEM_PAIRS, align=justify, indent=Mm(12.5))

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
        values = (str(row.number), clean_text(row.mentor), "\n".join(clean_text(m) for m in row.mentees),
                  clean_text(row.form), clean_text(row.programme), clean_text(row.term))
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
