"""The contingent: validation shared by the form and the import, append-only history, the
current figures of one school and of many in one query, the CSV import."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from core.extensions import db
from mentorship.monitoring import contingent as c
from mentorship.monitoring.models import ContingentRecord
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent, Organization, User

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 22)  # school year 2026/27
GOOD = {"pupils_10_19": "400", "pupils_15_19": "150", "teachers": "40", "young_specialists": "5"}


def _errors(year, **changes):
    with pytest.raises(c.ContingentError) as caught:
        c.parse_figures(year, {**GOOD, **changes}, TODAY)
    return caught.value.errors


def test_school_years_and_their_labels():
    assert c.school_year_of(date(2026, 8, 31)) == 2025
    assert c.school_year_of(date(2026, 9, 1)) == 2026
    assert c.school_year_label(2026) == "2026/27" and c.school_year_label(2099) == "2099/00"
    for raw in ("2026/27", "2026/2027", "2026-27", "2026 – 27", "2026", 2026):
        assert c.parse_school_year(raw) == 2026, raw
    for raw in ("2026/28", "26/27", "abc", "", None, "2026/2028"):
        assert c.parse_school_year(raw) is None, raw


def test_valid_figures_are_parsed():
    figures = c.parse_figures("2026/27", {**GOOD, "teachers": " 1 040 "}, TODAY)
    assert figures == c.Figures(2026, 400, 150, 1040, 5)
    zeros = c.parse_figures(2026, dict.fromkeys(GOOD, "0"), TODAY)
    assert zeros.pupils_10_19 == 0 and zeros.young_specialists == 0


def test_every_bad_field_is_named_at_once():
    assert _errors("2026/27", pupils_10_19="-3", teachers="4.5", young_specialists="") == {
        "pupils_10_19": "negative", "teachers": "not_integer", "young_specialists": "required"}
    assert _errors("2026/27", pupils_10_19="10", pupils_15_19="11") == {"pupils_15_19": "band_exceeds"}
    assert _errors("2026/27", teachers="4", young_specialists="5") == {"young_specialists": "young_exceed"}
    assert _errors("2026/27", teachers="99999999") == {"teachers": "too_large"}
    assert _errors("later") == {"school_year": "bad_year"}
    assert _errors("2015/16") == {"school_year": "year_out_of_range"}
    assert _errors("2028/29") == {"school_year": "year_out_of_range"}
    assert c.parse_figures("2027/28", GOOD, TODAY).school_year == 2027  # the next year may be planned
    assert c.parse_figures("2016/17", GOOD, TODAY).school_year == 2016
    assert set(c.MESSAGES) >= {"negative", "not_integer", "required", "band_exceeds", "young_exceed", "too_large",
                               "bad_year", "year_out_of_range"}
    with pytest.raises(c.ContingentError) as caught:
        c.parse_figures("2026/27", {**GOOD, "teachers": "4", "young_specialists": "5"}, TODAY)
    assert caught.value.messages == [("young_specialists", str(c.MESSAGES["young_exceed"]))]


def _scope(tree, key="r1m1s1"):
    return tenant_scope(tree.ids[key], tree.paths[key])


def _record(tree, key, year, pupils, source="form"):
    with _scope(tree, key):
        org = db.session.get(Organization, tree.ids[key])
        figures = c.Figures(year, pupils, pupils // 2, 40, 5)
        record = c.record_contingent(org, figures, user=db.session.get(User, tree.users[f"{key}.staff"].id),
                                     source=source)
        db.session.commit()
        return record.id


def test_each_save_appends_and_the_latest_of_a_year_is_current(ctx, tree):
    first = _record(tree, "r1m1s1", 2026, 400)
    _record(tree, "r1m1s1", 2025, 380)
    latest = _record(tree, "r1m1s1", 2026, 410, source="import")
    with _scope(tree):
        org_id = tree.ids["r1m1s1"]
        assert db.session.scalar(sa.select(sa.func.count(ContingentRecord.id))) == 3
        current = c.current_contingent(org_id, 2026)
        assert current.id == latest and current.pupils_10_19 == 410 and current.source == "import"
        assert c.current_contingent(org_id, 2024) is None
        assert [(r.school_year, r.pupils_10_19) for r in c.current_by_year(org_id)] == [(2026, 410), (2025, 380)]
        history = c.history(org_id)
        assert list(history) == [2026, 2025]
        assert [r.id for r in history[2026]] == [latest, first]
        assert history[2026][0].recorded_by.email == tree.emails["r1m1s1.staff"]
    with unscoped("test"):
        audited = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "contingent.recorded")
                                     .order_by(AuditEvent.id)).all()
        assert len(audited) == 3 and audited[0].object_id == str(first)
        assert audited[0].details["pupils_10_19"] == 400 and audited[2].details["source"] == "import"
        assert audited[0].user_id == tree.users["r1m1s1.staff"].id


def test_database_refuses_inconsistent_figures(ctx, tree):
    with _scope(tree):
        db.session.add(ContingentRecord(org_id=tree.ids["r1m1s1"], school_year=2026, pupils_10_19=10,
                                        pupils_15_19=11, teachers=1, young_specialists=0))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_current_figures_of_many_schools_in_one_query(ctx, tree):
    _record(tree, "r1m1s1", 2026, 400)
    _record(tree, "r1m1s1", 2026, 420)
    _record(tree, "r1m1s2", 2026, 300)
    _record(tree, "r1m1s2", 2025, 290)
    _record(tree, "r1m2s1", 2025, 100)  # no figures for 2026
    ids = [tree.ids[k] for k in ("r1m1s1", "r1m1s2", "r1m2s1", "r2m1s1")]
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    with unscoped("test: the monitoring reads the whole region"):
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            current = c.current_contingent_many(ids, 2026)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert len(statements) == 1, statements
        assert {org: r.pupils_10_19 for org, r in current.items()} == {
            tree.ids["r1m1s1"]: 420, tree.ids["r1m1s2"]: 300}
        assert c.current_contingent_many([], 2026) == {}


def test_a_school_sees_only_its_own_figures(ctx, tree):
    _record(tree, "r1m1s2", 2026, 300)
    with _scope(tree, "r1m1s1"):
        assert c.current_contingent_many([tree.ids["r1m1s2"]], 2026) == {}
        assert c.history(tree.ids["r1m1s2"]) == {}


CSV_HEADER = "Учебный год;Обучающиеся 10–19;Обучающиеся 15–19;Педагоги;Молодые специалисты\r\n"


def test_csv_in_windows_1251_as_russian_excel_saves_it():
    data = (CSV_HEADER.replace("10–19", "10-19") + "2026/27;400;150;40;5\r\n;;;;\r\n2025/26;380;140;38;4\r\n"
            ).encode("cp1251")
    rows, problems = c.parse_contingent_csv(data, TODAY)
    assert problems == []
    assert [(r.school_year, r.pupils_10_19, r.young_specialists) for r in rows] == [(2026, 400, 5), (2025, 380, 4)]
    rows, problems = c.parse_contingent_csv(("\ufeff" + CSV_HEADER + "2026;1;1;1;1\r\n").encode("utf-8"), TODAY)
    assert problems == [] and rows[0].school_year == 2026


def test_csv_problems_name_row_column_and_reason():
    data = (CSV_HEADER + "2026/27;400;500;40;5\r\n2026/27;1;1;1;1\r\nпозже;x;1;1;1\r\n").encode("utf-8")
    rows, problems = c.parse_contingent_csv(data, TODAY)
    assert {(p["row"], p["column"], p["code"]) for p in problems} == {
        (2, "Обучающиеся 15–19", "band_exceeds"),
        (4, "Учебный год", "bad_year"), (4, "Обучающиеся 10–19", "not_integer"),
    }
    assert all(p["message"] == c.MESSAGES[p["code"]] for p in problems)
    rows, problems = c.parse_contingent_csv((CSV_HEADER + "2026/27;1;1;1;1\r\n2026/27;2;2;2;2\r\n").encode(), TODAY)
    assert [(p["row"], p["code"]) for p in problems] == [(3, "duplicate_year")]
    _rows, problems = c.parse_contingent_csv("Учебный год;Педагоги\r\n2026;1\r\n".encode(), TODAY)
    assert {p["column"] for p in problems} == {"Обучающиеся 10–19", "Обучающиеся 15–19", "Молодые специалисты"}
    assert c.parse_contingent_csv(b"", TODAY)[1][0]["code"] == "empty_file"
    assert c.parse_contingent_csv(CSV_HEADER.encode(), TODAY)[1][0]["code"] == "no_rows"
    assert c.parse_contingent_csv(b"\x98" * 10, TODAY)[1][0]["code"] == "bad_encoding"
    assert c.parse_contingent_csv(b"x" * (c.MAX_IMPORT_BYTES + 1), TODAY)[1][0]["code"] == "file_too_large"
