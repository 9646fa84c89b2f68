"""A monitoring dashboard's tables as an Excel workbook (openpyxl).

``to_xlsx`` is a pure function of a ``mentorship.reports.dashboards.Dashboard`` already built:
it issues no query. ``export_dashboard`` is the service a download calls: the dashboard built,
written, and its export audited.
Sheets: the indicators against their targets (with a native bar chart), the organisations
below (numerator, denominator and share of every indicator — sums, as counted), the trend
over the frozen periods, the pairs and groups by form (with a bar chart), and the reports'
status. Aggregates only: no person appears.

Headers follow the interface language (gettext). Every text cell is written as a string and
text that a spreadsheet would take for a formula gets the quote-prefix flag (no formula
injection through an organisation's or an indicator's name).
"""
from __future__ import annotations

import io

from flask_babel import gettext as _

from core.numbers import XLSX_COUNT, XLSX_SHARE
from core.spreadsheet_text import set_text_cell
from mentorship.monitoring.readings import Figure
from mentorship.reports.dashboards import Dashboard, build_dashboard
from tenants import audit
from tenants.models import Organization

PERCENT = XLSX_SHARE  # shares with one decimal, as the pages print them


def _number(cell, value, fmt: str = XLSX_COUNT) -> None:
    """A number (never text): the spreadsheet shows it in the reader's separators."""
    if value is None:
        return
    cell.value = value
    cell.number_format = fmt


