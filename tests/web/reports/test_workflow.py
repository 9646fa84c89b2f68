"""Reports through the web, per role: the school fills in, attaches and submits its report;
the municipal body sees its schools' statuses, returns and accepts, and submits its own
consolidated report; the ministry sees the bodies with their schools' counts and decides
on the consolidated reports. The lists keep a constant number of queries."""
from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import gettext
from markupsafe import escape

from core.extensions import db
from mentorship.monitoring.aggregation import aggregate_period
from mentorship.reports.models import Report, ReportAttachment
from mentorship.reports.workflow import ReportError
from tenants.context import unscoped
from tenants.models import AuditEvent, Organization
from tenants.roles import OrgKind
from tenants.tree import create_organization
from tests.conftest import csrf_token_from
from tests.support.monitoring import SchoolFacts, make_period
from tests.support.queries import queries_of_get

REF = date(2026, 12, 20)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 32


def _t(app, text, **kwargs) -> str:
    """``text`` as the page shows it (default language, HTML-escaped like Jinja does)."""
    with app.test_request_context():
        return str(escape(gettext(text, **kwargs)))


def _err(app, code) -> str:
    """The message of ``code`` as the page shows it."""
    with app.test_request_context():
        return str(escape(ReportError(code).message))


def _client(app, login, tree, who):
    client = app.test_client()
    login(client, tree.emails[who])
    return client


def _post(client, url, data=None, page="/reports/", **kwargs):
    token = csrf_token_from(client.get(page, follow_redirects=True))
    return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)


def _html(response) -> str:
    return response.get_data(as_text=True)


def _report(app, tree, key) -> Report:
    with app.app_context(), unscoped("tests.reports"):
        report = db.session.scalar(sa.select(Report).where(Report.org_id == tree.ids[key]))
        db.session.expunge_all()
        return report


@pytest.fixture
def period(app, tree):
    """Region r1's period at 20.12.2026, aggregated and frozen; no reports yet (the lists
    create them lazily)."""
    with app.app_context():
        with SchoolFacts(tree, "r1m1s1") as s:
            s.contingent(2026, pupils_10_19=10, pupils_15_19=4)
            s.pair(s.teacher(), [s.pupil(date(2012, 1, 1)), s.pupil(date(2013, 1, 1))])
        period_id = make_period(tree.ids["r1"], REF)
        assert aggregate_period(period_id)
    return period_id


def test_the_school_fills_in_attaches_and_submits_its_report(app, tree, login, period):
    curator = _client(app, login, tree, "r1m1s1.staff")
    index = _html(curator.get("/reports/"))  # opening the list creates the period's reports
    report = _report(app, tree, "r1m1s1")
    assert f"/reports/{report.id}" in index and "20.12.2026" in index
    url = f"/reports/{report.id}"
    page = _html(curator.get(url))
    assert "Доля детей в возрасте от 10 до 19 лет" in page and "20,0" in page  # 2 of 10 pupils, a decimal comma
    assert 'id="narrative"' in page and 'id="submit-report"' in page

    refused = _post(curator, f"{url}/submit", page=url, follow_redirects=True)
    assert _err(app, "work_done_required") in _html(refused)
    assert _report(app, tree, "r1m1s1").status == "draft"

    too_long = _post(curator, f"{url}/edit", {"work_done": "x" * 20001}, page=url)
    assert too_long.status_code == 200 and _report(app, tree, "r1m1s1").work_done is None
    saved = _post(curator, f"{url}/edit", {"work_done": "Проведено 12 встреч", "problems": "Мало наставников"},
                  page=url)
    assert saved.status_code == 302 and _report(app, tree, "r1m1s1").work_done == "Проведено 12 встреч"

    bad = _post(curator, f"{url}/attachments", {"file": (io.BytesIO(b"plain text"), "otchet.txt")}, page=url,
                content_type="multipart/form-data")
    assert bad.status_code == 200 and _err(app, "type_not_allowed") in _html(bad)
    mismatch = _post(curator, f"{url}/attachments", {"file": (io.BytesIO(PNG), "otchet.pdf")}, page=url,
                     content_type="multipart/form-data")
    assert _err(app, "name_mismatch") in _html(mismatch)
    ok = _post(curator, f"{url}/attachments", {"file": (io.BytesIO(PNG), "foto.png")}, page=url,
               content_type="multipart/form-data")
    assert ok.status_code == 302
    with app.app_context(), unscoped("tests.reports"):
        attachment_id = db.session.scalar(sa.select(ReportAttachment.id).where(ReportAttachment.report_id == report.id))
    download = curator.get(f"{url}/attachments/{attachment_id}")
    assert download.status_code == 200 and download.data == PNG
    assert download.headers["Content-Disposition"].startswith("attachment;")
    with app.app_context(), unscoped("tests.reports"):
        viewed = db.session.execute(sa.select(AuditEvent.org_id, AuditEvent.object_id, AuditEvent.details)
                                    .where(AuditEvent.action == "report.attachment_viewed")).all()
    assert viewed == [(tree.ids["r1m1s1"], str(attachment_id), {"report": report.id})]

    done = _post(curator, f"{url}/submit", page=url, follow_redirects=True)
    assert _t(app, "The report has been submitted.") in _html(done)
    assert _report(app, tree, "r1m1s1").status == "submitted"
    again = _post(curator, f"{url}/submit", page=url, follow_redirects=True)
    assert _err(app, "already_submitted") in _html(again)
    late_edit = _post(curator, f"{url}/edit", {"work_done": "подмена"}, page=url, follow_redirects=True)
    assert _err(app, "not_editable") in _html(late_edit)
    late_delete = _post(curator, f"{url}/attachments/{attachment_id}/delete", page=url, follow_redirects=True)
    assert _err(app, "not_editable") in _html(late_delete)
    after = _report(app, tree, "r1m1s1")
    assert after.work_done == "Проведено 12 встреч" and after.status == "submitted"
    page = _html(curator.get(url))
    assert 'id="narrative"' in page and "<form" not in page.split('id="narrative"')[1].split("</dl>")[0]
    assert 'id="submit-report"' not in page


