"""The analytical report: data assembled from a small region's snapshots (by municipal body at
the region, by school at a municipal body), the DOCX and XLSX made of it (indicators, targets,
tables, embedded charts, no personal data), and the build run (progress, exactly once, failure)."""
from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook

from core.extensions import db
from mentorship.monitoring.aggregation import aggregate_period
from mentorship.monitoring.facts import STANDARD_INDICATORS
from mentorship.monitoring.models import Indicator, Target
from mentorship.monitoring.readings import period_of
from mentorship.people.models import Participant
from mentorship.reports.analytical.build import AnalyticalError, build_report, request_report
from mentorship.reports.analytical.data import assemble
from mentorship.reports.analytical.document import TITLE, to_docx
from mentorship.reports.analytical.workbook import SHEETS, to_xlsx
from mentorship.reports.models import AnalyticalReport
from tenants.context import tenant_scope, unscoped
from tenants.models import Organization
from tenants.roles import OrgKind, SchoolType
from tenants.tree import create_organization
from tests.support.monitoring import SchoolFacts, make_period

pytestmark = pytest.mark.backends("sqlite", "postgresql")

REF = date(2026, 12, 20)
EARLIER = date(2026, 6, 20)
TODAY = date(2027, 1, 15)
SECRET_NAME = "Евпраксия Заречнова-Светлогорская"
TARGETS = {"mentees_10_19": Decimal("10.00"), "mentors_15_19": Decimal("5.50"),
           "young_specialists": Decimal("50.00"), "enterprises": Decimal("20.00")}


def _indicators_with_targets(tree) -> None:
    with unscoped("tests.analytical"):
        for position, spec in enumerate(STANDARD_INDICATORS):
            indicator = Indicator(org_id=tree.ids["r1"], code=spec.code, name=spec.name, kind="standard",
                                  numerator_fact=spec.numerator, denominator_fact=spec.denominator, position=position)
            indicator.targets.append(Target(org_id=tree.ids["r1"], year=2026, value=TARGETS[spec.code]))
            indicator.targets.append(Target(org_id=tree.ids["r1"], year=2027, value=Decimal("99")))
            db.session.add(indicator)
        db.session.commit()
        db.session.remove()


def _region(tree) -> tuple[int, int]:
    """Two schools of r1m1 and one of r1m2 with pairs; a frozen June period and a frozen December one."""
    _indicators_with_targets(tree)
    with SchoolFacts(tree, "r1m1s1") as s:
        s.contingent(2026, pupils_10_19=40, pupils_15_19=20, teachers=10, young_specialists=4)
        teacher = s.teacher()
        person = Participant(org_id=s.org_id, full_name=SECRET_NAME, category="pupil",
                             birth_date=date(2012, 5, 5), birth_year=2012)
        db.session.add(person)
        db.session.flush()
        secret = person.id
        s.pair(teacher, [secret, s.pupil(date(2012, 1, 1)), s.pupil(date(2011, 1, 1))])
        s.pair(s.pupil(date(2009, 1, 1)), [s.pupil(date(2013, 1, 1))], form="pupil_pupil")
        s.pair(s.teacher(), [s.teacher(date(2025, 9, 1))], form="teacher_teacher")
    with SchoolFacts(tree, "r1m1s2") as s:
        s.contingent(2026, pupils_10_19=60, pupils_15_19=30)
        s.pair(s.teacher(), [s.pupil(date(2012, 2, 2))])
    with SchoolFacts(tree, "r1m2s1") as s:
        s.contingent(2026, pupils_10_19=100, pupils_15_19=50)
        s.contingent(2025, pupils_10_19=100, pupils_15_19=50)  # the school year of the June date
        s.pair(s.teacher(), [s.pupil(date(2012, 3, 3)) for _ in range(5)], started=date(2026, 1, 10))
    june = make_period(tree.ids["r1"], EARLIER)
    assert aggregate_period(june)
    december = make_period(tree.ids["r1"], REF)
    assert aggregate_period(december)
    return june, december


def _as(tree, key):
    return tenant_scope(tree.ids[key], tree.paths[key])


def _assemble(tree, key, period_id):
    with _as(tree, key):
        org = db.session.get(Organization, tree.ids[key])
        data = assemble(org, period_of(org, period_id), TODAY)
        db.session.remove()
    return data


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _all_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                         if name.endswith((".xml", ".rels")))


# -- data assembly ---------------------------------------------------------------------------

