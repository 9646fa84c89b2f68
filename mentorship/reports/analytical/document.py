"""The analytical report (информационно-аналитическая справка) as a Word document.

A pure function of ``analytical_report.ReportData`` (aggregates only: there is no personal
data to leak), issuing no queries. Always in Russian, whatever the interface language — it is
the ministry's or municipal body's official paper. Charts are PNG pictures drawn by
matplotlib's Agg backend (no display needed) and embedded in the document.

Sections: 1 indicators against targets (table and bar chart); 2 the table by municipal body
(region) or by school (municipal body); 3 the trend over the region's periods (line chart and
table); 4 satisfaction survey results, or a note that they will follow; 5 roadmap
completion; 6 conclusions, left for the analyst.

A navigable document: the sections are headings (styles «Heading 1» and «Heading 2», so
Word's navigation pane and the table of contents at the top list them; Word fills the
contents when the file is opened), every table has its caption above it («Таблица 1 — …»)
and every chart below it («Рисунок 1 — …»), in the Caption style and numbered by SEQ fields.
Figures are printed by core/numbers.py in Russian: a share with one decimal («16,7»), a
deviation in percentage points with its sign («−5,0»), counts with a thin space of thousands.
"""
from __future__ import annotations

import io
from datetime import date

from flask_babel import force_locale

from core.documents import (
    add_caption,
    add_table_of_contents,
    mark_header_row,
    russian_date,
    shade_cell,
    write_cell,
)
from core.numbers import count, decimal, points, share
from core.spreadsheet_text import clean_text
from mentorship.monitoring.readings import Figure
from mentorship.reports.analytical.data import ReportData

__all__ = ["TITLE", "to_docx", "bar_chart_png", "trend_chart_png", "percent", "figure_text"]

TITLE = ("Информационно-аналитическая справка о результатах мониторинга реализации целевой модели "
         "наставничества")
SATISFACTION_NOTE = ("Индекс удовлетворённости — среднее по ответам на шкалы 1–10, входящие в индекс, "
                     "в пересчёте на 0–100 %; учтены анкеты с 1 января года отчётной даты по отчётную дату. "
                     "Результаты групп менее чем из 5 респондентов не показываются (и тех групп, по которым "
                     "их можно было бы вычислить).")
NO_SURVEYS = "Результаты анкетирования удовлетворённости будут добавлены после проведения анкетирования."
CONCLUSIONS_PLACEHOLDER = "(заполняется аналитиком)"
CONTENTS = "Содержание"
CONTENTS_PLACEHOLDER = ("Оглавление строится при открытии документа в Microsoft Word или LibreOffice "
                        "(при необходимости: клавиша F9 — «Обновить поле»).")
TABLE, FIGURE = "Таблица", "Рисунок"
DASH = "—"
HEADER_FILL = "D9D9D9"
RU = "ru"  # the document is always in Russian
FONT = "Times New Roman"


# -- numbers as the document prints them ------------------------------------------------------

def percent(value) -> str:
    """12,5 — a share with one decimal and a decimal comma (Russian); a dash for no value."""
    return share(value, locale=RU)


def deviation(value: float | None) -> str:
    """A deviation in percentage points, signed: «+2,5», «−5,0»."""
    return points(value, locale=RU)


def whole(value) -> str:
    return count(value, locale=RU)


def figure_text(figure: Figure | None) -> str:
    """«12,5 (5/40)»: the share and the counts it is made of."""
    if figure is None:
        return DASH
    return f"{percent(figure.value)} ({whole(figure.numerator)}/{whole(figure.denominator)})"


def short_date(day: date) -> str:
    return f"{day:%d.%m.%Y}"


# -- charts -----------------------------------------------------------------------------------

def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg")  # here, not at import: the web process never draws
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(width, height), dpi=150)
    fig.set_layout_engine("tight")
    return fig


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _percent_axis(ax) -> None:
    """The y axis in %, its ticks in Russian («12,5»)."""
    from matplotlib.ticker import FuncFormatter

    ax.set_ylabel("%")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _position: decimal(value, 1, locale=RU, trim=True)))


