"""Portfolios through the web: the mentors' list, a mentor's portfolio (awards, counts, entries),
entries added with a file checked by content, refused input saving nothing, edits, file removal
and download, deletion; publication entry by entry by the principal only with the consent."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.people.models import Participant
from mentorship.people.publication import give_publication_consent
from mentorship.recognition.models import PortfolioFile, PortfolioItem
from tenants.context import tenant_scope, unscoped
from tests.conftest import csrf_token_from
from tests.support.school import PDF, school_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("blueprints.recognition.portfolio_views.region_today", lambda: TODAY)


@pytest.fixture
def world(app, tree):
    with app.app_context():
        return school_world(tree)


def _client(app, tree, login, who):
    client = app.test_client()
    login(client, tree.emails[who])
    client.post("/auth/language/en", data={"csrf_token": csrf_token_from(client.get("/", follow_redirects=True)),
                                           "next": "/"})
    return client


@pytest.fixture
def curator(app, tree, login):
    return _client(app, tree, login, "r1m1s1.staff")


@pytest.fixture
def principal(app, tree, login):
    return _client(app, tree, login, "r1m1s1.admin")


def _post(client, url, data=None, page=None, **kwargs):
    token = csrf_token_from(client.get(page or url, follow_redirects=True))
    return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)


def _items(app):
    with app.app_context(), unscoped("tests.rows"):
        rows = db.session.scalars(sa.select(PortfolioItem).order_by(PortfolioItem.id)).all()
        result = [(i.id, i.kind, i.title, i.is_public) for i in rows]
        db.session.rollback()
    return result


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_list_and_the_portfolio(app, world, curator):
    html = _text(curator.get("/recognition/portfolios"))
    assert "Иванова Мария Петровна" in html and "Петров Илья" not in html  # mentors only, never mentees
    assert 'id="no-portfolios"' in _text(curator.get("/recognition/portfolios?q=zzz"))
    html = _text(curator.get(f"/recognition/mentors/{world.mentor}/portfolio"))
    assert "Letter of thanks" in html and "Статья о наставничестве" in html
    assert "Pairs and groups led" in html and "Петров Илья" not in html  # the mentees as counts only
    assert "No valid consent to publication" in html


def test_entries_are_added_checked_and_changed(app, world, curator):
    page = f"/recognition/mentors/{world.mentor}/portfolio"
    url = f"{page}/items"
    response = _post(curator, url, {"kind": "file", "title": "Методичка",
                                    "file": (io.BytesIO(PDF), "metodichka.pdf")}, page=page,
                     content_type="multipart/form-data")
    assert response.status_code == 302
    item_id = _items(app)[-1][0]
    download = curator.get(f"/recognition/portfolio-items/{item_id}/file")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    before = _items(app)
    for data, message in (
        ({"kind": "file", "title": "Вирус", "file": (io.BytesIO(b"MZ\x90\x00 exe"), "virus.pdf")},
         "Only PDF, JPEG, PNG, DOCX and XLSX files can be attached."),
        ({"kind": "link", "title": "Ссылка", "url": "javascript:alert(1)"}, "must start with http://"),
        ({"kind": "link", "title": "Ссылка"}, "Enter the address of the link."),
        ({"kind": "achievement", "title": ""}, "This field is required."),
    ):
        response = _post(curator, url, data, page=page, content_type="multipart/form-data")
        assert response.status_code == 200 and message in _text(response), data
    assert _items(app) == before
    edit = f"/recognition/portfolio-items/{item_id}/edit"
    assert "metodichka.pdf" in _text(curator.get(edit))
    response = _post(curator, edit, {"kind": "publication", "title": "Методическое пособие", "remove_file": "y"})
    assert response.status_code == 302
    assert _items(app)[-1][1:3] == ("publication", "Методическое пособие")
    assert curator.get(f"/recognition/portfolio-items/{item_id}/file").status_code == 404
    _post(curator, f"/recognition/portfolio-items/{item_id}/delete", page=edit)
    assert item_id not in [i[0] for i in _items(app)]


def test_publication_entry_by_entry(app, tree, world, curator, principal):
    url = f"/recognition/portfolio-items/{world.portfolio_item}/publish"
    page = f"/recognition/mentors/{world.mentor}/portfolio"
    assert _post(curator, url, {"public": "1"}, page=page).status_code == 403
    _post(principal, url, {"public": "1"}, page=page)
    assert "has not given a valid consent to publication" in _text(principal.get(page))
    assert _items(app)[0][3] is False
    with app.app_context(), tenant_scope(world.org_id, tree.paths["r1m1s1"]):
        give_publication_consent(db.session.get(Participant, world.mentor), given_on=TODAY, scope_note="ФИО",
                                 by_user_id=None, today=TODAY)
        db.session.commit()
    html = _text(principal.get(page))
    assert len(re.findall(r'name="public" value="1"', html)) == 2  # the award and the entry, each on its own
    _post(principal, url, {"public": "1"}, page=page)
    assert _items(app)[0][3] is True
    with app.app_context(), unscoped("tests.file"):
        assert db.session.scalar(sa.select(PortfolioFile.is_public)) is True
    assert "Public now: 1" in _text(principal.get(page))
