"""The school dashboard and the contingent page through the web: access, figures, charts,
the form's validation (nothing saved on error), the CSV import, constant query counts."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from core.extensions import db
from mentorship.monitoring.models import ContingentRecord
from mentorship.pairing.models import Programme
from tenants.context import unscoped
from tenants.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.support.school import school_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")

GOOD = {"school_year": "", "pupils_10_19": "400", "pupils_15_19": "150", "teachers": "40", "young_specialists": "5"}


def _client(app, login, email):
    client = app.test_client()
    login(client, email)
    with client.session_transaction() as session:
        session["lang"] = "en"  # assert on the English msgids, whatever the Russian catalogue says
    return client


def _records(app, **where):
    with app.app_context(), unscoped("test"):
        return db.session.scalars(sa.select(ContingentRecord).filter_by(**where).order_by(ContingentRecord.id)).all()


def _current_year(client) -> str:
    page = client.get("/school/contingent").get_data(as_text=True)
    return re.search(r'<option selected value="(\d{4})"', page).group(1)


def test_only_the_schools_own_staff_see_the_dashboard(app, tree, login):
    for who in ("r1m1s1.admin", "r1m1s1.staff"):
        assert _client(app, login, tree.emails[who]).get("/school/").status_code == 200
    for who in ("r1m1.admin", "r1.admin"):
        client = _client(app, login, tree.emails[who])
        assert client.get("/school/").status_code == 404
        assert client.get("/school/contingent").status_code == 404
    assert app.test_client().get("/school/").status_code == 302  # to the sign-in page


def test_a_new_school_gets_the_empty_state(app, tree, login):
    page = _client(app, login, tree.emails["r1m2s1.admin"]).get("/school/").get_data(as_text=True)
    assert 'id="dashboard-empty"' in page and "No programmes yet" in page
    assert "/school/contingent" in page and "<svg" not in page
    from flask import url_for

    for endpoint in ("pairing.programme_new", "people.participant_new", "people.imports"):
        if endpoint in app.view_functions:  # linked once the page exists
            with app.test_request_context():
                assert f'href="{url_for(endpoint)}"' in page


def test_the_dashboard_shows_figures_charts_and_tables(app, tree, login):
    with app.app_context():
        school_world(tree)
    page = _client(app, login, tree.emails["r1m1s1.staff"]).get("/school/").get_data(as_text=True)
    assert 'id="dashboard-empty"' not in page
    assert re.search(r'id="card-pairs">.*?fs-3[^>]*>1<', page, re.S)
    assert re.search(r'id="card-unpaired">.*?fs-3[^>]*>1<', page, re.S)  # the spare mentee
    assert page.count('class="chart-bar"') == 4  # one form × two series, two charts
    assert 'id="chart-pairs"' in page and 'id="chart-people"' in page
    assert 'id="table-pairs"' in page and "учитель – ученик" in page
    assert 'id="coverage"' in page
    assert not re.search(r"<[^>]+\sstyle\s*=", page)


def test_valid_figures_are_saved_audited_and_shown(app, tree, login):
    client = _client(app, login, tree.emails["r1m1s1.staff"])
    year = _current_year(client)
    page = client.get("/school/contingent")
    assert "No figures yet" in page.get_data(as_text=True)
    response = client.post("/school/contingent", data={**GOOD, "school_year": year,
                                                       "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/school/contingent")
    [record] = _records(app)
    assert (record.school_year, record.pupils_10_19, record.pupils_15_19, record.teachers,
            record.young_specialists, record.source) == (int(year), 400, 150, 40, 5, "form")
    assert record.recorded_by_id == tree.users["r1m1s1.staff"].id and record.org_id == tree.ids["r1m1s1"]
    again = client.post("/school/contingent/new", data={**GOOD, "school_year": year, "pupils_10_19": "410",
                                                        "csrf_token": csrf_token_from(page)})
    assert again.status_code == 302 and len(_records(app)) == 2
    shown = client.get("/school/contingent").get_data(as_text=True)
    current = shown.split('id="contingent-current"')[1].split("</table>")[0]
    assert ">410<" in current and ">400<" not in current
    assert "records: 2" in shown  # the history keeps the first record
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))
                                 .where(AuditEvent.action == "contingent.recorded")) == 2


@pytest.mark.parametrize("changes, field, message", [
    ({"pupils_15_19": "500"}, "pupils_15_19", "cannot outnumber them"),
    ({"young_specialists": "41"}, "young_specialists", "cannot outnumber them"),
    ({"teachers": "-1"}, "teachers", "cannot be negative"),
    ({"pupils_10_19": "четыреста"}, "pupils_10_19", "whole number"),
    ({"pupils_10_19": ""}, "pupils_10_19", "Enter a number"),
    ({"school_year": "1999"}, "school_year", "last ten"),
    ({"school_year": "x"}, "school_year", "Choose a school year"),
    ({"school_year": None}, "school_year", "Choose a school year"),  # left out of the post
])
def test_invalid_figures_are_refused_and_nothing_is_saved(app, tree, login, changes, field, message):
    client = _client(app, login, tree.emails["r1m1s1.admin"])
    year = _current_year(client)
    for url in ("/school/contingent", "/school/contingent/new"):
        page = client.get(url)
        data = {**GOOD, "school_year": year, **changes, "csrf_token": csrf_token_from(page)}
        response = client.post(url, data={k: v for k, v in data.items() if v is not None})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert f'id="{field}-errors"' in html and message in html
    assert _records(app) == []


def _import(client, body: bytes):
    token = csrf_token_from(client.get("/school/contingent"))
    return client.post("/school/contingent/import", data={"csrf_token": token, "file": (io.BytesIO(body), "k.csv")},
                       content_type="multipart/form-data")


def test_csv_import_is_all_or_nothing(app, tree, login):
    client = _client(app, login, tree.emails["r1m1s1.staff"])
    template = client.get("/school/contingent/template.csv")
    assert template.status_code == 200 and "attachment" in template.headers["Content-Disposition"]
    header = template.get_data().decode("utf-8-sig").splitlines()[0]
    year = int(_current_year(client))
    bad = f"{header}\r\n{year}/{(year + 1) % 100:02d};400;150;40;5\r\n{year - 1};10;20;3;1\r\n"
    response = _import(client, bad.encode("cp1251"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="import-problems"' in html and "row 3" in html and "Обучающиеся 15–19" in html
    assert _records(app) == []
    good = f"{header}\r\n{year};400;150;40;5\r\n{year - 1};390;140;39;4\r\n"
    assert _import(client, good.encode("cp1251")).status_code == 302
    assert [(r.school_year, r.source) for r in _records(app)] == [(year, "import"), (year - 1, "import")]
    assert _import(client, b"").status_code == 200  # no file chosen: the form says so
    assert len(_records(app)) == 2


def _bulk_pairs(app, tree, key, n):
    """School ``key`` with ``n`` active pairs (a teacher and a pupil each) and ``n`` contingent
    records over ten school years, written in bulk."""
    from mentorship.pairing.models import Mentorship, MentorshipMentee
    from mentorship.people.models import Participant
    from tests.support.bulk import insert_rows, owner

    row = owner(tree, key)
    with app.app_context():
        [programme] = insert_rows(Programme, [{**row, "title": "Программа", "form_code": "teacher_pupil",
                                              "school_year": 2026}])
        people = insert_rows(Participant, [
            {**row, "full_name": f"P{i}", "category": "teacher" if i % 2 == 0 else "pupil",
             "birth_date": None if i % 2 == 0 else date(2012, 1, 1), "in_mentee_bank": i % 2 == 1}
            for i in range(2 * n)])
        pairs = insert_rows(Mentorship, [
            {**row, "programme_id": programme, "form_code": "teacher_pupil", "mentor_id": mentor,
             "started_on": date(2026, 9, 1), "status": "active", "reasons": []} for mentor in people[::2]])
        insert_rows(MentorshipMentee, [{**row, "mentorship_id": p, "participant_id": m}
                                       for p, m in zip(pairs, people[1::2])], ids=False)
        insert_rows(ContingentRecord, [
            {**row, "school_year": 2017 + i % 10, "pupils_10_19": n + i, "pupils_15_19": 0, "teachers": n,
             "young_specialists": 0, "recorded_by_id": tree.users[f"{key}.admin"].id} for i in range(n)], ids=False)
        db.session.commit()


def test_pages_keep_a_constant_number_of_queries(app, tree, login):
    """The dashboard (10 or 1,000 pairs) and the contingent history (10 or 1,000 records)."""
    _bulk_pairs(app, tree, "r1m1s1", 10)
    _bulk_pairs(app, tree, "r1m1s2", 1000)
    with app.app_context():
        engine = db.engine
    counts = {}
    for key in ("r1m1s1", "r1m1s2"):
        client = _client(app, login, tree.emails[f"{key}.admin"])
        for url in ("/school/", "/school/contingent"):
            statements = []
            listener = lambda *args: statements.append(1)  # noqa: E731
            event.listen(engine, "before_cursor_execute", listener)
            try:
                assert client.get(url).status_code == 200
            finally:
                event.remove(engine, "before_cursor_execute", listener)
            counts.setdefault(url, []).append(len(statements))
    assert counts["/school/"][0] == counts["/school/"][1] <= 20, counts
    assert counts["/school/contingent"][0] == counts["/school/contingent"][1] <= 10, counts
