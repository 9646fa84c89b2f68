"""Monitoring periods through the web: the list (constant query count), run now with the
aggregation enqueued after the commit, the progress JSON and the polling script, re-run,
unfreeze with a reason (audited); the analyst reads only; other organisations get 403/404."""
from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from core.errors import DomainError
from core.extensions import db
from mentorship.monitoring import periods
from mentorship.monitoring.aggregation import aggregate_period
from mentorship.monitoring.models import MetricSnapshot, MonitoringPeriod
from tenants.context import unscoped
from tenants.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.support.monitoring import SchoolFacts, make_period
from tests.support.queries import queries_and_page

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2027, 1, 10)  # the latest reference date is 20 December 2026


def _client(app, login, tree, who):
    client = app.test_client()
    login(client, tree.emails[who])
    return client


@pytest.fixture
def admin(app, tree, login):
    return _client(app, login, tree, "r1.admin")


@pytest.fixture
def sent(monkeypatch):
    """The aggregation tasks sent to the broker (after commit), instead of sending them."""
    from tasks.monitoring import aggregate

    calls = []
    monkeypatch.setattr(aggregate, "apply_async", lambda args=(), kwargs=None, **_: calls.append(tuple(args)))
    monkeypatch.setattr(periods, "region_today", lambda settings, now=None: TODAY)
    return calls


def _post(client, url, data=None, page="/monitoring/periods"):
    token = csrf_token_from(client.get(page))
    return client.post(url, data={**(data or {}), "csrf_token": token})


def _period(app, period_id):
    with app.app_context(), unscoped("tests.period"):
        period = db.session.get(MonitoringPeriod, period_id)
        values = {"status": period.status, "unfrozen_at": period.unfrozen_at, "runs": period.runs}
        db.session.remove()
        return values


def _events(app, action):
    with app.app_context(), unscoped("tests.events"):
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()
        details = [e.details for e in events]
        db.session.remove()
        return details


def test_run_now_enqueues_after_commit_and_the_page_follows_progress(app, tree, admin, sent):
    with app.app_context():
        with SchoolFacts(tree, "r1m1s1") as s:
            s.contingent(2026, pupils_10_19=10)
            s.pair(s.teacher(), [s.pupil(date(2012, 3, 1))])
    page = admin.get("/monitoring/periods").get_data(as_text=True)
    assert 'action="/monitoring/periods/run"' in page
    response = _post(admin, "/monitoring/periods/run")
    assert response.status_code == 302
    period_id = int(re.search(r"/monitoring/periods/(\d+)$", response.headers["Location"]).group(1))
    assert sent == [(tree.ids["r1"], period_id)]  # sent once the period was committed
    with app.app_context(), unscoped("tests"):
        assert db.session.get(MonitoringPeriod, period_id).reference_date == date(2026, 12, 20)
        db.session.remove()
    assert admin.get(f"/monitoring/periods/{period_id}/status").get_json() == \
        {"status": "pending", "done": 0, "total": 0}
    show = admin.get(f"/monitoring/periods/{period_id}").get_data(as_text=True)
    assert f'data-progress-url="/monitoring/periods/{period_id}/status"' in show
    assert "js/progress.js" in show
    assert 'action="/monitoring/periods/run"' not in admin.get("/monitoring/periods").get_data(as_text=True)

    # the worker runs the task it was sent; the period is frozen with its figures
    from tasks.monitoring import aggregate

    assert aggregate.apply(args=sent[0]).get() is True
    status = admin.get(f"/monitoring/periods/{period_id}/status")
    assert status.get_json() == {"status": "frozen", "done": 5, "total": 5}  # 4 indicators + the pairs by form
    assert status.headers["Cache-Control"] == "no-store"
    frozen = admin.get(f"/monitoring/periods/{period_id}").get_data(as_text=True)
    assert "data-progress-url" not in frozen and 'name="reason"' in frozen
    assert "Доля детей в возрасте от 10 до 19 лет" in frozen and ">10,0<" in frozen  # 1 of 10, a Russian decimal comma
    # run now again: the period is frozen, nothing is sent
    refused = _post(admin, "/monitoring/periods/run")
    assert refused.status_code == 302 and sent == [(tree.ids["r1"], period_id)]


def test_a_rolled_back_run_sends_nothing(app, tree, admin, sent, monkeypatch):
    def broken(*args, **kwargs):
        raise DomainError("frozen")

    monkeypatch.setattr(periods, "request_rerun", broken)
    assert _post(admin, "/monitoring/periods/run").status_code == 302
    assert sent == []
    with app.app_context(), unscoped("tests"):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MonitoringPeriod)) == 0
        db.session.remove()