def test_region_level_data_from_snapshots(ctx, tree):
    june, december = _region(tree)
    data = _assemble(tree, "r1", december)

    assert data.level == "ministry" and data.org_name == "Министерство 1" and data.reference_date == REF
    lines = {line.code: line for line in data.indicators}
    assert [line.code for line in data.indicators] == [spec.code for spec in STANDARD_INDICATORS]
    # 4 + 1 mentees aged 10–19 at r1m1 (the pupil mentor is 17: a mentor, not a mentee) + 5 at r1m2
    mentees = lines["mentees_10_19"]
    assert (mentees.figure.numerator, mentees.figure.denominator) == (10, 200)
    assert mentees.value == 5.0 and mentees.target == Decimal("10.00") and mentees.deviation == -5.0
    assert lines["mentors_15_19"].figure.numerator == 1 and lines["mentors_15_19"].target == Decimal("5.50")

    # the table by municipal body: sums of their schools, never a mean of percentages
    assert [row.name for row in data.units] == ["Управление 1.1", "Управление 1.2"]
    r1m1, r1m2 = data.units
    assert (r1m1.figures["mentees_10_19"].numerator, r1m1.figures["mentees_10_19"].denominator) == (5, 100)
    assert r1m1.figures["mentees_10_19"].value == 5.0
    assert (r1m2.figures["mentees_10_19"].numerator, r1m2.figures["mentees_10_19"].denominator) == (5, 100)

    # the trend: the region's frozen periods up to this one, oldest first
    assert [point.reference_date for point in data.trend] == [EARLIER, REF]
    assert data.trend[0].values["mentees_10_19"] == 5.0  # in June only r1m2's pair (from January): 5 of 100
    assert data.satisfaction is None
    assert [line.name for line in data.roadmaps] == ["Управление 1.1", "Управление 1.2"]


def test_municipal_level_goes_by_school_and_sees_only_its_own(ctx, tree):
    _june, december = _region(tree)
    data = _assemble(tree, "r1m1", december)
    assert data.level == "municipality" and data.by_school
    assert [row.name for row in data.units] == ["Школа 1.1.1", "Школа 1.1.2"]
    assert data.units[0].figures["mentees_10_19"].numerator == 4
    lines = {line.code: line for line in data.indicators}
    assert (lines["mentees_10_19"].figure.numerator, lines["mentees_10_19"].figure.denominator) == (5, 100)
    assert lines["mentees_10_19"].target == Decimal("10.00")  # the region's targets reach the municipal body
    assert [point.reference_date for point in data.trend] == [EARLIER, REF]
    assert [line.state for line in data.roadmaps] == ["нет дорожной карты", "нет дорожной карты"]


def test_the_assembly_costs_the_same_queries_for_more_schools(ctx, tree):
    from sqlalchemy import event

    _june, december = _region(tree)

    def count() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            _assemble(tree, "r1m1", december)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    before = count()
    with unscoped("tests.analytical"):
        muni = db.session.get(Organization, tree.ids["r1m1"])
        for i in range(8):
            create_organization(kind=OrgKind.SCHOOL, name=f"Школа доп. {i}", parent=muni,
                                school_type=SchoolType.SCHOOL.value)
        db.session.commit()
        db.session.remove()
    assert aggregate_period(make_period(tree.ids["r1"], date(2025, 12, 20)))  # more snapshots, another period
    assert count() == before


# -- the files -------------------------------------------------------------------------------

def test_the_document_has_indicators_targets_tables_and_charts_and_no_personal_data(ctx, tree):
    _june, december = _region(tree)
    data = _assemble(tree, "r1", december)
    docx = to_docx(data)
    text = _docx_text(docx)

    assert TITLE in text and "Министерство 1" in text and "«20» декабря 2026 г." in text
    for spec in STANDARD_INDICATORS:
        assert spec.name in text
    # indicator 1: target 10, value 5 (10 of 200), deviation −5: shares with one decimal, a comma
    assert f"1 | {STANDARD_INDICATORS[0].name} | 10,0 | 5,0 | 10 / 200 | −5,0" in text
    assert f"2 | {STANDARD_INDICATORS[1].name} | 5,5 |" in text
    assert "Управление 1.1 | 5,0 (5/100)" in text and "Управление 1.2 | 5,0 (5/100)" in text
    assert "будут добавлены после проведения анкетирования" in text
    assert "5. Выполнение дорожных карт" in text and "6. Выводы и предложения" in text
    document = Document(io.BytesIO(docx))
    assert len(document.inline_shapes) == 2  # the bar chart and the trend chart
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(images) == 2 and all(archive.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in images)
    assert SECRET_NAME not in _all_xml(docx) and "Заречнова" not in _all_xml(docx)


