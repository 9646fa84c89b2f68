"""Roadmap export to XLSX and DOCX: the seeds' table shape, safe cells, Word's print layout."""
from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from types import SimpleNamespace

import openpyxl
import pytest
import sqlalchemy as sa
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from core.extensions import db
from mentorship.roadmaps.builtin import builtin_templates
from mentorship.roadmaps.editing import create_from_template, load_roadmap
from mentorship.roadmaps.export import HEADERS, SHEET_TITLE, to_docx, to_xlsx
from tenants.context import tenant_scope
from tenants.models import Organization, User

TEMPLATE = "kirov-region-2020-2024"
EVIL = '=HYPERLINK("http://evil")'
ORG_NAME = "Министерство образования Кировской области"
HEADER_ROW = 6  # four title lines, a blank line, then the header
PREAMBLE = 2  # the Kirov roadmap's goals and tasks: two paragraphs, one line each before the blank line


def _cell_texts(row) -> list[str]:
    return [c.value if c.value is not None else "" for c in row]


@pytest.fixture
def exported(ctx, tree):
    """The ministry's roadmap from the Kirov template, one activity's title made formula-like,
    another marked done late in the evening (UTC), exported both ways with no queries."""
    template = builtin_templates()[TEMPLATE]
    with tenant_scope(tree.ids["r1"], tree.paths["r1"]):
        org = db.session.get(Organization, tree.ids["r1"])
        user = db.session.get(User, tree.users["r1.admin"].id)
        roadmap = create_from_template(org, user, template)
        roadmap.stages[0].activities[0].title = EVIL
        roadmap.stages[0].activities[2].responsible = "-ИРО"
        roadmap.stages[0].activities[1].done_at = datetime(2021, 3, 1, 22, 30, tzinfo=UTC)
        db.session.commit()
        roadmap_id = roadmap.id
    db.session.remove()

    with tenant_scope(tree.ids["r1"], tree.paths["r1"]):
        roadmap = load_roadmap(roadmap_id)
        statements = []

        def count(*args):
            statements.append(args[2])

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            xlsx = to_xlsx(roadmap, ORG_NAME)
            docx = to_docx(roadmap, ORG_NAME)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
    return SimpleNamespace(template=template, xlsx=xlsx, docx=docx, statements=statements)


def test_exports_issue_no_queries_of_their_own(exported):
    assert exported.statements == []


def test_xlsx_sheet_title_block_and_header(exported):
    book = openpyxl.load_workbook(io.BytesIO(exported.xlsx))
    assert book.sheetnames == [SHEET_TITLE]
    sheet = book[SHEET_TITLE]
    assert sheet["A1"].value == exported.template.title and sheet["A1"].font.b
    assert sheet["A2"].value == ORG_NAME
    assert sheet["A3"].value == "Период: 2020-2024 годы"
    assert sheet["A4"].value == "Статус: черновик; версия 1"
    assert sheet["A5"].value.startswith("Целью внедрения целевой модели наставничества")
    assert sheet["A6"].value.startswith("Задачи внедрения целевой модели наставничества")
    header_row = HEADER_ROW + PREAMBLE
    header = sheet[header_row]
    assert tuple(_cell_texts(header)) == HEADERS == (
        "№", "Этап", "Мероприятие", "Содержание деятельности", "Ключевой результат", "Сроки",
        "Ответственные", "Документы", "Выполнено",
    )
    assert all(c.font.b for c in header)
    assert sheet.freeze_panes == f"A{header_row + 1}"
    last = header_row + len(exported.template.stages) + exported.template.activity_count
    assert sheet.auto_filter.ref == f"A{header_row}:I{last}"
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width
    assert sheet.cell(header_row + 1, 4).alignment.wrap_text
    # the note under the table, after a blank line
    assert sheet.max_row == last + 2 and sheet.cell(last + 2, 1).value == "* Органы, участвующие в реализации плана по согласованию."


