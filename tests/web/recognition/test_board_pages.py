"""The board of honour and the consent to publication through the web: a new card with a photo
(stored re-encoded, EXIF gone), refusals, publication by the principal only with the consent
(given on the participant's consent page), the public preview, and withdrawal of the consent
taking the card, the entries and the awards off the public pages at once."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from PIL import Image

from core.extensions import db
from mentorship.people.models import PublicationConsent
from mentorship.recognition.models import Award, HonourCard
from tenants.context import tenant_scope, unscoped
from tests.conftest import csrf_token_from
from tests.support.school import make_mentor, school_world
from tests.unit.recognition.test_board import photo_with_exif

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    for module in ("blueprints.recognition.board_views", "blueprints.recognition.award_views",
                   "blueprints.people.publication_views"):
        monkeypatch.setattr(f"{module}.region_today", lambda: TODAY)


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


def _cards(app):
    with app.app_context(), unscoped("tests.rows"):
        rows = db.session.execute(sa.select(HonourCard.id, HonourCard.display_name, HonourCard.is_public,
                                            HonourCard.photo_data).order_by(HonourCard.id)).all()
        db.session.rollback()
    return rows


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_a_new_card_with_a_photo_stripped_of_its_exif(app, tree, world, curator):
    with app.app_context(), tenant_scope(world.org_id, tree.paths["r1m1s1"]):
        other = make_mentor(world.org_id, "Смирнов Олег", class_or_position="учитель физики").id
        db.session.commit()
    form = _text(curator.get(f"/recognition/board/new?participant_id={other}"))
    assert 'value="Смирнов Олег"' in form and 'value="учитель физики"' in form
    assert f'value="{world.mentee}"' not in form  # a pupil never gets a card
    response = _post(curator, "/recognition/board/new", {
        "participant_id": other, "display_name": "Смирнов Олег", "position": "учитель физики",
        "achievements": "Победитель конкурса", "sort_order": "1", "photo": (io.BytesIO(photo_with_exif()), "me.jpg"),
    }, page="/recognition/board/new", content_type="multipart/form-data")
    assert response.status_code == 302
    card = _cards(app)[-1]
    assert card.display_name == "Смирнов Олег" and card.is_public is False
    assert b"SecretCamMaker" not in card.photo_data and not dict(Image.open(io.BytesIO(card.photo_data)).getexif())
    photo = curator.get(f"/recognition/board/{card.id}/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg" and photo.data == card.photo_data
    # refusals save nothing
    before = _cards(app)
    for data, message in (
        ({"participant_id": other, "display_name": "Ещё раз"}, "Not a valid choice"),  # has a card: not offered
        ({"participant_id": "", "display_name": "Никто"}, "There is no such mentor"),
    ):
        response = _post(curator, "/recognition/board/new", data, page="/recognition/board/new")
        assert response.status_code == 200 and message in _text(response), data
    edit = f"/recognition/board/{world.honour_card}/edit"
    response = _post(curator, edit, {"display_name": "Иванова М. П.",
                                     "photo": (io.BytesIO(b"GIF89a not really"), "x.gif")},
                     content_type="multipart/form-data")
    assert response.status_code == 200 and "The photo" in _text(response)
    assert _cards(app) == before


def test_consent_publication_preview_and_withdrawal(app, tree, world, curator, principal):
    publish = f"/recognition/board/{world.honour_card}/publish"
    assert _post(curator, publish, {"public": "1"}, page="/recognition/board").status_code == 403
    _post(principal, publish, {"public": "1"}, page="/recognition/board")
    assert _cards(app)[0].is_public is False
    assert "has not given a valid consent to publication" in _text(principal.get("/recognition/board"))

    # the consent to publication, from the participant's card
    card_page = _text(curator.get(f"/school/participants/{world.mentor}"))
    assert f"/school/participants/{world.mentor}/publication" in card_page
    consent_page = f"/school/participants/{world.mentor}/publication"
    assert 'id="no-publication-consents"' in _text(curator.get(consent_page))
    refused = _post(curator, consent_page, {"given_on": "2026-12-01", "scope_note": "ФИО"})
    assert refused.status_code == 200 and "in the future" in _text(refused)
    assert _post(curator, consent_page, {"given_on": "2026-11-20", "scope_note": "ФИО, фото"}).status_code == 302
    assert "valid" in _text(curator.get(consent_page))

    # published: the preview shows exactly what the public pages show
    assert _post(principal, publish, {"public": "1"}, page="/recognition/board").status_code == 302
    _post(principal, f"/recognition/awards/{world.award}/publish", {"public": "1"}, page="/recognition/awards")
    assert _cards(app)[0].is_public is True
    preview = _text(principal.get("/recognition/board/preview"))
    assert "Иванова Мария Петровна" in preview and "учитель математики" in preview

    # withdrawn: off every public page at once
    response = _post(curator, f"{consent_page}/withdraw", {"withdrawn_on": "2026-11-22", "reason": "отозвала"},
                     page=consent_page)
    assert response.status_code == 302
    assert "no longer shown on any public page" in _text(curator.get(consent_page))
    assert _cards(app)[0].is_public is False
    with app.app_context(), unscoped("tests.rows"):
        assert db.session.scalar(sa.select(Award.is_public).where(Award.id == world.award)) is False
        assert db.session.scalar(sa.select(PublicationConsent.withdrawn_on)) == date(2026, 11, 22)
    assert 'id="no-public-cards"' in _text(principal.get("/recognition/board/preview"))
    # nothing to withdraw twice
    again = _post(curator, f"{consent_page}/withdraw", {"withdrawn_on": "2026-11-22"}, page=consent_page)
    assert again.status_code == 302


def test_the_board_list_and_deletion(app, world, curator, principal):
    html = _text(curator.get("/recognition/board"))
    assert "Иванова Мария Петровна" in html and "not public" in html
    assert 'id="no-cards"' in _text(curator.get("/recognition/board?q=zzz"))
    assert _post(curator, f"/recognition/board/{world.honour_card}/delete", page="/recognition/board").status_code == 403
    _post(principal, f"/recognition/board/{world.honour_card}/delete", page="/recognition/board")
    assert _cards(app) == []
    assert re.search(r'id="no-cards"', _text(principal.get("/recognition/board")))
