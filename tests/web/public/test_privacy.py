"""Privacy on the public pages: a mentor appears only with a valid consent to publication; a
withdrawal removes them from every page and feed at once (no cached copy is revalidated); a
card's photo is served re-encoded, without its EXIF location."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.unit.public.world import (
    add_news,
    consenting_mentor,
    honour_card,
    page_url,
    school_site,
    slugs,
    withdraw_consent,
)

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def board(app, tree):
    with app.app_context():
        site = school_site(tree)
        shown = consenting_mentor(tree, "r1m1s1", "Смирнова Ольга Ивановна")
        hidden = consenting_mentor(tree, "r1m1s1", "Кузнецов Пётр Ильич", consent=False)
        card = honour_card(tree, "r1m1s1", shown)
        unpublished = honour_card(tree, "r1m1s1", hidden, publish=False)
        return site, shown, hidden, card, unpublished


def test_the_board_shows_consenting_published_mentors_only(app, tree, client, board):
    _site, _shown, _hidden, card, unpublished = board
    with app.app_context():
        url = page_url(tree, "r1m1s1")
    html = client.get(url).get_data(as_text=True)
    assert "Смирнова Ольга Ивановна" in html and "учитель математики" in html
    assert "Победитель конкурса «Лучший педагог-наставник»" in html
    assert "Кузнецов" not in html
    assert f'data-card="{card}"' in html and f'data-card="{unpublished}"' not in html
    photo = client.get(url + f"honour/{card}/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(photo.data))
    assert not image.getexif() and b"Secret Camera" not in photo.data
    assert client.get(url + f"honour/{unpublished}/photo").status_code == 404


def test_a_withdrawal_removes_the_mentor_from_every_page_at_once(app, tree, client, board):
    _site, shown, _hidden, card, _unpublished = board
    with app.app_context():
        url = page_url(tree, "r1m1s1")
        region, _school = slugs(tree, "r1m1s1")
        add_news(tree, title="Новость о школе")
    urls = [url, url + "news/", url + "news.atom", url + "news.rss", f"/p/{region}/", f"/p/{region}/sitemap.xml"]
    before = {u: client.get(u) for u in urls}
    assert "Смирнова" in before[url].get_data(as_text=True)
    with app.app_context():
        withdraw_consent(tree, "r1m1s1", shown)
    for u in urls:
        response = client.get(u, headers={"If-None-Match": before[u].headers["ETag"]})
        if u == url:  # the page that showed the mentor is never answered "not modified"
            assert response.status_code == 200 and response.headers["ETag"] != before[u].headers["ETag"]
        assert "Смирнова" not in response.get_data(as_text=True), u
    assert client.get(url + f"honour/{card}/photo").status_code == 404
