"""Reading and checking a participants file (CSV in cp1251 / UTF-8, XLSX), every error by row
and column; and the import itself: all-or-nothing, once, with progress."""
from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.people.imports.batches import ImportBatchError, create_batch, queue_batch, run_batch
from mentorship.people.imports.models import ImportBatch
from mentorship.people.imports.reading import (
    COLUMNS,
    MAX_ROWS,
    SchoolFacts,
    preview,
    template_csv,
    template_xlsx,
    validate,
)
from mentorship.people.models import Consent, Enterprise, MenteeProfile, MentorProfile, Participant
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent, Organization, User
from tests.support.school import make_participant

TODAY = date(2026, 11, 22)
HEADINGS = [c.heading for c in COLUMNS]


def person(i: int = 0, **values) -> dict:
    """A valid pupil row (a minor, consent by the representative) unless told otherwise."""
    row = {
        "full_name": f"Ученик Номер{i} Тестович", "category": "ученик", "birth_date": "01.05.2012",
        "class_or_position": "8Б", "special_needs": "нет", "email": "", "phone": "",
        "representative_name": f"Родитель {i}", "representative_email": "", "representative_phone": "+7 900 000-00-00",
        "enterprise": "", "consent_on": "01.09.2025", "consent_by": "представитель", "bank": "наставляемый",
        "teaching_since": "",
    }
    row.update(values)
    return row


def teacher(i: int = 0, **values) -> dict:
    return person(i, **{"full_name": f"Педагог Номер{i}", "category": "педагог", "birth_date": "12.03.1985",
                        "class_or_position": "учитель математики", "representative_name": "",
                        "representative_phone": "", "consent_by": "участник", "bank": "наставник",
                        "teaching_since": "01.09.2024", **values})


def csv_file(rows: list[dict], *, encoding: str = "cp1251", delimiter: str = ";",
             headings: list[str] | None = None) -> bytes:
    """A CSV as Russian Excel saves it (cp1251, ';') unless told otherwise."""
    lines = [delimiter.join(headings or HEADINGS)]
    for row in rows:
        lines.append(delimiter.join(row.get(c.key, "") for c in COLUMNS))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def facts(**kwargs) -> SchoolFacts:
    return SchoolFacts(today=TODAY, **kwargs)


def problems(result) -> set[tuple]:
    return {(e["row"], e["column"]) for e in result.errors}


def message(result, row, column) -> str:
    return next(e["message"] for e in result.errors if e["row"] == row and e["column"] == column)


# -- reading ---------------------------------------------------------------------------------

def test_cp1251_csv_with_semicolons_as_russian_excel_saves_it():
    data = csv_file([person(1, special_needs="да"), teacher(2, email="t@school.ru", phone="89001234567")])
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really Windows-1251
    result = validate("люди.csv", data, facts())
    assert result.valid and result.errors == [] and result.total == 2
    pupil, mentor = result.rows
    assert (pupil.row, mentor.row) == (2, 3)
    assert pupil.data.full_name == "Ученик Номер1 Тестович" and pupil.data.category == "pupil"
    assert pupil.data.birth_date == date(2012, 5, 1) and pupil.data.special_needs is True
    assert (pupil.consent_on, pupil.consent_by, pupil.bank) == (date(2025, 9, 1), "representative", "mentee")
    assert mentor.data.category == "teacher" and mentor.data.teaching_since == date(2024, 9, 1)
    assert (mentor.consent_by, mentor.bank, mentor.data.email) == ("participant", "mentor", "t@school.ru")


@pytest.mark.parametrize("encoding,delimiter", [
    ("utf-8-sig", ";"), ("utf-8", ";"), ("utf-8", ","), ("cp1251", "\t"), ("utf-16", "\t"),
])
def test_utf8_with_or_without_bom_and_other_delimiters(encoding, delimiter):
    rows = [person(1, birth_date="2012-05-01"), person(2, class_or_position="9А, профильный")]
    text = csv_file(rows, encoding="utf-8", delimiter=delimiter).decode()
    if delimiter == ",":  # a comma inside a value is quoted, as office software does
        text = text.replace("9А, профильный", '"9А, профильный"')
    result = validate("people.csv", text.encode(encoding), facts())
    assert result.valid, result.errors
    assert [r.data.birth_date for r in result.rows] == [date(2012, 5, 1), date(2012, 5, 1)]
    assert result.rows[1].data.class_or_position == "9А, профильный"


def test_headings_match_whatever_the_case_spaces_and_yo():
    headings = ["  фио ", "КАТЕГОРИЯ", "Дата   рождения", "класс/группа или должность", "начало педагогического стажа",
                "овз", "e mail", "Телефон", "законный представитель", "Email представителя", "телефон представителя",
                "Предприятие-партнер", "согласие на обработку ПДН: ДАТА", "Согласие  дал", "БАНК", "Примечание"]
    result = validate("people.csv", csv_file([person(1)], headings=headings, encoding="utf-8"), facts())
    assert result.valid, result.errors
    assert result.ignored_columns == ["Примечание"]


