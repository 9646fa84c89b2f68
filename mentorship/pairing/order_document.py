"""An order (приказ) «Об утверждении наставнических пар/групп» as a Word document.

A pure function, like roadmap_export: it takes the order's columns and the table rows
(``orders.order_rows``) and returns the file's bytes, issuing no queries. The document is
in Russian whatever the interface language — it is the school's official paper: the school's
name as the header, «ПРИКАЗ», the date and number on one line, the title, the preamble,
«ПРИКАЗЫВАЮ:», item 1 with the table of pairs and groups, item 2, the signature line.
"""
from __future__ import annotations

from core.order_document import order_docx
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


def to_docx(order, school_name: str, rows, *, position: str = "Директор") -> bytes:
    """The order as a portrait A4 document. ``order`` needs ``number``, ``dated``, ``title``,
    ``signatory``; ``rows`` are ``orders.OrderRow``."""
    school = f" {clean_text(school_name)}" if school_name else ""
    cells = ((str(row.number), clean_text(row.mentor), "\n".join(clean_text(m) for m in row.mentees),
              clean_text(row.form), clean_text(row.programme), clean_text(row.term)) for row in rows)
    return order_docx(school_name=school_name, number=order.number, dated=order.dated, title=order.title,
                      preamble=PREAMBLE.format(school=school), item=ITEM_PAIRS, columns=COLUMNS, rows=cells,
                      signatory=order.signatory, position=position)
