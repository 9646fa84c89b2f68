"""An award order (приказ «О поощрении участников наставнической деятельности») as a Word
document — the same house style as the pair order (mentorship/pairing/order_document.py).

A pure function: it takes the order's columns and the table rows (``award_orders.order_rows``)
and returns the file's bytes, issuing no queries. The document is in Russian whatever the
interface language: the school's name as the header, «ПРИКАЗ», the date and number on one
line, the title, the preamble (with the grounds, if any), «ПРИКАЗЫВАЮ:», item 1 with the table
of the people and partners rewarded, item 2, the signature line.
"""
from __future__ import annotations

from core.order_document import order_docx
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


def preamble(school_name: str, grounds: str | None) -> str:
    school = f" {clean_text(school_name)}" if school_name else ""
    reason = f", {clean_text(grounds).rstrip('.')}" if grounds else ""
    return PREAMBLE.format(school=school, grounds=reason)


def to_docx(order, school_name: str, rows, *, position: str = "Директор") -> bytes:
    """The order as a portrait A4 document. ``order`` needs ``number``, ``dated``, ``title``,
    ``grounds``, ``signatory``; ``rows`` are ``award_orders.AwardOrderRow``."""
    cells = ((str(row.number), clean_text(row.recipient), clean_text(row.position), clean_text(row.kind),
              clean_text(row.wording)) for row in rows)
    return order_docx(school_name=school_name, number=order.number, dated=order.dated, title=order.title,
                      preamble=preamble(school_name, order.grounds), item=ITEM_AWARDS, columns=COLUMNS, rows=cells,
                      signatory=order.signatory, position=position)