def test_xlsx_with_date_cells_numbers_and_a_blank_row():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADINGS)
    keys = [c.key for c in COLUMNS]
    first = person(1)
    first.update(birth_date=datetime(2012, 5, 1), representative_phone=79001234567, consent_on=45536)
    sheet.append([first.get(k) or None for k in keys])
    sheet.append([None] * len(keys))  # a blank row 3 keeps its number
    sheet.append([person(2, birth_date="31.02.2012").get(k) or None for k in keys])
    out = io.BytesIO()
    workbook.save(out)
    result = validate("people.xlsx", out.getvalue(), facts())
    assert result.total == 2
    assert problems(result) == {(4, "Дата рождения")}
    assert "31.02.2012" in message(result, 4, "Дата рождения")

    sheet.delete_rows(3, 2)
    out = io.BytesIO()
    workbook.save(out)
    result = validate("people.xlsx", out.getvalue(), facts())
    assert result.valid, result.errors
    [row] = result.rows
    assert row.data.birth_date == date(2012, 5, 1)
    assert row.consent_on == date(2024, 9, 1)  # Excel's day 45536, an unformatted date cell
    assert row.data.representative_phone == "79001234567"
    headings, rows = preview("people.xlsx", out.getvalue())
    assert headings[0] == "ФИО" and rows[0][0] == 2 and rows[0][1][2] == "01.05.2012"


def test_every_row_problem_is_named_by_row_and_column():
    rows = [
        person(1),                                                        # 2: fine
        person(2, category="директор"),                                   # 3
        person(3, birth_date="2012/13/45"),                               # 4
        person(4, consent_on=""),                                         # 5
        person(5, consent_by="участник"),                                 # 6: a minor
        person(6, representative_name="", representative_phone=""),       # 7
        teacher(7, category="представитель работодателя", enterprise="ООО «Нет такого»", teaching_since=""),  # 8
        person(8, enterprise="АО «Завод»"),                               # 9: a pupil linked to an enterprise
        person(9, teaching_since="01.09.2020"),                           # 10
        person(10, special_needs="может быть", bank="куратор"),           # 11
        teacher(11, email="not-an-email", teaching_since="01.09.2099"),   # 12
        person(12, consent_on="01.01.2099", birth_date="01.05.12"),       # 13
        person(13, full_name=""),                                         # 14
        teacher(14, category="представитель работодателя", enterprise="ао «завод»", teaching_since=""),  # 15: fine
    ]
    result = validate("people.csv", csv_file(rows), facts(enterprises={"ао «завод»": 5}))
    assert not result.valid and result.rows == []
    assert problems(result) == {
        (3, "Категория"), (4, "Дата рождения"), (5, "Согласие на обработку ПДн: дата"), (6, "Согласие дал"),
        (7, "Законный представитель"), (7, "Согласие дал"), (8, "Предприятие"), (9, "Предприятие"),
        (10, "Начало педагогического стажа"), (11, "ОВЗ"), (11, "Банк"), (12, "E-mail"),
        (12, "Начало педагогического стажа"), (13, "Дата рождения"), (13, "Согласие на обработку ПДн: дата"),
        (14, "ФИО"),
    }
    assert "директор" in message(result, 3, "Категория")
    assert "consent" in message(result, 5, "Согласие на обработку ПДн: дата")
    assert "representative" in message(result, 6, "Согласие дал")
    assert "Нет такого" in message(result, 8, "Предприятие")
    assert "four digits" in message(result, 13, "Дата рождения")
    assert "future" in message(result, 13, "Согласие на обработку ПДн: дата")


def test_duplicates_within_the_file_and_against_the_school():
    rows = [person(1), person(2), person(1, full_name="ученик  номер1 тестович"), teacher(3)]
    existing = {("педагог номер3", date(1985, 3, 12))}
    result = validate("people.csv", csv_file(rows), facts(existing=existing))
    assert problems(result) == {(4, "ФИО"), (5, "ФИО")}
    assert "row 2" in message(result, 4, "ФИО")
    assert "already" in message(result, 5, "ФИО")