def test_unfreeze_needs_a_reason_then_rerun(app, tree, admin, sent):
    with app.app_context():
        period_id = make_period(tree.ids["r1"], date(2026, 12, 20))
        aggregate_period(period_id)
    page = f"/monitoring/periods/{period_id}"
    # a frozen period cannot be re-run
    assert _post(admin, f"{page}/rerun", page=page).status_code == 302
    assert sent == [] and _period(app, period_id)["status"] == "frozen"
    # no reason: nothing changes
    assert _post(admin, f"{page}/unfreeze", {"reason": "  "}, page=page).status_code == 302
    assert _period(app, period_id)["status"] == "frozen" and _events(app, "monitoring.unfrozen") == []
    assert _post(admin, f"{page}/unfreeze", {"reason": "Школа 1.1.1 исправила контингент"}, page=page) \
        .status_code == 302
    state = _period(app, period_id)
    assert state["status"] == "pending" and state["unfrozen_at"] is not None
    assert _events(app, "monitoring.unfrozen")[0]["reason"] == "Школа 1.1.1 исправила контингент"
    assert sent == []  # unfreezing does not run it: the ministry asks for the re-run
    held = admin.get(page).get_data(as_text=True)
    assert "data-progress-url" not in held and f'action="{page}/rerun"' in held
    assert _post(admin, f"{page}/rerun", page=page).status_code == 302
    assert sent == [(tree.ids["r1"], period_id)] and _period(app, period_id)["unfrozen_at"] is None
    assert len(_events(app, "monitoring.rerun")) == 1


def test_the_analyst_reads_others_are_refused(app, tree, login, sent):
    with app.app_context():
        period_id = make_period(tree.ids["r1"], date(2026, 12, 20))
        aggregate_period(period_id)
    analyst = _client(app, login, tree, "r1.staff")
    assert analyst.get("/monitoring/periods").status_code == 200
    show = analyst.get(f"/monitoring/periods/{period_id}")
    assert show.status_code == 200 and 'name="reason"' not in show.get_data(as_text=True)
    assert analyst.get(f"/monitoring/periods/{period_id}/status").status_code == 200
    page = f"/monitoring/periods/{period_id}"
    for url, data in (("/monitoring/periods/run", {}), (f"{page}/rerun", {}), (f"{page}/unfreeze", {"reason": "x"})):
        assert _post(analyst, url, data, page=page).status_code == 403, url
    assert _period(app, period_id)["status"] == "frozen" and sent == []
    with app.app_context(), unscoped("tests"):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MonitoringPeriod)) == 1
        db.session.remove()
    for who in ("r1m1.admin", "r1m1s1.admin"):
        client = _client(app, login, tree, who)
        assert client.get("/monitoring/periods").status_code == 403, who
        assert client.get(page).status_code == 404, who
        assert client.get(f"{page}/status").status_code == 404, who
        token = csrf_token_from(client.get("/", follow_redirects=True))
        assert client.post("/monitoring/periods/run", data={"csrf_token": token}).status_code == 403, who
        assert client.post(f"{page}/unfreeze", data={"reason": "x", "csrf_token": token}).status_code == 404, who
    assert _period(app, period_id)["status"] == "frozen"


def _make_periods(app, tree, first: int, n: int) -> None:
    """Periods ``first`` … ``first + n - 1`` of region r1 (20 December / 20 June going back from
    2026), each with snapshots of two schools, a municipal body and the region."""
    with app.app_context(), unscoped("tests.periods"):
        orgs = [("school", tree.ids["r1m1s1"]), ("school", tree.ids["r1m1s2"]), ("municipality", tree.ids["r1m1"]),
                ("ministry", tree.ids["r1"])]
        for i in range(first, first + n):
            year, month = 2026 - i // 2, (12 if i % 2 == 0 else 6)
            period = MonitoringPeriod(org_id=tree.ids["r1"], reference_date=date(year, month, 20), status="frozen")
            db.session.add(period)
            db.session.flush()
            db.session.add_all([
                MetricSnapshot(period_id=period.id, org_id=org_id, org_kind=kind, indicator_code=code, numerator=1,
                               denominator=10, value=10.0)
                for kind, org_id in orgs for code in ("mentees_10_19", "enterprises")
            ])
        db.session.commit()
        db.session.remove()


def test_the_period_list_costs_the_same_queries_at_3_and_60_periods(app, tree, login, sent):
    admin = _client(app, login, tree, "r1.admin")
    _make_periods(app, tree, 0, 3)
    small, html = queries_and_page(app, admin, "/monitoring/periods")
    assert html.count("/monitoring/periods/") >= 3 and ">8<" in html  # eight figures per period
    with app.app_context():
        db.session.remove()
    _make_periods(app, tree, 3, 57)
    large, html = queries_and_page(app, admin, "/monitoring/periods")
    assert "page=2" in html
    assert small == large, (small, large)
