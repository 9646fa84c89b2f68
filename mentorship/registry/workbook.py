"""The registry as an Excel workbook (реестр наставников), as filtered on its page.

Rows come from ``entries.registry_query`` in batches and go straight into an openpyxl
*write-only* workbook, so memory stays flat for a whole region. Headers and labels are in
Russian whatever the interface language (``EXPORT_LOCALE``), as the body's documents are;
every text cell is a string cell that no spreadsheet takes for a formula. The export names
people, so it is audited ("registry.exported").
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from core.extensions import db
from core.spreadsheet_text import set_text_cell
from mentorship.pairing.banks import COMPETENCY_LABELS
from mentorship.recognition.awards import KIND_LABELS as AWARD_LABELS
from mentorship.region.forms import CATEGORY_LABELS, region_forms
from mentorship.registry.entries import RegistryFilters, places, registry_query
from mentorship.registry.models import RegistryEntry
from tenants import audit
from tenants.models import Organization

__all__ = ["COLUMNS", "EXPORT_LOCALE", "XLSX_MIMETYPE", "award_text", "export_registry", "registry_xlsx"]

EXPORT_LOCALE = "ru"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BATCH = 500

COLUMNS = (
    (_l("Full name"), 34), (_l("Educational organisation"), 30), (_l("Municipal body"), 26),
    (_l("Category"), 18), (_l("Position"), 24), (_l("Subjects"), 28), (_l("Competencies"), 36),
    (_l("Forms of mentorship"), 34), (_l("Trained"), 10), (_l("Training course"), 36),
    (_l("Completed on"), 13), (_l("Hours"), 8), (_l("Awards"), 40),
)


def award_text(award: dict) -> str:
    label = str(AWARD_LABELS.get(award.get("kind"), award.get("kind") or ""))
    title = f": {award['title']}" if award.get("title") else ""
    when = award.get("on") or ""
    return f"{label}{title} ({date.fromisoformat(when).strftime('%d.%m.%Y')})" if when else f"{label}{title}"


def _cell(sheet, value, *, bold: bool = False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet)
    if isinstance(value, bool):
        value = str(_l("yes")) if value else str(_l("no"))
    if isinstance(value, int):
        cell.value = value
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "DD.MM.YYYY"
    else:
        set_text_cell(cell, value)
    if bold:
        cell.font = Font(bold=True)
    return cell


def _rows(stmt, form_names: dict[str, str]) -> Iterator[list]:
    batch: list[RegistryEntry] = []

    def flush_batch():
        where = places(batch)
        for entry in batch:
            place = where.get(entry.org_id)
            yield [
                entry.full_name, place.school if place else "", place.body if place else "",
                str(CATEGORY_LABELS.get(entry.category, entry.category)), entry.position, entry.subjects,
                "\n".join(str(COMPETENCY_LABELS.get(c, c)) for c in entry.competencies or []),
                "\n".join(form_names.get(c, c) for c in entry.forms or []),
                bool(entry.trained), entry.training_title, entry.trained_on, entry.training_hours,
                "\n".join(award_text(a) for a in entry.awards or []),
            ]
        for entry in batch:
            db.session.expunge(entry)
        batch.clear()

    for entry in db.session.scalars(stmt.execution_options(yield_per=BATCH)):
        batch.append(entry)
        if len(batch) >= BATCH:
            yield from flush_batch()
    yield from flush_batch()


def registry_xlsx(stmt, form_names: dict[str, str]) -> tuple[bytes, int]:
    """The workbook of the entries ``stmt`` selects, and how many rows it has."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    with force_locale(EXPORT_LOCALE):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(_l("Registry of mentors"))[:31])
        for col, (_, width) in enumerate(COLUMNS, 1):
            sheet.column_dimensions[get_column_letter(col)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([_cell(sheet, str(header), bold=True) for header, _ in COLUMNS])
        count = 0
        for values in _rows(stmt, form_names):
            sheet.append([_cell(sheet, value) for value in values])
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def export_registry(filters: RegistryFilters, org: Organization, user=None) -> bytes:
    """The registry the viewer sees, as filtered, in a workbook; the export is audited."""
    forms = region_forms(org.path, include_retired=True)
    stmt = registry_query(filters, {f.code for f in forms}, set(COMPETENCY_LABELS))
    data, count = registry_xlsx(stmt, {f.code: f.name for f in forms})
    audit.record("registry.exported", org=org, user=user, details={"rows": count, "filters": filters.as_args()})
    return data