def bar_chart_png(data: ReportData) -> bytes:
    """Each indicator's value next to its target, in %."""
    fig = _figure(6.5, 3.2)
    ax = fig.add_subplot()
    numbers = [line.number for line in data.indicators]
    width = 0.38
    values = [line.value or 0 for line in data.indicators]
    targets = [float(line.target) if line.target is not None else 0 for line in data.indicators]
    ax.bar([n - width / 2 for n in numbers], values, width, label="Значение", color="#0d6efd")
    ax.bar([n + width / 2 for n in numbers], targets, width, label=f"Целевое значение на {data.reference_date.year} г.",
           color="#adb5bd")
    for line, value in zip(data.indicators, values):  # no figure: no label (a 0 would mislead)
        if line.value is not None:
            ax.annotate(percent(value), (line.number - width / 2, value), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(numbers, [f"Показатель {n}" for n in numbers], fontsize=8)
    _percent_axis(ax)
    ax.set_title("Значения показателей и целевые значения", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def trend_chart_png(data: ReportData) -> bytes:
    """Each indicator's value over the region's periods."""
    fig = _figure(6.5, 3.0)
    ax = fig.add_subplot()
    labels = [short_date(point.reference_date) for point in data.trend]
    positions = list(range(len(labels)))
    for line in data.indicators:
        ys = [point.values.get(line.code) for point in data.trend]
        xs = [x for x, y in zip(positions, ys) if y is not None]
        ax.plot(xs, [y for y in ys if y is not None], marker="o", label=f"Показатель {line.number}")
    ax.set_xticks(positions, labels, fontsize=8)
    _percent_axis(ax)
    ax.set_title("Динамика показателей по отчётным периодам", fontsize=10)
    if data.indicators:
        ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return _png(fig)


# -- the document -----------------------------------------------------------------------------

class _Numbering:
    """The running numbers of the tables and the figures."""

    def __init__(self):
        self.tables = 0
        self.figures = 0

    def table(self, document, text: str) -> None:
        self.tables += 1
        add_caption(document, TABLE, self.tables, text)

    def figure(self, document, text: str) -> None:
        self.figures += 1
        add_caption(document, FIGURE, self.figures, text, center=True)


def _table(document, headers: list[str], rows: list[list[str]], widths_mm: list[float]):
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    header = table.rows[0]
    mark_header_row(header)
    for cell, text, width in zip(header.cells, headers, widths_mm):
        cell.width = Mm(width)
        write_cell(cell, text, bold=True, center=True)
        shade_cell(cell, HEADER_FILL)
    for row in rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, row, widths_mm):
            cell.width = Mm(width)
            write_cell(cell, clean_text(text))
    return table


def _heading(document, text: str, level: int = 1):
    """A section («Heading 1») or a part of one («Heading 2»): listed in the contents."""
    paragraph = document.add_heading(text, level=level)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _centered(document, text: str, *, bold: bool = False, italic: bool = False, size: int | None = None,
              style: str | None = None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph(style=style)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    return paragraph


def _picture(document, png: bytes, caption: str, numbering: _Numbering) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    document.add_picture(io.BytesIO(png), width=Mm(165))
    picture = document.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True  # the figure stays with its caption
    numbering.figure(document, caption)


def _indicator_section(document, data: ReportData, numbering: _Numbering) -> None:
    year = data.reference_date.year
    _heading(document, "1. Показатели эффективности реализации целевой модели наставничества")
    if not data.indicators:
        document.add_paragraph("Показатели не заданы.")
        return
    _heading(document, "1.1. Значения показателей и целевые значения", 2)
    rows = [
        [str(line.number), line.name,
         percent(line.target) if line.target is not None else "не задано",
         percent(line.value),
         f"{whole(line.figure.numerator)} / {whole(line.figure.denominator)}" if line.figure else DASH,
         deviation(line.deviation)]
        for line in data.indicators
    ]
    numbering.table(document, f"Значения показателей и целевые значения на {year} год")
    _table(document, ["№", "Показатель", f"Целевое значение на {year} год, %", "Значение, %",
                      "Числитель / знаменатель", "Отклонение, п. п."], rows, [10, 70, 25, 20, 25, 22])
    over = [line for line in data.indicators if line.value is not None and line.value > 100]
    if over:
        numbers = ", ".join(str(line.number) for line in over)
        document.add_paragraph(f"Внимание: значение показателя(ей) {numbers} превышает 100 % — численность, "
                               "принятая за базу расчёта, меньше учтённой; данные требуют проверки.")
    _heading(document, "1.2. Сравнение с целевыми значениями", 2)
    _picture(document, bar_chart_png(data), "Значения показателей и целевые значения, %", numbering)


def _units_section(document, data: ReportData, numbering: _Numbering) -> None:
    if data.by_school:
        _heading(document, "2. Показатели в разрезе образовательных организаций")
        unit, caption = "Образовательная организация", "Показатели в разрезе образовательных организаций"
    else:
        _heading(document, "2. Показатели в разрезе муниципальных образований")
        unit, caption = "Муниципальное образование", "Показатели в разрезе муниципальных образований"
    if not data.units:
        document.add_paragraph("Нет данных.")
        return
    document.add_paragraph("Значение показателя, % (числитель/знаменатель).")
    codes = [line.code for line in data.indicators]
    rows = [[str(i), row.name, *[figure_text(row.figures.get(code)) for code in codes]]
            for i, row in enumerate(data.units, 1)]
    width = (172 - 10 - 55) / max(len(codes), 1)
    numbering.table(document, caption)
    _table(document, ["№", unit, *[f"Показатель {line.number}" for line in data.indicators]], rows,
           [10, 55, *[width] * len(codes)])


def _trend_section(document, data: ReportData, numbering: _Numbering) -> None:
    _heading(document, "3. Динамика показателей")
    if not data.trend:
        document.add_paragraph("Нет завершённых отчётных периодов.")
        return
    _heading(document, "3.1. Диаграмма динамики", 2)
    _picture(document, trend_chart_png(data), "Динамика показателей по отчётным периодам, %", numbering)
    _heading(document, "3.2. Значения по отчётным датам", 2)
    rows = [[short_date(point.reference_date), *[percent(point.values.get(line.code)) for line in data.indicators]]
            for point in data.trend]
    width = (172 - 30) / max(len(data.indicators), 1)
    numbering.table(document, "Значения показателей по отчётным датам, %")
    _table(document, ["Дата мониторинга", *[f"Показатель {line.number}, %" for line in data.indicators]], rows,
           [30, *[width] * len(data.indicators)])


def _satisfaction_section(document, data: ReportData, numbering: _Numbering) -> None:
    _heading(document, "4. Результаты анкетирования удовлетворённости участников")
    if not data.satisfaction:
        document.add_paragraph(NO_SURVEYS)
        return
    rows = [[row.group, "менее 5" if row.suppressed else whole(row.responses),
             "не показывается" if row.suppressed else percent(row.index)] for row in data.satisfaction]
    unit = "Образовательная организация" if data.by_school else "Муниципальное образование"
    numbering.table(document, "Индекс удовлетворённости участников")
    _table(document, [unit, "Респондентов", "Индекс удовлетворённости, %"], rows, [80, 40, 52])
    document.add_paragraph(SATISFACTION_NOTE)


def _roadmap_section(document, data: ReportData, numbering: _Numbering) -> None:
    _heading(document, "5. Выполнение дорожных карт")
    document.add_paragraph(f"По состоянию на {short_date(data.today)}.")
    if not data.roadmaps:
        document.add_paragraph("Дорожные карты не представлены.")
        return
    unit = "Образовательная организация" if data.by_school else "Муниципальное образование"
    state = "Состояние дорожной карты" if data.by_school else "Дорожные карты образовательных организаций"
    rows = [[row.name, row.state, whole(row.done), whole(row.total), whole(row.percent), whole(row.overdue)]
            for row in data.roadmaps]
    done, total = sum(r.done for r in data.roadmaps), sum(r.total for r in data.roadmaps)
    overdue = sum(r.overdue for r in data.roadmaps)
    rows.append(["Итого", "", whole(done), whole(total), whole(round(100 * done / total) if total else 0),
                 whole(overdue)])
    numbering.table(document, "Выполнение мероприятий дорожных карт")
    _table(document, [unit, state, "Выполнено мероприятий", "Всего мероприятий", "Выполнено, %", "Просрочено"],
           rows, [55, 37, 22, 20, 18, 20])


def _plain_font(style) -> None:
    """``FONT`` for every script, without the theme's fonts (which would take precedence)."""
    from docx.oxml.ns import qn

    style.font.name = FONT
    fonts = style.element.rPr.rFonts
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:cs"), FONT)
    fonts.set(qn("w:eastAsia"), FONT)


def _styles(document) -> None:
    """Times New Roman throughout; headings black, numbered by their text, in the contents."""
    from docx.shared import Pt, RGBColor

    normal = document.styles["Normal"]
    _plain_font(normal)
    normal.font.size = Pt(11)
    for name, size in (("Title", 14), ("Heading 1", 13), ("Heading 2", 12), ("TOC Heading", 13), ("Caption", 10)):
        style = document.styles[name]
        _plain_font(style)
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = name != "Caption"
        style.font.italic = name == "Caption"
        style.paragraph_format.space_before = Pt(12 if name.startswith("Heading") else 6)
        style.paragraph_format.space_after = Pt(6)


def to_docx(data: ReportData) -> bytes:
    """The report as a portrait A4 document (bytes)."""
    from docx import Document
    from docx.shared import Mm

    with force_locale(RU):
        document = Document()
        section = document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(25), Mm(12)
        section.top_margin = section.bottom_margin = Mm(20)
        _styles(document)
        document.core_properties.title = TITLE
        document.core_properties.language = "ru-RU"

        _centered(document, TITLE, style="Title")
        _centered(document, clean_text(data.org_name), bold=True, size=12)
        _centered(document, f"по состоянию на {russian_date(data.reference_date)}")
        _centered(document, f"Дата формирования справки: {short_date(data.today)}", italic=True, size=10)
        add_table_of_contents(document, CONTENTS, CONTENTS_PLACEHOLDER)

        numbering = _Numbering()
        _indicator_section(document, data, numbering)
        _units_section(document, data, numbering)
        _trend_section(document, data, numbering)
        _satisfaction_section(document, data, numbering)
        _roadmap_section(document, data, numbering)
        _heading(document, "6. Выводы и предложения")
        document.add_paragraph(CONCLUSIONS_PLACEHOLDER)

        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