def test_the_document_is_navigable_headings_contents_and_numbered_captions(ctx, tree):
    """Sections are real headings (Word's navigation pane, the table of contents), the contents
    is a TOC field updated on opening, each table is captioned above and each chart below."""
    _june, december = _region(tree)
    docx = to_docx(_assemble(tree, "r1", december))
    document = Document(io.BytesIO(docx))
    paragraphs = document.paragraphs
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")]
    assert [text for style, text in headings if style == "Heading 1"] == [
        "1. Показатели эффективности реализации целевой модели наставничества",
        "2. Показатели в разрезе муниципальных образований", "3. Динамика показателей",
        "4. Результаты анкетирования удовлетворённости участников", "5. Выполнение дорожных карт",
        "6. Выводы и предложения"]
    assert [text for style, text in headings if style == "Heading 2"] == [
        "1.1. Значения показателей и целевые значения", "1.2. Сравнение с целевыми значениями",
        "3.1. Диаграмма динамики", "3.2. Значения по отчётным датам"]
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == TITLE
    assert any(p.style.name == "TOC Heading" and p.text == "Содержание" for p in paragraphs)
    body = document.element.body.xml
    assert 'TOC \\o "1-2"' in body and "SEQ Таблица" in body and "SEQ Рисунок" in body
    assert '<w:updateFields w:val="true"/>' in document.settings.element.xml
    captions = [p.text for p in paragraphs if p.style.name == "Caption"]
    assert captions == [
        "Таблица 1 — Значения показателей и целевые значения на 2026 год",
        "Рисунок 1 — Значения показателей и целевые значения, %",
        "Таблица 2 — Показатели в разрезе муниципальных образований",
        "Рисунок 2 — Динамика показателей по отчётным периодам, %",
        "Таблица 3 — Значения показателей по отчётным датам, %",
        "Таблица 4 — Выполнение мероприятий дорожных карт"]
    # a table's caption comes just before it; a figure's just after the picture
    order = [child.tag.rsplit("}", 1)[1] + (":" + "".join(child.itertext())[:7] if child.tag.endswith("}p") else "")
             for child in document.element.body.iterchildren()]
    tables = [i for i, tag in enumerate(order) if tag == "tbl"]
    assert all(order[i - 1].startswith("p:Таблица") for i in tables) and len(tables) == 4
    pictures = [i for i, p in enumerate(paragraphs) if p._p.xpath(".//pic:pic")]
    assert [paragraphs[i + 1].text.split(" — ")[0] for i in pictures] == ["Рисунок 1", "Рисунок 2"]
    assert "Normal" in {p.style.name for p in paragraphs} and document.styles["Heading 1"].font.name == "Times New Roman"


def test_the_workbook_has_the_tables_and_a_native_bar_chart(ctx, tree):
    _june, december = _region(tree)
    xlsx = to_xlsx(_assemble(tree, "r1", december))
    workbook = load_workbook(io.BytesIO(xlsx))
    assert workbook.sheetnames == [SHEETS[k] for k in ("indicators", "municipalities", "trend", "surveys", "roadmaps")]
    sheet = workbook[SHEETS["indicators"]]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert ("Показатель 1", STANDARD_INDICATORS[0].name, 10.0, 5.0, 10, 200, -5.0) in rows
    units = [r[:5] for r in workbook[SHEETS["municipalities"]].iter_rows(values_only=True)]
    assert (1, "Управление 1.1", 5, 100, 5.0) in units and (2, "Управление 1.2", 5, 100, 5.0) in units
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        chart = archive.read(charts[0]).decode()
    # a bar chart of two series, target (column C) and value (column D) of the indicators' rows
    assert "<barChart>" in chart and "'Показатели'!$C$7:$C$10" in chart and "'Показатели'!$D$7:$D$10" in chart
    assert SECRET_NAME not in _all_xml(xlsx)


def test_the_municipal_workbook_goes_by_school(ctx, tree):
    _june, december = _region(tree)
    workbook = load_workbook(io.BytesIO(to_xlsx(_assemble(tree, "r1m1", december))))
    assert SHEETS["schools"] in workbook.sheetnames
    names = [r[1] for r in workbook[SHEETS["schools"]].iter_rows(values_only=True)]
    assert "Школа 1.1.1" in names and "Школа 1.1.2" in names and "Школа 1.2.1" not in names


