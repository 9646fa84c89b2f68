"""A certificate of training (сертификат о прохождении обучения) as a Word document.

A pure function like the order's document (``pairing.order_document``): it takes plain values
and returns the file's bytes, issuing no queries. The document is in Russian whatever the
interface language: the organiser's name as the header, «СЕРТИФИКАТ» and its number, to whom,
the programme and its hours, the date and the signature line.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from core.documents import russian_date
from core.spreadsheet_text import clean_text

__all__ = ["CertificateText", "hours_phrase", "to_docx"]


@dataclass(frozen=True)
class CertificateText:
    organiser: str
    number: str
    person: str
    course_title: str
    kind: str  # e.g. «Школа наставников», «семинар»
    hours: int
    completed_on: date
    school: str | None = None


def hours_phrase(hours: int) -> str:
    """«36 часов», «2 часа», «1 час», «21 час»."""
    if hours % 10 == 1 and hours % 100 != 11:
        word = "час"
    elif hours % 10 in (2, 3, 4) and hours % 100 not in (12, 13, 14):
        word = "часа"
    else:
        word = "часов"
    return f"{hours} {word}"


def _paragraph(document, text: str = "", *, bold: bool = False, size: int | None = None, center: bool = True,
               space_after: int = 8):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(space_after)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
    return paragraph


def to_docx(text: CertificateText) -> bytes:
    """The certificate as a landscape A5-like page on A4 portrait (centred, Times New Roman)."""
    from docx import Document
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(25)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    number = clean_text(text.number)
    document.core_properties.title = f"Сертификат № {number}"

    _paragraph(document, clean_text(text.organiser), bold=True, space_after=36)
    _paragraph(document, "СЕРТИФИКАТ", bold=True, size=26, space_after=4)
    _paragraph(document, f"№ {number}", space_after=24)
    _paragraph(document, "Настоящий сертификат подтверждает, что", space_after=12)
    _paragraph(document, clean_text(text.person), bold=True, size=18, space_after=6)
    if text.school:
        _paragraph(document, clean_text(text.school), space_after=12)
    _paragraph(document, f"прошёл(а) обучение ({clean_text(text.kind)}) по программе", space_after=6)
    _paragraph(document, f"«{clean_text(text.course_title)}»", bold=True, space_after=6)
    _paragraph(document, f"в объёме {hours_phrase(text.hours)}.", space_after=48)
    _paragraph(document, f"Дата выдачи: {russian_date(text.completed_on)}", center=False, space_after=24)
    _paragraph(document, "Руководитель _______________ / _______________ /", center=False, space_after=6)
    _paragraph(document, "М. П.", center=False)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
