"""Text for spreadsheet cells (XLSX exports): nothing a spreadsheet would run, nothing XML refuses.

A value typed by a user ("=HYPERLINK(…)", "+7 …", "-ИРО") is written as a *string* cell, and one
that starts like a formula gets the quote prefix too, so it stays text even when the cell is
edited (CSV/formula injection). Characters XML 1.0 cannot carry are dropped; a text longer than
a cell holds is cut with "…".
"""
from __future__ import annotations

import re

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CELL_LIMIT = 32767


def clean_text(value) -> str:
    """``value`` as text safe for XLSX and DOCX: no XML-illegal characters, newlines as \\n."""
    if value is None:
        return ""
    return XML_ILLEGAL.sub("", str(value).replace("\r\n", "\n")).strip()


def set_text_cell(cell, value) -> None:
    """Write ``value`` into ``cell`` (an openpyxl cell, write-only ones too) as text that no
    spreadsheet takes for a formula; an empty value leaves the cell empty."""
    text = clean_text(value)
    if not text:
        return
    if len(text) > CELL_LIMIT:
        text = text[: CELL_LIMIT - 1] + "…"
    cell.value = text
    cell.data_type = "s"  # openpyxl would make "=…" a formula and "#N/A" an error
    if text[:1] in FORMULA_START or text.lstrip()[:1] in FORMULA_START:
        cell.quotePrefix = True