def test_xlsx_rows_stages_then_activities_in_the_right_columns(exported):
    template = exported.template
    sheet = openpyxl.load_workbook(io.BytesIO(exported.xlsx))[SHEET_TITLE]
    header_row = HEADER_ROW + PREAMBLE
    rows = [_cell_texts(r) for r in sheet.iter_rows(min_row=header_row + 1, max_row=sheet.max_row - 2)]
    assert len(rows) == len(template.stages) + template.activity_count

    stage = template.stages[0]
    number, stage_title, activity_title, _, key_result, *_ = rows[0]
    assert (number, stage_title, activity_title, key_result) == (stage.number, stage.title, "", stage.key_result)
    assert sheet.cell(header_row + 1, 2).font.b

    sample = stage.activities[1]  # «Формирование рабочей группы»
    row = dict(zip(HEADERS, rows[2]))
    assert row["№"] == sample.number and row["Этап"] == ""
    assert row["Мероприятие"] == sample.title
    assert row["Ключевой результат"] == sample.key_result
    assert row["Сроки"] == f"{sample.deadline}\nсрок: 30.11.2020"  # the wording, verbatim, and the date it means
    assert row["Ответственные"] == sample.responsible
    assert row["Документы"] == "\n".join(sample.documents)
    # done at 22:30 UTC on 1 March is 2 March in Moscow; a real date shown as dd.mm.yyyy
    assert row["Выполнено"].date() == date(2021, 3, 2)
    assert sheet.cell(header_row + 3, 9).number_format == "DD.MM.YYYY"
    assert dict(zip(HEADERS, rows[1]))["Выполнено"] == ""

    several = stage.activities[3]
    assert dict(zip(HEADERS, rows[4]))["Документы"].split("\n") == list(several.documents)
    next_stage_row = 1 + len(stage.activities)
    assert rows[next_stage_row][1] == template.stages[1].title


def test_xlsx_formula_like_text_stays_text(exported):
    sheet = openpyxl.load_workbook(io.BytesIO(exported.xlsx))[SHEET_TITLE]
    header_row = HEADER_ROW + PREAMBLE
    evil = sheet.cell(header_row + 2, 3)
    assert evil.value == EVIL  # shown unchanged …
    assert evil.data_type == "s"  # … as a string, not a formula ("f")
    assert evil.quotePrefix  # … and kept text if the cell is edited
    dash = sheet.cell(header_row + 4, 7)
    assert dash.value == "-ИРО" and dash.data_type == "s" and dash.quotePrefix
    assert not sheet.cell(header_row + 3, 3).quotePrefix  # ordinary text is left alone

    with zipfile.ZipFile(io.BytesIO(exported.xlsx)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        styles_xml = archive.read("xl/styles.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere in the file
    assert 'quotePrefix="1"' in styles_xml


def _plain_roadmap(**activity_fields):
    """A roadmap-shaped object without a database: the exports only read attributes."""
    activity = SimpleNamespace(number="1.1.", title="Мероприятие", content=None, key_result=None, deadline_text=None,
                               responsible=None, documents=[], done_at=None)
    activity.__dict__.update(activity_fields)
    stage = SimpleNamespace(number="1.", title="Этап", content=None, key_result=None, deadline_text=None,
                            responsible=None, documents=None, activities=[activity])
    return SimpleNamespace(title="Карта", period_text=None, period_start=date(2023, 9, 1),
                           period_end=date(2024, 8, 31), status="approved", version=2,
                           approved_at=datetime(2023, 9, 5, 8, 0), stages=[stage])


def test_awkward_text_survives_both_formats():
    roadmap = _plain_roadmap(title="Семинар\x0b«итоги»\x00", content="#N/A", responsible="@all",
                             deadline_text="+1 месяц", documents=["Приказ", "", "\tПоложение"])
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(roadmap, "Школа")))[SHEET_TITLE]
    assert sheet["A3"].value == "Период: 01.09.2023 – 31.08.2024"
    assert sheet["A4"].value == "Статус: утверждена; версия 2; утверждена 05.09.2023"
    row = {h: c for h, c in zip(HEADERS, sheet[HEADER_ROW + 2])}
    assert row["Мероприятие"].value == "Семинар«итоги»"  # XML-illegal characters dropped
    assert row["Содержание деятельности"].value == "#N/A" and row["Содержание деятельности"].data_type == "s"
    for header in ("Ответственные", "Сроки"):
        assert row[header].data_type == "s" and row[header].quotePrefix
    assert row["Документы"].value == "Приказ\nПоложение"
    assert row["Выполнено"].value is None

    table = Document(io.BytesIO(to_docx(roadmap, "Школа"))).tables[0]
    stage_row = table.rows[1]
    assert len({id(c._tc) for c in stage_row.cells}) == 2  # a bare stage's title spans the row
    assert stage_row.cells[-1].text == "Этап"
    assert table.rows[2].cells[2].text == "Семинар«итоги»"