def test_the_municipal_body_reviews_its_schools_reports(app, tree, login, period):
    school = _client(app, login, tree, "r1m1s1.admin")
    school.get("/reports/")
    report = _report(app, tree, "r1m1s1")
    url = f"/reports/{report.id}"
    _post(school, f"{url}/edit", {"work_done": "Встречи"}, page=url)
    _post(school, f"{url}/submit", page=url)

    body = _client(app, login, tree, "r1m1.staff")
    index = _html(body.get("/reports/"))
    assert "Школа 1.1.1" in index and "Школа 1.1.2" in index and "Школа 1.2.1" not in index
    assert 'data-state="submitted"' in index and 'data-state="not_submitted"' in index
    only_open = _html(body.get(f"/reports/?period={period}&state=not_submitted"))
    assert "Школа 1.1.2" in only_open and "Школа 1.1.1" not in only_open
    assert "Школа 1.1.1" in _html(body.get("/reports/?q=1.1.1")) and "Школа 1.1.2" not in _html(
        body.get("/reports/?q=1.1.1"))

    page = _html(body.get(url))
    assert 'id="decide"' in page and 'id="narrative"' in page and "Встречи" in page
    no_comment = _post(body, f"{url}/decide", {"decision": "return", "comment": ""}, page=url)
    assert no_comment.status_code == 200 and _err(app, "comment_required") in _html(no_comment)
    assert _report(app, tree, "r1m1s1").status == "submitted"
    assert _post(body, f"{url}/edit", {"work_done": "чужая правка"}, page=url).status_code == 403
    returned = _post(body, f"{url}/decide", {"decision": "return", "comment": "Опишите проблемы"}, page=url)
    assert returned.status_code == 302 and _report(app, tree, "r1m1s1").status == "returned"

    page = _html(school.get(url))
    assert "Опишите проблемы" in page and 'id="narrative"' in page and "<textarea" in page
    _post(school, f"{url}/edit", {"work_done": "Встречи", "problems": "Нет времени"}, page=url)
    _post(school, f"{url}/submit", page=url)
    assert _post(body, f"{url}/decide", {"decision": "accept"}, page=url).status_code == 302
    assert _report(app, tree, "r1m1s1").status == "accepted"
    history = _html(body.get(url)).split('id="history"')[1]
    assert history.count("<li>") == 4 and "Опишите проблемы" in history

    # The ministry reads the school's report but does not decide on it.
    ministry = _client(app, login, tree, "r1.admin")
    assert ministry.get(url).status_code == 200
    assert _post(ministry, f"{url}/decide", {"decision": "return", "comment": "x"}, page=url).status_code == 403