@pytest.mark.parametrize("name,data,expected", [
    ("people.csv", b"", "empty"),
    ("people.csv", b"\r\n;;\r\n", "empty"),
    ("people.csv", csv_file([]), "no rows"),
    ("people.csv", bytes(range(256)) * 4, "not a text table"),
    ("people.csv", "ФИО;Категория;Дата рождения\nИванов Иван Иванович;педагог;01.01.1980\n".encode() + b"\x98",
     "encoding is broken"),
    ("people.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    ("people.xlsx", "ФИО;Категория".encode(), "not an Excel workbook"),
    ("people.xlsx", b"PK\x03\x04garbage", "cannot be read"),
    ("people.pdf", b"%PDF-1.4", "CSV or XLSX"),
])
def test_files_that_cannot_be_read(name, data, expected):
    result = validate(name, data, facts())
    assert not result.valid and result.rows == []
    assert len(result.errors) == 1 and expected in result.errors[0]["message"], result.errors
    assert result.errors[0]["row"] is None


def test_missing_and_repeated_columns_are_named():
    headings = ["ФИО", "Дата рождения", "ФИО", "Телефон"]
    result = validate("people.csv", ";".join(headings).encode() + "\nИванов;01.01.1980;x;1\n".encode(), facts())
    assert problems(result) == {(1, "ФИО"), (1, "Категория"), (1, "Согласие на обработку ПДн: дата")}
    missing = {e["column"] for e in result.errors if "missing" in e["message"]}
    assert missing == {"Категория", "Согласие на обработку ПДн: дата"}


def test_more_than_the_row_limit_is_refused_whole():
    line = ";".join(person(0).get(c.key, "") for c in COLUMNS)
    data = (";".join(HEADINGS) + "\n" + (line + "\n") * (MAX_ROWS + 1)).encode()
    result = validate("people.csv", data, facts())
    assert not result.valid and result.rows == []
    assert len(result.errors) == 1 and "20000" in result.errors[0]["message"].replace(",", "").replace(" ", "")


def test_the_templates_read_back():
    assert template_csv().startswith(b"\xef\xbb\xbf")
    filled = template_csv() + ";".join(person(1).get(c.key, "") for c in COLUMNS).encode()
    assert validate("template.csv", filled, facts()).valid
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADINGS
    assert "Категория (ученик/студент/педагог/представитель работодателя)" in HEADINGS
    sheet.append([person(1).get(c.key) or None for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    result = validate("template.xlsx", out.getvalue(), facts())
    assert result.valid, result.errors


# -- the import ------------------------------------------------------------------------------

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _school(tree, key="r1m1s1"):
    org = db.session.get(Organization, tree.ids[key])
    user = db.session.get(User, tree.users[f"{key}.admin"].id)
    return org, user


def _count(model, org_id) -> int:
    with unscoped("tests.count"):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.org_id == org_id))


def _mixed_rows(n: int) -> list[dict]:
    rows = []
    for i in range(n):
        if i % 5 == 0:
            rows.append(teacher(i))
        elif i % 7 == 0:
            rows.append(teacher(i, category="представитель работодателя", enterprise="АО «Завод»",
                                teaching_since="", bank="наставник"))
        else:
            rows.append(person(i, bank="" if i % 3 == 0 else "наставляемый"))
    return rows


def test_an_invalid_file_keeps_its_errors_and_writes_nothing(ctx, tree):
    org_id, path = tree.ids["r1m1s1"], tree.paths["r1m1s1"]
    with tenant_scope(org_id, path):
        org, user = _school(tree)
        batch = create_batch(org, user, "C:\\Users\\x\\люди.csv", csv_file([person(1), person(2, category="?")]),
                             TODAY)
        db.session.commit()
        assert (batch.status, batch.total, batch.filename) == ("invalid", 2, "люди.csv")
        assert batch.errors == [{"row": 3, "column": "Категория", "message": batch.errors[0]["message"]}]
        assert db.session.scalar(sa.select(ImportBatch.data).where(ImportBatch.id == batch.id)) == b""
        with pytest.raises(ImportBatchError):
            queue_batch(batch)
    assert _count(Participant, org_id) == 0 and _count(Consent, org_id) == 0


def test_the_import_writes_every_row_once(ctx, tree):
    org_id, path = tree.ids["r1m1s1"], tree.paths["r1m1s1"]
    with tenant_scope(org_id, path):
        org, user = _school(tree)
        db.session.add(Enterprise(org_id=org_id, name="АО «Завод»"))
        db.session.commit()
        batch = create_batch(org, user, "people.csv", csv_file(_mixed_rows(25)), TODAY)
        assert batch.status == "valid", batch.errors
        queue_batch(batch)
        db.session.commit()
        with pytest.raises(ImportBatchError):  # a second confirmation (a double click) queues nothing
            queue_batch(batch)
        batch_id = batch.id
        seen = []
        result = run_batch(batch_id, TODAY, chunk_size=10, on_chunk=seen.append)
        assert (result.status, result.imported, seen) == ("done", 25, [10, 20, 25])
        again = run_batch(batch_id, TODAY, chunk_size=10)  # a retried task
        assert (again.status, again.imported) == ("done", 0)
        db.session.expire_all()
        batch = db.session.get(ImportBatch, batch_id)
        assert (batch.status, batch.processed, batch.total, batch.errors) == ("done", 25, 25, [])
        assert batch.finished_at is not None
        assert db.session.scalar(sa.select(ImportBatch.data).where(ImportBatch.id == batch_id)) == b""
        pupil = db.session.scalar(sa.select(Participant).where(Participant.full_name == "Ученик Номер1 Тестович"))
        assert (pupil.category, pupil.birth_year, pupil.in_mentee_bank, pupil.in_mentor_bank) == \
            ("pupil", 2012, True, False)
        [consent] = pupil.consents
        assert (consent.given_by, consent.representative_name, consent.given_on) == \
            ("representative", "Родитель 1", date(2025, 9, 1))
        employer = db.session.scalar(sa.select(Participant).where(Participant.full_name == "Педагог Номер7"))
        assert employer.category == "employer" and employer.enterprise.name == "АО «Завод»"
        assert employer.mentor_profile is not None and employer.consents[0].given_by == "participant"
    assert _count(Participant, org_id) == 25 and _count(Consent, org_id) == 25
    assert _count(MentorProfile, org_id) == 8  # teachers 0, 5, …, 20 and employers 7, 14, 21
    assert _count(MenteeProfile, org_id) == 11  # the other 17 pupils but 3, 6, 9, 12, 18, 24
    with unscoped("tests.audit"):
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "import.completed")).all()
    assert [(e.details["count"], e.org_id, e.user_id) for e in events] == [(25, org_id, tree.users["r1m1s1.admin"].id)]