def test_docx_landscape_heading_and_table(exported):
    template = exported.template
    document = Document(io.BytesIO(exported.docx))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert abs(section.page_width.mm - 297) < 1 and abs(section.page_height.mm - 210) < 1

    assert document.paragraphs[0].style.name == "Heading 1"
    assert document.paragraphs[0].text == template.title
    assert ORG_NAME in document.paragraphs[1].text and "2020-2024 годы" in document.paragraphs[1].text

    assert len(document.tables) == 1
    table = document.tables[0]
    header = table.rows[0]
    assert [c.text for c in header.cells] == list(HEADERS[:-1])
    assert all(run.bold for cell in header.cells for p in cell.paragraphs for run in p.runs)
    tbl_header = header._tr.trPr.find(qn("w:tblHeader"))
    assert tbl_header is not None and tbl_header.get(qn("w:val")) in (None, "true", "1")

    assert len(table.rows) - 1 == len(template.stages) + template.activity_count
    stage_row = table.rows[1]
    assert stage_row.cells[1].text == template.stages[0].title
    assert all(run.bold for p in stage_row.cells[1].paragraphs for run in p.runs)
    assert stage_row.cells[1]._tc.tcPr.find(qn("w:shd")) is not None

    sample = template.stages[0].activities[1]
    cells = [c.text for c in table.rows[3].cells]
    row = dict(zip(HEADERS, cells))
    assert row["№"] == sample.number and row["Мероприятие"] == sample.title
    assert row["Сроки"] == f"{sample.deadline}\nсрок: 30.11.2020" and row["Ответственные"] == sample.responsible
    assert row["Документы"] == "\n".join(sample.documents)
    assert table.rows[2].cells[2].text == EVIL


def test_docx_has_the_text_around_the_table_and_the_stages_own_text(exported):
    """Seed 001's goals and tasks before the table, each stage's key result, the note under it."""
    template = exported.template
    document = Document(io.BytesIO(exported.docx))
    texts = [p.text for p in document.paragraphs]
    assert texts[3].startswith("Целью внедрения целевой модели наставничества")
    assert texts[4].startswith("Задачи внедрения целевой модели наставничества")
    assert texts[-1] == template.footnote == "* Органы, участвующие в реализации плана по согласованию."
    table = document.tables[0]
    stage_rows = [row for row in table.rows[1:] if row.cells[1].text in {s.title for s in template.stages}]
    assert [dict(zip(HEADERS, [c.text for c in row.cells]))["Ключевой результат"] for row in stage_rows] == [
        s.key_result for s in template.stages]
    # a recurring deadline lists the dates it means within the period
    monitoring = next(row for row in table.rows if row.cells[0].text == "3.1")
    assert dict(zip(HEADERS, [c.text for c in monitoring.cells]))["Сроки"] == (
        "Ежегодно 20 декабря, 20 июня\nсроки: 20.06.2020, 20.12.2020, 20.06.2021, 20.12.2021, 20.06.2022, 20.12.2022, "
        "20.06.2023, 20.12.2023, 20.06.2024, 20.12.2024")
