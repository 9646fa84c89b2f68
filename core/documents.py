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
