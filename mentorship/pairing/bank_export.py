"""The mentor bank and the mentee bank as Excel workbooks (the school's own staff only).

The rows come from ``banks.iter_mentor_bank`` / ``banks.iter_mentee_bank`` in batches and go
straight into an openpyxl *write-only* workbook, so memory does not grow with the bank.
Anonymised people never reach here (the bank queries leave them out).

Headers and value labels pass through gettext and are rendered in Russian, whatever the
interface language, as the school's documents are (``EXPORT_LOCALE``); this needs an app
context. Like roadmap_export, every text cell is a string cell, and text a spreadsheet
would take for a formula gets the «quote prefix» flag, so no formula is ever injected.

``export_mentor_bank`` / ``export_mentee_bank`` make the file of a filtered bank and audit the
export of personal data ("bank.exported").
"""
from __future__ import annotations

import io
from collections.abc import Iterable

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from core.spreadsheet_text import clean_text, set_text_cell
from mentorship.pairing.banks import (
    FOLLOW_UP_LABELS,
    INTERVIEW_LABELS,
    REQUEST_KIND_LABELS,
    REQUEST_SOURCE_LABELS,
    TRAINING_LABELS,
    MenteeFilters,
    MentorFilters,
    iter_mentee_bank,
    iter_mentor_bank,
)
from mentorship.region.forms import CATEGORY_LABELS, region_forms
from tenants import audit
from tenants.models import Organization

__all__ = ["EXPORT_LOCALE", "MENTEE_COLUMNS", "MENTOR_COLUMNS", "export_mentee_bank", "export_mentor_bank",
           "mentee_bank_xlsx", "mentor_bank_xlsx"]

EXPORT_LOCALE = "ru"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (header, width in characters)
MENTOR_COLUMNS = (
    (_l("Full name"), 34), (_l("Category"), 18), (_l("Class, group or position"), 24),
    (_l("Competencies"), 36), (_l("Subjects"), 28), (_l("Interests"), 28), (_l("Preferred forms"), 30),
    (_l("Capacity"), 11), (_l("Active mentees"), 11), (_l("Free places"), 11), (_l("Hours per month"), 11),
    (_l("Interview"), 20), (_l("School of mentors"), 24), (_l("Approved"), 11), (_l("Publication consent"), 13),
)
MENTEE_COLUMNS = (
    (_l("Full name"), 34), (_l("Category"), 18), (_l("Class, group or position"), 24),
    (_l("Special needs"), 11), (_l("Interests"), 28), (_l("Open requests"), 50), (_l("In an active pair"), 13),
    (_l("Follow-up"), 24), (_l("Follow-up note"), 36),
)



def _cell(sheet, value, *, bold: bool = False):
    """A write-only cell: numbers as numbers, everything else as text that is never a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet)
    if isinstance(value, bool):
        value = _yes_no(value)
    if isinstance(value, int):
        cell.value = value
    else:
        set_text_cell(cell, value)
    if bold:
        cell.font = Font(bold=True)
    return cell


def _yes_no(flag: bool) -> str:
    return str(_l("yes")) if flag else str(_l("no"))


def _label(labels: dict, code) -> str:
    return str(labels.get(code, code or ""))


def _workbook(title, columns, rows: Iterable[list]) -> tuple[bytes, int]:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    for col, (_, width) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, str(header), bold=True) for header, _ in columns])
    count = 0
    for values in rows:
        sheet.append([_cell(sheet, value) for value in values])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def _person(p) -> list:
    return [p.full_name, _label(CATEGORY_LABELS, p.category), p.class_or_position]


def mentor_bank_xlsx(rows, form_names: dict[str, str]) -> tuple[bytes, int]:
    """``rows``: (participant, active load) as ``banks.iter_mentor_bank`` yields them;
    ``form_names``: form code → name. Returns the file and the number of people in it."""

    def values():
        for person, load in rows:
            profile = person.mentor_profile
            yield [
                *_person(person),
                "\n".join(_label(REQUEST_KIND_LABELS, c) for c in profile.competencies or []),
                profile.subjects, profile.interests,
                "\n".join(form_names.get(c, c) for c in profile.preferred_forms or []),
                profile.capacity, load, max(profile.capacity - load, 0), profile.hours_per_month,
                _label(INTERVIEW_LABELS, profile.interview_result), _label(TRAINING_LABELS, profile.training_status),
                bool(profile.approved), bool(profile.publish_consent),
            ]

    with force_locale(EXPORT_LOCALE):
        return _workbook(_l("Mentor bank"), MENTOR_COLUMNS, values())


def mentee_bank_xlsx(rows) -> tuple[bytes, int]:
    """``rows``: (participant, in an active pair) as ``banks.iter_mentee_bank`` yields them."""

    def values():
        for person, paired in rows:
            profile = person.mentee_profile
            requests = "\n".join(
                f"{_label(REQUEST_KIND_LABELS, r.kind)} ({_label(REQUEST_SOURCE_LABELS, r.source)})"
                + (f": {clean_text(r.note)}" if r.note else "")
                for r in person.requests if not r.closed
            )
            yield [
                *_person(person), bool(person.special_needs), profile.interests if profile else None, requests,
                bool(paired), _label(FOLLOW_UP_LABELS, profile.follow_up if profile else "none"),
                profile.follow_up_note if profile else None,
            ]

    with force_locale(EXPORT_LOCALE):
        return _workbook(_l("Mentee bank"), MENTEE_COLUMNS, values())


def export_mentor_bank(filters: MentorFilters, org: Organization, user=None) -> bytes:
    """The school's mentor bank, as filtered, in a workbook; the export is audited."""
    forms = {f.code: f.name for f in region_forms(org.path, include_retired=True)}
    data, count = mentor_bank_xlsx(iter_mentor_bank(filters), forms)
    audit.record("bank.exported", org=org, user=user,
                 details={"bank": "mentors", "rows": count, "filters": filters.as_args()})
    return data


def export_mentee_bank(filters: MenteeFilters, org: Organization, user=None) -> bytes:
    """The school's mentee bank, as filtered, in a workbook; the export is audited."""
    data, count = mentee_bank_xlsx(iter_mentee_bank(filters))
    audit.record("bank.exported", org=org, user=user,
                 details={"bank": "mentees", "rows": count, "filters": filters.as_args()})
    return data