def test_the_municipal_body_submits_its_consolidated_report_and_the_ministry_decides(app, tree, login, period):
    body = _client(app, login, tree, "r1m1.admin")
    index = _html(body.get("/reports/"))
    own = _report(app, tree, "r1m1")
    assert f"/reports/{own.id}" in index and 'id="own-report"' in index
    url = f"/reports/{own.id}"
    page = _html(body.get(url))
    assert 'id="schools"' in page and 'id="lagging"' in page  # no school has submitted
    assert "Школа 1.1.1" in page.split('id="lagging"')[1].split("</div>")[0]
    assert "20,0" in page.split('id="schools"')[1]  # the school's figure in the table
    _post(body, f"{url}/edit", {"work_done": "Сводный отчёт"}, page=url)
    done = _post(body, f"{url}/submit", page=url, follow_redirects=True)  # warned, not blocked
    assert _t(app, "The report has been submitted.") in _html(done)

    ministry = _client(app, login, tree, "r1.staff")  # the analyst
    index = _html(ministry.get("/reports/"))
    assert "Управление 1.1" in index and "Управление 1.2" in index and "Управление 2.1" not in index
    row = index.split(f'data-org="{tree.ids["r1m1"]}"')[1].split("</tr>")[0]
    assert 'data-state="submitted"' in row and "0 / 2" in row
    returned = _post(ministry, f"{url}/decide", {"decision": "return", "comment": "Добавьте планы"}, page=url)
    assert returned.status_code == 302 and _report(app, tree, "r1m1").status == "returned"
    school = _client(app, login, tree, "r1m1s1.admin")
    assert school.get(url).status_code == 404  # the body's report is not the school's business


def test_the_ministry_sees_how_many_schools_of_each_body_submitted(app, tree, login, period):
    for key in ("r1m1s1", "r1m1s2", "r1m2s1"):
        client = _client(app, login, tree, f"{key}.admin")
        client.get("/reports/")
        url = f"/reports/{_report(app, tree, key).id}"
        _post(client, f"{url}/edit", {"work_done": "Встречи"}, page=url)
        _post(client, f"{url}/submit", page=url)
    ministry = _client(app, login, tree, "r1.admin")
    index = _html(ministry.get("/reports/"))
    for key, expected in (("r1m1", "2 / 2"), ("r1m2", "1 / 2")):
        row = index.split(f'data-org="{tree.ids[key]}"')[1].split("</tr>")[0]
        assert expected in row and 'data-state="not_submitted"' in row


def test_a_school_without_reports_is_told_so(app, tree, login):
    html = _html(_client(app, login, tree, "r1m1s1.admin").get("/reports/"))
    assert 'id="no-reports"' in html
    assert 'id="no-reports"' in _html(_client(app, login, tree, "r1m1.admin").get("/reports/"))


# -- constant query counts -------------------------------------------------------------------------

def _add_orgs(app, tree, schools: int, bodies: int) -> None:
    """``schools`` more schools under r1m1 and ``bodies`` more bodies (one school each) under r1."""
    with app.app_context(), unscoped("tests.tree"):
        parent = db.session.get(Organization, tree.ids["r1m1"])
        for i in range(schools):
            create_organization(kind=OrgKind.SCHOOL, name=f"Школа доп. {i:04d}", parent=parent, school_type="school")
        region = db.session.get(Organization, tree.ids["r1"])
        for i in range(bodies):
            muni = create_organization(kind=OrgKind.MUNICIPALITY, name=f"Управление доп. {i:04d}", parent=region)
            create_organization(kind=OrgKind.SCHOOL, name=f"Школа упр. {i:04d}", parent=muni, school_type="school")
        db.session.commit()


def _counts(app, tree, login, period) -> dict[str, int]:
    body = _client(app, login, tree, "r1m1.admin")
    ministry = _client(app, login, tree, "r1.admin")
    body.get("/reports/")  # the lazy creation of missing reports happens once, here
    urls = {"body": (body, "/reports/"), "body-filtered": (body, f"/reports/?period={period}&state=not_submitted"),
            "ministry": (ministry, "/reports/"), "ministry-search": (ministry, "/reports/?q=Управление"),
            "body-report": (body, f"/reports/{_report(app, tree, 'r1m1').id}")}
    return {name: queries_of_get(app, client, url) for name, (client, url) in urls.items()}


def test_the_lists_issue_the_same_queries_for_10_and_200_schools(app, tree, login, period):
    """200 rather than 1,000 organisations: creating each through the tree service is slow,
    and the pages (20 rows each) already span several pages at 200."""
    _add_orgs(app, tree, schools=8, bodies=8)
    small = _counts(app, tree, login, period)
    _add_orgs(app, tree, schools=190, bodies=190)
    large = _counts(app, tree, login, period)
    assert small == large
    with app.app_context(), unscoped("tests.reports"):
        # every school and body of r1 got its report, lazily
        assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 6 + 3 * 198