def test_a_file_that_no_longer_fits_the_school_fails_whole(ctx, tree):
    org_id, path = tree.ids["r1m1s1"], tree.paths["r1m1s1"]
    with tenant_scope(org_id, path):
        org, user = _school(tree)
        batch = create_batch(org, user, "people.csv", csv_file([person(1), person(2), person(3)]), TODAY)
        queue_batch(batch)
        db.session.commit()
        # meanwhile someone entered row 3's pupil by hand
        make_participant(org_id, "Ученик Номер2 Тестович", birth_date=date(2012, 5, 1))
        db.session.commit()
        result = run_batch(batch.id, TODAY)
        assert result.status == "failed"
        db.session.expire_all()
        batch = db.session.get(ImportBatch, batch.id)
        assert batch.status == "failed"
        assert (3, "ФИО") in {(e["row"], e["column"]) for e in batch.errors}
    assert _count(Participant, org_id) == 1  # only the hand-made one


def test_a_failure_half_way_leaves_nothing_written(ctx, tree):
    org_id, path = tree.ids["r1m1s1"], tree.paths["r1m1s1"]

    def boom(processed):
        if processed > 10:
            raise RuntimeError("disk full")

    with tenant_scope(org_id, path):
        org, user = _school(tree)
        batch = create_batch(org, user, "people.csv", csv_file([person(i) for i in range(30)]), TODAY)
        queue_batch(batch)
        db.session.commit()
        result = run_batch(batch.id, TODAY, chunk_size=10, on_chunk=boom)
        assert result.status == "failed"
        db.session.expire_all()
        batch = db.session.get(ImportBatch, batch.id)
        assert batch.status == "failed" and "RuntimeError" in batch.errors[0]["message"]
        assert run_batch(batch.id, TODAY).status == "failed"  # a failed batch is not run again
    assert _count(Participant, org_id) == 0 and _count(Consent, org_id) == 0


@pytest.mark.backends("postgresql")
def test_progress_is_visible_while_the_import_transaction_is_open(ctx, tree):
    """On PostgreSQL another connection (the status page) sees ``processed`` grow while the
    rows themselves are not yet committed."""
    org_id, path = tree.ids["r1m1s1"], tree.paths["r1m1s1"]
    observed = []

    def look(_processed):
        with db.engine.connect() as other:
            observed.append((
                other.execute(sa.text("SELECT status, processed FROM import_batches WHERE id = :id"),
                              {"id": batch_id}).one(),
                other.execute(sa.text("SELECT count(*) FROM participants")).scalar(),
            ))

    with tenant_scope(org_id, path):
        org, user = _school(tree)
        batch = create_batch(org, user, "people.csv", csv_file([person(i) for i in range(25)]), TODAY)
        queue_batch(batch)
        db.session.commit()
        batch_id = batch.id
        assert run_batch(batch_id, TODAY, chunk_size=10, on_chunk=look).status == "done"
    assert observed == [(("running", 10), 0), (("running", 20), 0), (("running", 25), 0)]
    assert _count(Participant, org_id) == 25
