"""The school's contingent (контингент): pupils aged 10–19 and 15–19, teachers and young
specialists per school year — the denominators of the indicators (DESIGN §5).

Records are append-only: each save adds a ``ContingentRecord``; the latest record of a year
(highest id) is the current figure, the earlier ones are its history. The same validation
serves the form and the CSV import (``parse_figures``), so both refuse the same input.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from core.errors import DomainError, Problem
from core.extensions import db
from mentorship.monitoring.models import ContingentRecord
from tenants import audit

FIELDS = ("pupils_10_19", "pupils_15_19", "teachers", "young_specialists")
MAX_FIGURE = 1_000_000  # no school (nor college) is bigger: a typo guard
YEARS_BACK = 10  # how far back a school may still record a year's figures


MESSAGES = {
    "required": _l("Enter a number."),
    "not_integer": _l("Enter a whole number without letters or fractions."),
    "negative": _l("The number cannot be negative."),
    "too_large": _l("The number is too large."),
    "bad_year": _l("Choose a school year such as 2026/27."),
    "year_out_of_range": _l("The school year must be one of the last ten, the current one or the next."),
    "band_exceeds": _l("Pupils aged 15–19 are part of those aged 10–19 and cannot outnumber them."),
    "young_exceed": _l("Young specialists are part of the teachers and cannot outnumber them."),
    "file_too_large": _l("The file is too large."),
    "bad_encoding": _l("The file is not text in UTF-8 or Windows-1251."),
    "empty_file": _l("The file is empty."),
    "missing_column": _l("The column is missing."),
    "too_many_rows": _l("Too many rows."),
    "duplicate_year": _l("This school year is already in the file."),
    "no_rows": _l("The file has no rows of figures."),
}


class ContingentError(DomainError):
    """The figures are not valid: a problem per bad field (``school_year`` or one of FIELDS)."""

    MESSAGES = MESSAGES

    @property
    def errors(self) -> dict[str | None, str]:
        """{field: code} of the problems."""
        return {problem.field: problem.code for problem in self.problems}


@dataclass(frozen=True)
class Figures:
    school_year: int
    pupils_10_19: int
    pupils_15_19: int
    teachers: int
    young_specialists: int


def school_year_of(day: date) -> int:
    """The school year a date falls in, by the year it starts (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_label(year: int) -> str:
    """2026 → «2026/27»."""
    return f"{year}/{(year + 1) % 100:02d}"


def year_range(today: date) -> range:
    """School years the school may record: the last ten, the current one and the next."""
    current = school_year_of(today)
    return range(current - YEARS_BACK, current + 2)


def parse_school_year(raw) -> int | None:
    """«2026/27», «2026/2027», «2026-27» or «2026» → 2026; anything else → None."""
    if isinstance(raw, int):
        return raw
    text = str(raw or "").strip().replace("–", "/").replace("-", "/").replace(" ", "")
    head, _, tail = text.partition("/")
    if not (head.isdigit() and len(head) == 4):
        return None
    year = int(head)
    if tail and not (tail.isdigit() and tail in (str(year + 1), f"{(year + 1) % 100:02d}")):
        return None
    return year


def _parse_int(raw) -> int | str:
    """An integer, or the error code."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return "required"
        if text.startswith("-") and text[1:].isdigit():
            return "negative"
        if not text.isdigit():
            return "not_integer"
        value = int(text)
    if value < 0:
        return "negative"
    if value > MAX_FIGURE:
        return "too_large"
    return value


def parse_figures(school_year, values: dict, today: date) -> Figures:
    """Validate raw input (strings from a form or a CSV row); raise ContingentError naming
    every bad field, or return the figures."""
    errors: dict[str, str] = {}
    year = parse_school_year(school_year)
    if year is None:
        errors["school_year"] = "bad_year"
    elif year not in year_range(today):
        errors["school_year"] = "year_out_of_range"
    parsed: dict[str, int] = {}
    for name in FIELDS:
        result = _parse_int(values.get(name))
        if isinstance(result, str):
            errors[name] = result
        else:
            parsed[name] = result
    if "pupils_10_19" in parsed and "pupils_15_19" in parsed and parsed["pupils_15_19"] > parsed["pupils_10_19"]:
        errors["pupils_15_19"] = "band_exceeds"
    if "teachers" in parsed and "young_specialists" in parsed and parsed["young_specialists"] > parsed["teachers"]:
        errors["young_specialists"] = "young_exceed"
    if errors:
        raise ContingentError([Problem(code, name) for name, code in errors.items()])
    return Figures(school_year=year, **parsed)


def record_contingent(org, figures: Figures, *, user=None, source: str = "form") -> ContingentRecord:
    """Append the school's figures for a year (the new current ones), audited. The caller
    has validated them with ``parse_figures`` and commits."""
    record = ContingentRecord(
        org_id=org.id, school_year=figures.school_year, pupils_10_19=figures.pupils_10_19,
        pupils_15_19=figures.pupils_15_19, teachers=figures.teachers, young_specialists=figures.young_specialists,
        recorded_by_id=getattr(user, "id", None), source=source,
    )
    db.session.add(record)
    db.session.flush()
    audit.record("contingent.recorded", org=org, obj=record, user=user,
                 details={"school_year": figures.school_year, "source": source,
                          **{name: getattr(figures, name) for name in FIELDS}})
    return record


def _latest_ids(org_ids: Iterable[int], school_year: int | None = None):
    """Ids of the latest record per (org, year) — append-only, so the highest id wins."""
    stmt = sa.select(sa.func.max(ContingentRecord.id)).where(ContingentRecord.org_id.in_(list(org_ids)))
    if school_year is not None:
        stmt = stmt.where(ContingentRecord.school_year == school_year)
    return stmt.group_by(ContingentRecord.org_id, ContingentRecord.school_year)


def current_contingent_many(org_ids: Iterable[int], school_year: int) -> dict[int, ContingentRecord]:
    """The current figures of ``school_year`` for each organisation that has them, in one
    query (the monitoring aggregation calls this for a whole region)."""
    ids = list(org_ids)
    if not ids:
        return {}
    rows = db.session.scalars(sa.select(ContingentRecord).where(ContingentRecord.id.in_(_latest_ids(ids, school_year))))
    return {row.org_id: row for row in rows}


def current_contingent(org_id: int, school_year: int) -> ContingentRecord | None:
    """The school's current figures for ``school_year``, or None if never recorded."""
    return current_contingent_many([org_id], school_year).get(org_id)


def current_by_year(org_id: int) -> list[ContingentRecord]:
    """The current record of every year the school has figures for, newest year first."""
    return list(db.session.scalars(
        sa.select(ContingentRecord).where(ContingentRecord.id.in_(_latest_ids([org_id])))
        .options(joinedload(ContingentRecord.recorded_by))
        .order_by(ContingentRecord.school_year.desc())
    ))


def history(org_id: int) -> dict[int, list[ContingentRecord]]:
    """Every record of the school by year (newest year first), each year's newest first."""
    rows = db.session.scalars(
        sa.select(ContingentRecord).where(ContingentRecord.org_id == org_id)
        .options(joinedload(ContingentRecord.recorded_by))
        .order_by(ContingentRecord.school_year.desc(), ContingentRecord.id.desc())
    )
    result: dict[int, list[ContingentRecord]] = {}
    for row in rows:
        result.setdefault(row.school_year, []).append(row)
    return result


# CSV import: columns as office software in a Russian locale saves them (';', UTF-8 or cp1251).
CSV_COLUMNS = {
    "school_year": "Учебный год",
    "pupils_10_19": "Обучающиеся 10–19",
    "pupils_15_19": "Обучающиеся 15–19",
    "teachers": "Педагоги",
    "young_specialists": "Молодые специалисты",
}
MAX_IMPORT_BYTES = 256 * 1024
MAX_IMPORT_ROWS = 100


def _normalise_header(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").replace("-", "–").replace("—", "–").lower().split())


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _csv_problem(row: int, column: str, code: str) -> dict:
    return {"row": row, "column": column, "code": code, "message": MESSAGES[code]}


def parse_contingent_csv(data: bytes, today: date) -> tuple[list[Figures], list[dict]]:
    """Rows of a contingent CSV file, and every problem found (row, column, code and its
    message). The file is usable only when the problem list is empty (all or nothing)."""
    import csv
    import io

    if len(data) > MAX_IMPORT_BYTES:
        return [], [_csv_problem(0, "", "file_too_large")]
    text = _decode(data)
    if text is None:
        return [], [_csv_problem(0, "", "bad_encoding")]
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return [], [_csv_problem(1, "", "empty_file")]
    delimiter = ";" if ";" in lines[0] else ("\t" if "\t" in lines[0] else ",")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [_normalise_header(cell) for cell in next(reader)]
    positions: dict[str, int] = {}
    problems: list[dict] = []
    for name, title in CSV_COLUMNS.items():
        if _normalise_header(title) in header:
            positions[name] = header.index(_normalise_header(title))
        else:
            problems.append(_csv_problem(1, title, "missing_column"))
    if problems:
        return [], problems
    figures: list[Figures] = []
    seen: dict[int, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(figures) + len(problems) >= MAX_IMPORT_ROWS:
            problems.append(_csv_problem(number, "", "too_many_rows"))
            break
        raw = {name: (cells[i] if i < len(cells) else "") for name, i in positions.items()}
        try:
            row = parse_figures(raw.pop("school_year"), raw, today)
        except ContingentError as exc:
            problems.extend(_csv_problem(number, CSV_COLUMNS[field], code)
                            for field, code in exc.errors.items())
            continue
        if row.school_year in seen:
            problems.append(_csv_problem(number, CSV_COLUMNS["school_year"], "duplicate_year"))
            continue
        seen[row.school_year] = number
        figures.append(row)
    if not figures and not problems:
        problems.append(_csv_problem(2, "", "no_rows"))
    return figures, problems


def import_contingent(org, rows: list[Figures], *, user=None) -> list[ContingentRecord]:
    """Append every row of a valid file (source «import»); the caller commits."""
    return [record_contingent(org, row, user=user, source="import") for row in rows]