def _header(sheet, row: int, headers: list[str], widths: list[int] | None = None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", fgColor="D9D9D9")
    for col, text in enumerate(headers, 1):
        cell = sheet.cell(row=row, column=col)
        set_text_cell(cell, text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if widths:
            sheet.column_dimensions[get_column_letter(col)].width = widths[min(col, len(widths)) - 1]


def _title(sheet, board: Dashboard, heading: str) -> int:
    from openpyxl.styles import Font

    set_text_cell(sheet.cell(row=1, column=1), f"{heading}: {board.org_name}")
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    if board.period is not None:
        state = _("final") if board.period.final else _("not final")
        line = _("Reference date %(d)s (%(state)s)", d=board.period.reference_date.strftime("%d.%m.%Y"), state=state)
    else:
        line = _("No monitoring period yet")
    set_text_cell(sheet.cell(row=2, column=1), line)
    return 4  # the header row


def _figure_cells(sheet, row: int, col: int, figure: Figure | None) -> None:
    if figure is None:
        return
    _number(sheet.cell(row=row, column=col), figure.numerator)
    _number(sheet.cell(row=row, column=col + 1), figure.denominator)
    _number(sheet.cell(row=row, column=col + 2), figure.value, PERCENT)


def _indicators_sheet(sheet, board: Dashboard) -> None:
    row = _title(sheet, board, _("Indicators"))
    headers = [_("Indicator"), _("Numerator"), _("Denominator"), _("Value, %"), _("Target, %")]
    if not board.is_region:
        headers.append(_("Region, %"))
    headers.append(_("Note"))
    _header(sheet, row, headers, [60, 14, 14, 12, 12, 12, 40])
    first = row + 1
    for line in board.indicators:
        row += 1
        set_text_cell(sheet.cell(row=row, column=1), line.name)
        _figure_cells(sheet, row, 2, line.figure)
        _number(sheet.cell(row=row, column=5), line.target, PERCENT)
        col = 6
        if not board.is_region:
            _number(sheet.cell(row=row, column=6), line.region.value if line.region else None, PERCENT)
            col = 7
        notes = []
        if line.figure is not None and line.figure.over_100:
            notes.append(_("Over 100 %: check the reference figures"))
        if line.target is None:
            notes.append(_("No target"))
        set_text_cell(sheet.cell(row=row, column=col), "; ".join(notes))
    sheet.freeze_panes = sheet.cell(row=first, column=2)
    if board.indicators and board.has_figures:
        _bar_chart(sheet, first, row, has_target=True)


def _bar_chart(sheet, first: int, last: int, has_target: bool) -> None:
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type = "bar"
    chart.title = _("Indicators against targets, %")
    chart.y_axis.title = "%"
    chart.add_data(Reference(sheet, min_col=4, max_col=5 if has_target else 4, min_row=first - 1, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    chart.height = max(7.5, 1.2 * (last - first + 1) + 3)
    chart.width = 22
    sheet.add_chart(chart, f"A{last + 3}")


def _children_sheet(sheet, board: Dashboard) -> None:
    from openpyxl.styles import Alignment, Font

    heading = _("Municipal bodies") if board.is_region else _("Schools")
    row = _title(sheet, board, heading)
    codes = [line.code for line in board.indicators]
    for i, line in enumerate(board.indicators):
        col = 2 + 3 * i
        cell = sheet.cell(row=row, column=col)
        set_text_cell(cell, line.name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + 2)
        sheet.row_dimensions[row].height = 60
    row += 1
    headers = [_("Organisation")] + [h for _c in codes for h in (_("Numerator"), _("Denominator"), _("Value, %"))]
    _header(sheet, row, headers, [45] + [13] * (len(headers) - 1))
    for child in board.children:
        row += 1
        set_text_cell(sheet.cell(row=row, column=1), child.name)
        for i, code in enumerate(codes):
            _figure_cells(sheet, row, 2 + 3 * i, child.figures.get(code))
    sheet.freeze_panes = sheet.cell(row=6, column=2)


def _trend_sheet(sheet, board: Dashboard) -> None:
    row = _title(sheet, board, _("Trend"))
    lines = [line for line in board.indicators if line.code in board.trend]
    headers = [_("Reference date")]
    for line in lines:
        headers += [f"{line.name}: {_('value, %')}", f"{line.name}: {_('target, %')}"]
    _header(sheet, row, headers, [16] + [24] * (len(headers) - 1))
    for i, period in enumerate(board.trend_periods):
        row += 1
        cell = sheet.cell(row=row, column=1)
        cell.value = period.reference_date
        cell.number_format = "DD.MM.YYYY"
        for j, line in enumerate(lines):
            figure = board.trend[line.code][i]
            _number(sheet.cell(row=row, column=2 + 2 * j), figure.value if figure else None, PERCENT)
            _number(sheet.cell(row=row, column=3 + 2 * j), board.trend_targets[line.code][i], PERCENT)


def _forms_sheet(sheet, board: Dashboard) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    row = _title(sheet, board, _("Pairs and groups by form"))
    _header(sheet, row, [_("Form"), _("Code"), _("Pairs and groups")], [45, 22, 16])
    first = row + 1
    for form in board.forms:
        row += 1
        set_text_cell(sheet.cell(row=row, column=1), form.name + (f" ({_('retired')})" if form.retired else ""))
        set_text_cell(sheet.cell(row=row, column=2), form.code)
        _number(sheet.cell(row=row, column=3), form.count)
    last = row
    row += 1
    set_text_cell(sheet.cell(row=row, column=1), _("Total"))
    sheet.cell(row=row, column=1).font = Font(bold=True)
    _number(sheet.cell(row=row, column=3), board.forms_total)
    if board.forms_total:
        chart = BarChart()
        chart.type = "bar"
        chart.title = _("Pairs and groups by form")
        chart.add_data(Reference(sheet, min_col=3, min_row=first - 1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
        chart.height = max(7.5, 0.8 * (last - first + 1) + 3)
        chart.width = 22
        sheet.add_chart(chart, f"A{row + 3}")


def _reports_sheet(sheet, board: Dashboard, kind_labels: dict, status_labels: dict) -> None:
    row = _title(sheet, board, _("Reports"))
    statuses = list(status_labels)
    _header(sheet, row, [_("Report")] + [str(status_labels[s]) for s in statuses] + [_("Not started"), _("Expected")],
            [30] + [14] * (len(statuses) + 2))
    for kind, label in kind_labels.items():
        expected = board.expected_reports.get(kind, 0)
        counts = board.reports.get(kind, {})
        if not expected and not counts:
            continue
        row += 1
        set_text_cell(sheet.cell(row=row, column=1), label)
        for i, status in enumerate(statuses):
            _number(sheet.cell(row=row, column=2 + i), counts.get(status, 0))
        _number(sheet.cell(row=row, column=2 + len(statuses)), max(0, expected - sum(counts.values())))
        _number(sheet.cell(row=row, column=3 + len(statuses)), expected)


def to_xlsx(board: Dashboard, *, kind_labels: dict, status_labels: dict) -> bytes:
    """The dashboard's tables as an XLSX file's bytes."""
    from openpyxl import Workbook

    workbook = Workbook()
    _indicators_sheet(workbook.active, board)
    workbook.active.title = _("Indicators")[:31]
    if board.children:
        _children_sheet(workbook.create_sheet((_("Municipal bodies") if board.is_region else _("Schools"))[:31]),
                        board)
    _trend_sheet(workbook.create_sheet(_("Trend")[:31]), board)
    if board.forms:
        _forms_sheet(workbook.create_sheet(_("Pairs by form")[:31]), board)
    _reports_sheet(workbook.create_sheet(_("Reports")[:31]), board, kind_labels, status_labels)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_dashboard(org: Organization, acting: Organization, requested_period: int | None, *,
                     kind_labels: dict, status_labels: dict) -> tuple[Dashboard, bytes]:
    """``org``'s dashboard (for the period asked, else the latest) and its XLSX file, the
    export by ``acting`` (the current organisation) audited."""
    board = build_dashboard(org, requested_period)
    data = to_xlsx(board, kind_labels=kind_labels, status_labels=status_labels)
    audit.record("dashboard.exported", org=acting, obj=org, details={
        "format": "xlsx", "org_id": org.id,
        "reference_date": board.period.reference_date.isoformat() if board.period else None,
    })
    return board, data
