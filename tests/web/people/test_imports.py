"""Participant imports through the web: templates, upload with the full check, the error
table, preview and confirmation, the task enqueued after commit, progress JSON, history."""
from __future__ import annotations

import io
import re

import openpyxl
import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.people.imports.models import ImportBatch
from mentorship.people.models import Consent, Participant
from tenants.context import tenant_scope, unscoped
from tests.conftest import csrf_token_from
from tests.support.bulk import insert_rows
from tests.support.queries import queries_and_page
from tests.unit.people.test_imports import HEADINGS, csv_file, person, teacher

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def curator(app, tree, login):
    client = app.test_client()
    login(client, tree.emails["r1m1s1.staff"])
    return client


def _upload(client, data: bytes, filename: str):
    token = csrf_token_from(client.get("/school/imports/new"))
    return client.post("/school/imports/new", data={"file": (io.BytesIO(data), filename), "csrf_token": token},
                       content_type="multipart/form-data")


def _batch_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(re.search(r"/school/imports/(\d+)$", response.headers["Location"]).group(1))


def _count(model) -> int:
    with unscoped("tests.count"):
        count = db.session.scalar(sa.select(sa.func.count()).select_from(model))
        db.session.rollback()
        return count


def _batch(app, batch_id):
    with app.app_context(), unscoped("tests.batch"):
        batch = db.session.get(ImportBatch, batch_id)
        return {"status": batch.status, "total": batch.total, "processed": batch.processed,
                "errors": batch.errors, "data": db.session.scalar(
                    sa.select(ImportBatch.data).where(ImportBatch.id == batch_id))}


