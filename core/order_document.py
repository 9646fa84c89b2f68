"""An order (приказ) of the house as a Word document: the one layout every order shares.

Portrait A4, Times New Roman: the organisation's name as the header, «ПРИКАЗ», the date and
number on one line, the title, the preamble, «ПРИКАЗЫВАЮ:», item 1 with its table, item 2
(control), the signature line. Each kind of order (pairs, incentives) gives its texts, columns
and rows; a pure function, no queries.
"""
from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date

from core.documents import mark_header_row, russian_date, shade_cell, write_cell
from core.spreadsheet_text import clean_text

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


def order_docx(*, school_name: str, number: str, dated: date, title: str, preamble: str, item: str,
               columns: Sequence[tuple[str, float]], rows: Iterable[Sequence[str]], signatory: str | None,
               position: str) -> bytes:
    """The document's bytes. ``columns``: (header, width in mm, 175 in all); ``rows``: the cell
    texts of each table row, already cleaned; the first column is centred."""
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
    document.core_properties.title = f"Приказ № {clean_text(number)}"

    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    _paragraph(document, clean_text(school_name), bold=True, align=center, space_after=18)
    heading = _paragraph(document, "ПРИКАЗ", bold=True, align=center, space_after=12)
    heading.runs[0].font.size = Pt(14)

    dated_line = _paragraph(document, space_after=12)
    dated_line.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    dated_line.add_run(f"{russian_date(dated)}\t№ {clean_text(number)}")

    _paragraph(document, clean_text(title), bold=True, align=center, space_after=12)
    _paragraph(document, preamble, align=justify, indent=Mm(12.5))
    _paragraph(document, "ПРИКАЗЫВАЮ:", bold=True, space_after=6)
    _paragraph(document, item, align=justify, indent=Mm(12.5))

    table = document.add_table(rows=1, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, (_, width) in zip(table.columns, columns, strict=True):
        column.width = Mm(width)
    header = table.rows[0]
    mark_header_row(header)
    for cell, (text, width) in zip(header.cells, columns, strict=True):
        cell.width = Mm(width)
        write_cell(cell, text, bold=True, center=True)
        shade_cell(cell, "D9D9D9")
    for values in rows:
        cells = table.add_row().cells
        for cell, value, (_, width) in zip(cells, values, columns, strict=True):
            cell.width = Mm(width)
            write_cell(cell, value, center=cell is cells[0])

    _paragraph(document, space_after=0)
    _paragraph(document, ITEM_CONTROL, align=justify, indent=Mm(12.5), space_after=36)
    signature = _paragraph(document)
    signature.paragraph_format.tab_stops.add_tab_stop(Mm(100), WD_TAB_ALIGNMENT.LEFT)
    signature.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    signature.add_run(f"{position}\t____________\t{clean_text(signatory) or '____________________'}")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
