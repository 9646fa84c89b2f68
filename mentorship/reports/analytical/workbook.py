"""The analytical report's tables as an Excel workbook, in Russian.

A pure function of ``analytical.data.ReportData`` (aggregates only), issuing no queries.
Sheets: «Показатели» (indicators against targets, with a native bar chart of value vs
target), «По муниципалитетам» or «По организациям», «Динамика», «Анкетирование»,
«Дорожные карты». Numbers are written as numbers (the analyst computes with them); every text
is written as text that no spreadsheet takes for a formula (core.spreadsheet_text).
"""
from __future__ import annotations

import io

from core.numbers import XLSX_COUNT, XLSX_SHARE
from core.spreadsheet_text import clean_text, set_text_cell
from mentorship.reports.analytical.data import ReportData
from mentorship.reports.analytical.document import NO_SURVEYS, SATISFACTION_NOTE, TITLE

__all__ = ["SHEETS", "to_xlsx"]

SHEETS = {
    "indicators": "Показатели",
    "municipalities": "По муниципалитетам",
    "schools": "По организациям",
    "trend": "Динамика",
    "surveys": "Анкетирование",
    "roadmaps": "Дорожные карты",
}
PERCENT_FORMAT = XLSX_SHARE  # shares with one decimal, as the document and the pages print them


class _Sheet:
    """Writes a title block, a header row and data rows; remembers where the table is."""

    def __init__(self, workbook, title: str, data: ReportData, heading: str, *, first: bool = False):
        from openpyxl.styles import Font

        self.sheet = workbook.active if first else workbook.create_sheet()
        self.sheet.title = title
        self.row = 0
        for text, font in ((TITLE, Font(bold=True, size=12)), (clean_text(data.org_name), Font(bold=True)),
                           (f"по состоянию на {data.reference_date:%d.%m.%Y}", Font(italic=True)),
                           (heading, Font(bold=True))):
            self.row += 1
            cell = self.sheet.cell(row=self.row, column=1)
            set_text_cell(cell, text)
            cell.font = font
        self.row += 1
        self.header_row = None

    def header(self, headers: list[str], widths: list[float]) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        self.row += 1
        self.header_row = self.row
        for col, (text, width) in enumerate(zip(headers, widths), 1):
            cell = self.sheet.cell(row=self.row, column=col)
            set_text_cell(cell, text)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="D9D9D9")
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            self.sheet.column_dimensions[get_column_letter(col)].width = width
        self.sheet.freeze_panes = self.sheet.cell(row=self.row + 1, column=1)

    def add(self, values: list, percent_columns: tuple[int, ...] = ()) -> None:
        from openpyxl.styles import Alignment

        self.row += 1
        for col, value in enumerate(values, 1):
            cell = self.sheet.cell(row=self.row, column=col)
            if isinstance(value, str):
                set_text_cell(cell, clean_text(value))
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif value is not None:
                cell.value = float(value) if col in percent_columns else value
                cell.number_format = PERCENT_FORMAT if col in percent_columns else XLSX_COUNT

    def note(self, text: str) -> None:
        self.row += 2
        set_text_cell(self.sheet.cell(row=self.row, column=1), text)


def _indicators(workbook, data: ReportData) -> None:
    from openpyxl.chart import BarChart, Reference

    sheet = _Sheet(workbook, SHEETS["indicators"], data,
                   "1. Показатели эффективности реализации целевой модели наставничества", first=True)
    sheet.header(["№", "Показатель", f"Целевое значение на {data.reference_date.year} год, %", "Значение, %",
                  "Числитель", "Знаменатель", "Отклонение, п. п."], [6, 60, 18, 14, 12, 13, 14])
    for line in data.indicators:
        sheet.add([f"Показатель {line.number}", line.name, line.target, line.value,
                   line.figure.numerator if line.figure else None, line.figure.denominator if line.figure else None,
                   line.deviation], percent_columns=(3, 4, 7))
    if not data.indicators:
        return
    first, last = sheet.header_row + 1, sheet.row
    chart = BarChart()
    chart.type = "col"
    chart.title = "Значения показателей и целевые значения, %"
    chart.y_axis.title = "%"
    chart.add_data(Reference(sheet.sheet, min_col=3, max_col=4, min_row=sheet.header_row, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet.sheet, min_col=1, min_row=first, max_row=last))
    chart.width, chart.height = 18, 9
    sheet.sheet.add_chart(chart, f"B{last + 3}")


def _units(workbook, data: ReportData) -> None:
    if data.by_school:
        sheet = _Sheet(workbook, SHEETS["schools"], data, "2. Показатели в разрезе образовательных организаций")
        unit = "Образовательная организация"
    else:
        sheet = _Sheet(workbook, SHEETS["municipalities"], data, "2. Показатели в разрезе муниципальных образований")
        unit = "Муниципальное образование"
    headers, widths, percent_columns = ["№", unit], [6, 50], []
    for line in data.indicators:
        headers += [f"Показатель {line.number}: числитель", "знаменатель", "значение, %"]
        widths += [14, 13, 12]
        percent_columns.append(len(headers))
    sheet.header(headers, widths)
    for i, row in enumerate(data.units, 1):
        values: list = [i, row.name]
        for line in data.indicators:
            figure = row.figures.get(line.code)
            values += [figure.numerator, figure.denominator, figure.value] if figure else [None, None, None]
        sheet.add(values, percent_columns=tuple(percent_columns))


def _trend(workbook, data: ReportData) -> None:
    sheet = _Sheet(workbook, SHEETS["trend"], data, "3. Динамика показателей, %")
    sheet.header(["Дата мониторинга", *[f"Показатель {line.number}" for line in data.indicators]],
                 [18, *[14] * len(data.indicators)])
    for point in data.trend:
        sheet.add([f"{point.reference_date:%d.%m.%Y}", *[point.values.get(line.code) for line in data.indicators]],
                  percent_columns=tuple(range(2, len(data.indicators) + 2)))


def _surveys(workbook, data: ReportData) -> None:
    sheet = _Sheet(workbook, SHEETS["surveys"], data, "4. Результаты анкетирования удовлетворённости участников")
    if not data.satisfaction:
        sheet.note(NO_SURVEYS)
        return
    unit = "Образовательная организация" if data.by_school else "Муниципальное образование"
    sheet.header([unit, "Респондентов", "Индекс удовлетворённости, %"], [50, 16, 20])
    for row in data.satisfaction:
        if row.suppressed:
            sheet.add([row.group, "менее 5", "не показывается"])
        else:
            sheet.add([row.group, row.responses, row.index], percent_columns=(3,))
    sheet.note(SATISFACTION_NOTE)


def _roadmaps(workbook, data: ReportData) -> None:
    sheet = _Sheet(workbook, SHEETS["roadmaps"], data, f"5. Выполнение дорожных карт на {data.today:%d.%m.%Y}")
    unit = "Образовательная организация" if data.by_school else "Муниципальное образование"
    sheet.header([unit, "Состояние", "Выполнено мероприятий", "Всего мероприятий", "Выполнено, %", "Просрочено"],
                 [50, 30, 14, 14, 12, 12])
    for row in data.roadmaps:
        sheet.add([row.name, row.state, row.done, row.total, row.percent, row.overdue])


def to_xlsx(data: ReportData) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    _indicators(workbook, data)
    _units(workbook, data)
    _trend(workbook, data)
    _surveys(workbook, data)
    _roadmaps(workbook, data)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