def test_templates_download_for_school_staff_only(app, tree, login, curator):
    xlsx = curator.get("/school/imports/template.xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADINGS
    csv = curator.get("/school/imports/template.csv")
    assert csv.status_code == 200 and csv.data.startswith(b"\xef\xbb\xbf")
    assert csv.data.decode("utf-8-sig").strip().split(";") == HEADINGS
    ministry = app.test_client()
    login(ministry, tree.emails["r1.admin"])
    assert ministry.get("/school/imports/template.csv").status_code == 404


def test_an_invalid_file_lists_every_problem_and_writes_nothing(app, curator):
    rows = [person(i) for i in range(3)] + [person(3, birth_date="31.02.2012", consent_on=""), person(1)]
    response = _upload(curator, csv_file(rows), "ученики.csv")
    batch_id = _batch_id(response)
    page = curator.get(f"/school/imports/{batch_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "ученики.csv" in html
    for row, column in ((5, "Дата рождения"), (5, "Согласие на обработку ПДн: дата"), (6, "ФИО")):
        assert re.search(rf"<td>{row}</td><td>{re.escape(column)}</td>", html), (row, column)
    assert "31.02.2012" in html
    assert f"/school/imports/{batch_id}/run" not in html  # no way to import it
    batch = _batch(app, batch_id)
    assert batch["status"] == "invalid" and batch["total"] == 5 and len(batch["errors"]) == 3
    assert batch["data"] == b""  # the file is not kept
    with app.app_context():
        assert _count(Participant) == 0 and _count(Consent) == 0
    # running it anyway is refused, nothing queued
    token = csrf_token_from(page)
    refused = curator.post(f"/school/imports/{batch_id}/run", data={"csrf_token": token}, follow_redirects=True)
    assert refused.status_code == 200
    assert _batch(app, batch_id)["status"] == "invalid"


def test_a_huge_error_table_is_paginated(app, curator):
    rows = [person(i, category="?") for i in range(150)]
    batch_id = _batch_id(_upload(curator, csv_file(rows), "people.csv"))
    first = curator.get(f"/school/imports/{batch_id}").get_data(as_text=True)
    second = curator.get(f"/school/imports/{batch_id}?page=2").get_data(as_text=True)
    assert "<td>101</td>" in first and "<td>102</td>" not in first
    assert "<td>102</td>" in second and "<td>151</td>" in second and "<td>101</td>" not in second


def test_wrong_type_and_too_large_are_refused_on_the_form(app, curator, monkeypatch):
    response = _upload(curator, b"%PDF-1.4", "scan.pdf")
    assert response.status_code == 200 and "is-invalid" in response.get_data(as_text=True)
    monkeypatch.setattr("mentorship.people.imports.batches.MAX_BYTES", 100)
    response = _upload(curator, csv_file([person(1)]), "people.csv")
    assert response.status_code == 200 and "is-invalid" in response.get_data(as_text=True)
    with app.app_context():
        assert _count(ImportBatch) == 0


def test_a_valid_file_previews_runs_once_and_reports_progress(app, tree, curator, monkeypatch):
    from tasks.people import run_import

    sent = []
    monkeypatch.setattr(run_import, "apply_async", lambda args=(), kwargs=None, **_: sent.append(tuple(args)))
    rows = [person(i) for i in range(12)] + [teacher(i) for i in range(12, 15)]
    batch_id = _batch_id(_upload(curator, csv_file(rows), "people.csv"))
    page = curator.get(f"/school/imports/{batch_id}")
    html = page.get_data(as_text=True)
    assert "Ученик Номер0 Тестович" in html and "Ученик Номер9 Тестович" in html
    assert "Ученик Номер10 Тестович" not in html  # a preview: the first 10 rows
    assert f'action="/school/imports/{batch_id}/run"' in html

    token = csrf_token_from(page)
    response = curator.post(f"/school/imports/{batch_id}/run", data={"csrf_token": token})
    assert response.status_code == 302
    org_id = tree.ids["r1m1s1"]
    assert sent == [(org_id, batch_id)]  # enqueued once the confirmation committed
    assert curator.get(f"/school/imports/{batch_id}/status").get_json() == \
        {"status": "queued", "processed": 0, "total": 15}
    queued = curator.get(f"/school/imports/{batch_id}").get_data(as_text=True)
    assert f'data-progress-url="/school/imports/{batch_id}/status"' in queued
    assert "js/progress.js" in queued

    # a double click: the second confirmation is refused and sends nothing
    curator.post(f"/school/imports/{batch_id}/run", data={"csrf_token": token})
    assert sent == [(org_id, batch_id)]

    # the worker: the task, twice (a redelivered message), imports once
    assert run_import.apply(args=sent[0]).get() == {"status": "done", "imported": 15}
    assert run_import.apply(args=sent[0]).get() == {"status": "done", "imported": 0}
    status = curator.get(f"/school/imports/{batch_id}/status")
    assert status.get_json() == {"status": "done", "processed": 15, "total": 15}
    assert status.headers["Cache-Control"] == "no-store"
    done = curator.get(f"/school/imports/{batch_id}").get_data(as_text=True)
    assert "data-progress-url" not in done
    with app.app_context():
        assert _count(Participant) == 15 and _count(Consent) == 15
        with tenant_scope(org_id, tree.paths["r1m1s1"]):
            names = db.session.scalars(sa.select(Participant.full_name)).all()
            db.session.rollback()
    assert sorted(names) == sorted(r["full_name"] for r in rows)
    assert _batch(app, batch_id)["data"] == b""


def test_the_history_lists_batches_in_constant_queries(app, tree, curator):
    org_id, path = tree.ids["r1m1s1"], tree.paths["r1m1s1"]

    def add(n):
        with app.app_context():
            insert_rows(ImportBatch, [
                {"org_id": org_id, "org_path": path, "filename": f"file{i}.csv", "data": b"", "status": "invalid",
                 "total": i, "errors": [{"row": 2, "column": "ФИО", "message": "x"}] * 50} for i in range(n)],
                ids=False)
            db.session.commit()

    empty = curator.get("/school/imports").get_data(as_text=True)
    assert "<tbody>" not in empty and "/school/imports/template.xlsx" in empty  # the empty state
    add(10)
    few, html = queries_and_page(app, curator, "/school/imports")
    assert "file9.csv" in html and "/school/imports/template.xlsx" not in html
    add(990)
    many, html = queries_and_page(app, curator, "/school/imports")
    assert few == many and "page=2" in html
    found = curator.get("/school/imports?q=file19").get_data(as_text=True)
    assert "file19.csv" in found and "file18.csv" not in found
    # another school sees none of them
    with app.app_context(), tenant_scope(tree.ids["r1m1s2"], tree.paths["r1m1s2"]):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportBatch)) == 0


def test_a_batch_lists_its_errors_in_constant_queries(app, tree, curator):
    """The error table of a rejected file: 10 or 1,000 problems, the same queries, 100 a page."""
    org_id, path = tree.ids["r1m1s1"], tree.paths["r1m1s1"]

    def batch(n):
        with app.app_context():
            [batch_id] = insert_rows(ImportBatch, [{
                "org_id": org_id, "org_path": path, "filename": f"{n}.csv", "data": b"", "status": "invalid",
                "total": n, "errors": [{"row": i + 2, "column": "ФИО", "message": f"ошибка {i}"} for i in range(n)]}])
            db.session.commit()
        return batch_id

    few, _ = queries_and_page(app, curator, f"/school/imports/{batch(10)}")
    large = batch(1000)
    many, html = queries_and_page(app, curator, f"/school/imports/{large}?page=10")
    assert few == many
    assert "ошибка 999" in html and "ошибка 899" not in html and "page=9" in html