# -- the run ---------------------------------------------------------------------------------

def _request(tree, key, period_id) -> int:
    with _as(tree, key):
        org = db.session.get(Organization, tree.ids[key])
        report = request_report(org, period_id, None)
        db.session.commit()
        report_id = report.id
        db.session.remove()
    return report_id


def _row(report_id):
    with unscoped("tests.analytical"):
        row = db.session.execute(sa.select(AnalyticalReport.status, AnalyticalReport.done, AnalyticalReport.total,
                                           AnalyticalReport.docx, AnalyticalReport.xlsx, AnalyticalReport.error)
                                 .where(AnalyticalReport.id == report_id)).one()
        db.session.remove()
    return row


def _build(tree, key, report_id):
    with _as(tree, key):
        status = build_report(report_id, TODAY)
        db.session.remove()
    return status


def test_build_stores_both_files_once(ctx, tree):
    _june, december = _region(tree)
    report_id = _request(tree, "r1m1", december)
    assert _row(report_id).status == "queued"

    assert _build(tree, "r1m1", report_id) == "done"
    row = _row(report_id)
    assert (row.status, row.done, row.total, row.error) == ("done", 7, 7, None)
    assert "Управление 1.1" in _docx_text(row.docx) and "Школа 1.1.1" in _docx_text(row.docx)
    assert load_workbook(io.BytesIO(row.xlsx)).sheetnames[0] == SHEETS["indicators"]

    # a retried or repeated task on a done report does nothing
    with unscoped("tests.analytical"):
        db.session.execute(sa.update(AnalyticalReport).where(AnalyticalReport.id == report_id)
                           .values(docx=b"kept").execution_options(synchronize_session=False))
        db.session.commit()
    assert _build(tree, "r1m1", report_id) == "done"
    assert _row(report_id).docx == b"kept"


def test_progress_is_committed_step_by_step(ctx, tree, monkeypatch):
    from mentorship.reports.analytical import build as analytical_report

    _june, december = _region(tree)
    report_id = _request(tree, "r1", december)
    seen = []
    real = analytical_report.record_progress

    def spy(rid, **values):
        real(rid, **values)
        with db.engine.connect() as conn:  # another connection: sees only what is committed
            seen.append(tuple(conn.execute(sa.text("SELECT status, done, total FROM analytical_reports WHERE id = :id"),
                                           {"id": rid}).one()))

    monkeypatch.setattr(analytical_report, "record_progress", spy)
    assert _build(tree, "r1", report_id) == "done"
    assert seen == [("running", i, 7) for i in range(1, 8)]


def test_a_period_that_is_not_frozen_is_refused_and_a_stale_request_fails(ctx, tree):
    _june, december = _region(tree)
    pending = make_period(tree.ids["r1"], date(2027, 6, 20))
    with _as(tree, "r1"), pytest.raises(AnalyticalError) as refused:
        request_report(db.session.get(Organization, tree.ids["r1"]), pending, None)
    assert refused.value.code == "not_frozen"
    db.session.rollback()
    with _as(tree, "r1m1"), pytest.raises(AnalyticalError) as foreign:  # another region's period
        other = make_period(tree.ids["r2"], REF)
        request_report(db.session.get(Organization, tree.ids["r1m1"]), other, None)
    assert foreign.value.code == "period_missing"
    db.session.rollback()

    # requested while frozen, unfrozen before the worker got to it: failed, with the reason
    report_id = _request(tree, "r1", december)
    with unscoped("tests.analytical"):
        db.session.execute(sa.text("UPDATE monitoring_periods SET status = 'pending' WHERE id = :id"),
                           {"id": december})
        db.session.commit()
    assert _build(tree, "r1", report_id) == "failed"
    row = _row(report_id)
    assert (row.status, row.error, row.docx) == ("failed", "not_frozen", None)


def test_an_unexpected_error_fails_the_report_without_retry(ctx, tree, monkeypatch):
    from mentorship.reports.analytical import build

    _june, december = _region(tree)
    report_id = _request(tree, "r1", december)
    monkeypatch.setattr(build, "to_xlsx", lambda data: 1 / 0)
    assert _build(tree, "r1", report_id) == "failed"
    assert _row(report_id).error.startswith("ZeroDivisionError")
    monkeypatch.undo()
    assert _build(tree, "r1", report_id) == "done"  # a failed report may be built again
