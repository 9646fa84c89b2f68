"""The analytical report through the web: the list and request form, a request enqueued after
commit, the status JSON, the downloads (audited), refusals (a period not frozen, another
region's period, schools), visibility up the tree, and the list's constant query count."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from docx import Document
from sqlalchemy import event

from core.extensions import db
from mentorship.reports.models import AnalyticalReport
from tenants.context import unscoped
from tenants.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.support.monitoring import make_period
from tests.support.monitoring_world import monitoring_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")

INDEX = "/reports/analytical"


@pytest.fixture
def world(app, tree):
    with app.app_context():
        return monitoring_world(tree)


@pytest.fixture
def sent(monkeypatch):
    from tasks.reports import build

    calls = []
    monkeypatch.setattr(build, "apply_async", lambda args=(), kwargs=None, **_: calls.append(tuple(args)))
    return calls


def _client(app, login, tree, who):
    client = app.test_client()
    login(client, tree.emails[who])
    with client.session_transaction() as session:
        session["lang"] = "en"  # the assertions below read the English messages
    return client


def _reports(app) -> list[tuple]:
    with app.app_context(), unscoped("tests.analytical"):
        rows = db.session.execute(sa.select(AnalyticalReport.id, AnalyticalReport.org_id, AnalyticalReport.period_id,
                                            AnalyticalReport.status).order_by(AnalyticalReport.id)).all()
        db.session.remove()
    return [tuple(r) for r in rows]


def _request(client, period_id):
    token = csrf_token_from(client.get(INDEX))
    return client.post(f"{INDEX}/new", data={"period_id": str(period_id), "csrf_token": token})


def test_the_ministry_requests_a_report_and_the_task_is_sent_after_commit(app, tree, login, world, monkeypatch):
    from tasks.reports import build

    committed = []

    def fake_apply_async(args=(), kwargs=None, **_):
        with db.engine.connect() as conn:  # the row must be committed when the task is sent
            committed.append(conn.execute(sa.text("SELECT status FROM analytical_reports WHERE id = :id"),
                                          {"id": args[1]}).scalar())
        calls.append(tuple(args))

    calls = []
    monkeypatch.setattr(build, "apply_async", fake_apply_async)
    client = _client(app, login, tree, "r1.staff")  # the ministry's analyst
    page = client.get(INDEX).get_data(as_text=True)
    assert f'<option value="{world.period}"' in page  # the frozen period is offered
    assert f"/reports/analytical/{world.analytical}" in page  # the world's report is listed

    response = _request(client, world.period)
    assert response.status_code == 302
    report_id = int(re.search(r"/reports/analytical/(\d+)$", response.headers["Location"]).group(1))
    assert calls == [(tree.ids["r1"], report_id)] and committed == ["queued"]
    assert (report_id, tree.ids["r1"], world.period, "queued") in _reports(app)
    assert client.get(f"{INDEX}/{report_id}/status").get_json() == {"status": "queued", "done": 0, "total": 7}
    show = client.get(f"{INDEX}/{report_id}").get_data(as_text=True)
    assert f'data-progress-url="/reports/analytical/{report_id}/status"' in show
    assert "js/progress.js" in show and "PDF is not offered" in show

    # asking again while it is prepared: the same report, nothing new sent
    again = _request(client, world.period)
    assert again.headers["Location"].endswith(f"/reports/analytical/{report_id}") and len(calls) == 1

    # the worker's task (run here in-process) builds it; the page then offers the files
    with app.app_context():
        assert build.apply(args=[tree.ids["r1"], report_id]).get() == "done"
    assert client.get(f"{INDEX}/{report_id}/status").get_json() == {"status": "done", "done": 7, "total": 7}
    docx = client.get(f"{INDEX}/{report_id}.docx")
    assert docx.status_code == 200 and "attachment" in docx.headers["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "Информационно-аналитическая справка" in text and "Министерство 1" in text


def test_downloads_are_audited(app, tree, login, world):
    client = _client(app, login, tree, "r1.admin")
    docx = client.get(f"{INDEX}/{world.analytical}.docx")
    assert docx.status_code == 200 and docx.data == b"PK\x03\x04docx"
    assert docx.mimetype.endswith("wordprocessingml.document")
    assert "analytical-report-2026-12-20" in docx.headers["Content-Disposition"]
    xlsx = client.get(f"{INDEX}/{world.analytical}.xlsx")
    assert xlsx.status_code == 200 and xlsx.data == b"PK\x03\x04xlsx"
    with app.app_context(), unscoped("tests.audit"):
        events = db.session.execute(sa.select(AuditEvent.action, AuditEvent.details, AuditEvent.org_id)
                                    .where(AuditEvent.action == "analytical.downloaded")
                                    .order_by(AuditEvent.id)).all()
    assert [(e.details["format"], e.org_id) for e in events] == [("docx", tree.ids["r1"]), ("xlsx", tree.ids["r1"])]


def test_a_report_not_ready_has_no_download(app, tree, login, world, sent):
    client = _client(app, login, tree, "r1.admin")
    _request(client, world.period)
    report_id = _reports(app)[-1][0]
    assert client.get(f"{INDEX}/{report_id}.docx").status_code == 404
    assert client.get(f"{INDEX}/{report_id}.xlsx").status_code == 404


def test_a_period_that_is_not_frozen_is_refused(app, tree, login, world, sent):
    with app.app_context():
        pending = make_period(tree.ids["r1"], date(2027, 6, 20))
    client = _client(app, login, tree, "r1.admin")
    page = client.get(INDEX).get_data(as_text=True)
    request_form = page[page.index('action="/reports/analytical/new"'):].split("</form>")[0]
    assert f'<option value="{pending}"' not in request_form  # only frozen periods are offered
    assert f'<option value="{world.period}"' in request_form
    before = _reports(app)
    response = _request(client, pending)
    assert response.status_code == 302 and response.headers["Location"].endswith(INDEX)
    assert "The period is not frozen yet" in client.get(INDEX).get_data(as_text=True)
    assert _reports(app) == before and sent == []


def test_another_regions_period_is_refused(app, tree, login, world, sent):
    client = _client(app, login, tree, "r2.admin")
    before = _reports(app)
    response = _request(client, world.period)
    assert response.status_code == 302
    assert "The period does not exist in your region." in client.get(INDEX).get_data(as_text=True)
    assert _reports(app) == before and sent == []


def test_a_form_without_a_period_is_rerendered(app, tree, login, world, sent):
    client = _client(app, login, tree, "r1.admin")
    token = csrf_token_from(client.get(INDEX))
    response = client.post(f"{INDEX}/new", data={"period_id": "", "csrf_token": token})
    assert response.status_code == 400 and "is-invalid" in response.get_data(as_text=True)
    assert sent == []


def test_schools_get_403(app, tree, login, world):
    client = _client(app, login, tree, "r1m1s1.admin")
    assert client.get(INDEX).status_code == 403
    token = csrf_token_from(client.get("/", follow_redirects=True))
    assert client.post(f"{INDEX}/new", data={"period_id": str(world.period), "csrf_token": token}).status_code == 403
    # the region's report is above the school: not found, like anything outside its scope
    assert client.get(f"{INDEX}/{world.analytical}").status_code == 404


def test_a_municipal_body_reports_at_its_level_the_ministry_sees_it(app, tree, login, world, sent):
    municipal = _client(app, login, tree, "r1m1.staff")  # municipal specialist
    response = _request(municipal, world.period)
    assert response.status_code == 302
    report_id, org_id, period_id, status = _reports(app)[-1]
    assert (org_id, period_id, status) == (tree.ids["r1m1"], world.period, "queued")
    assert sent == [(tree.ids["r1m1"], report_id)]
    assert municipal.get(f"{INDEX}/{report_id}").status_code == 200
    assert municipal.get(f"{INDEX}/{world.analytical}").status_code == 404  # the region's: above it
    assert f"/reports/analytical/{world.analytical}\"" not in municipal.get(INDEX).get_data(as_text=True)

    ministry = _client(app, login, tree, "r1.admin")
    assert ministry.get(f"{INDEX}/{report_id}").status_code == 200  # shared upward
    other = _client(app, login, tree, "r1m2.admin")
    assert other.get(f"{INDEX}/{report_id}").status_code == 404
    assert other.get(f"{INDEX}/{report_id}/status").status_code == 404


def test_another_regions_report_is_not_found(app, tree, login, world):
    client = _client(app, login, tree, "r2.admin")
    for suffix in ("", "/status", ".docx", ".xlsx"):
        assert client.get(f"{INDEX}/{world.analytical}{suffix}").status_code == 404


def test_the_list_costs_the_same_queries_for_more_reports(app, tree, login, world):
    client = _client(app, login, tree, "r1.admin")

    def add(n):
        with app.app_context(), unscoped("tests.analytical"):
            db.session.add_all([AnalyticalReport(org_id=tree.ids["r1"], period_id=world.period, status="done",
                                                 total=7, done=7, docx=b"x", xlsx=b"y") for _ in range(n)])
            db.session.commit()
            db.session.remove()

    def count() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(INDEX).status_code == 200
        finally:
            with app.app_context():
                event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    add(2)
    small = count()
    add(60)
    assert count() == small
