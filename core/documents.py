"""Shared pieces of Word documents (python-docx): table cells written, shaded and repeated as
headers, and dates as Russian official documents print them. Used by the roadmap export, the
order (приказ) and the analytical report."""
from __future__ import annotations

from datetime import date

MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")


def shade_cell(cell, fill: str) -> None:
    """Fill a table cell with ``fill`` (hex RGB)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    # CT_TcPr is a sequence: w:shd goes before these, whatever else the cell already has
    tc_pr.insert_element_before(shading, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
                                "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")


def write_cell(cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    """One paragraph per line of ``text`` (Word keeps numbered lines apart that way)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    lines = text.split("\n") if text else [""]
    paragraph = cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            paragraph = cell.add_paragraph()
        paragraph.paragraph_format.space_after = 0
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if line:
            run = paragraph.add_run(line)
            run.bold = bold or None


def mark_header_row(row) -> None:
    """Repeat the row at the top of every page, and never split it across pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        tr_pr.append(element)



def russian_date(day: date) -> str:
    """«15» сентября 2026 г."""
    return f"«{day.day:02d}» {MONTHS[day.month - 1]} {day.year} г."


# -- a navigable document: headings, a table of contents, numbered captions ---------------------

def _field(paragraph, instruction: str, shown: str):
    """A Word field (``TOC …``, ``SEQ …``) in ``paragraph``, with ``shown`` as its current
    result: what a reader sees before Word updates the fields."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    char("begin")
    code = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    code._r.append(text)
    char("separate")
    result = paragraph.add_run(shown)
    char("end")
    return result


def update_fields_on_open(document) -> None:
    """Ask Word to update the fields (the table of contents, the numbers) when the file opens."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = document.settings.element
    element = settings.find(qn("w:updateFields"))
    if element is None:
        element = OxmlElement("w:updateFields")
        settings.append(element)
    element.set(qn("w:val"), "true")


def add_table_of_contents(document, title: str, placeholder: str, *, levels: str = "1-2"):
    """A heading ``title`` (not itself in the contents) and a TOC field over the headings of
    ``levels``; ``placeholder`` shows until Word builds it (it does on opening, see
    ``update_fields_on_open``)."""
    heading = document.add_paragraph(title, style="TOC Heading")
    paragraph = document.add_paragraph()
    _field(paragraph, f'TOC \\o "{levels}" \\h \\z \\u', placeholder)
    update_fields_on_open(document)
    return heading


def add_caption(document, label: str, number: int, text: str, *, center: bool = False):
    """«Таблица 1 — Значения показателей»: a paragraph of the Caption style whose number is a
    ``SEQ`` field (Word's list of tables and figures finds it), written as ``number``."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.add_paragraph(style="Caption")
    paragraph.add_run(f"{label} ")
    _field(paragraph, f"SEQ {label} \\* ARABIC", str(number))
    paragraph.add_run(f" — {text}")
    paragraph.paragraph_format.keep_with_next = not center  # a table's caption stays with its table
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph
