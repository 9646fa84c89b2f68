"""The public pages through the test client, as an anonymous visitor: what is shown (published
only), 404s, the caching headers and conditional GET, no cookie, feeds, sitemap and robots.txt,
the version for the visually impaired, and no pupil's data anywhere."""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from PIL import Image

from core.extensions import db
from mentorship.pairing.models import Mentorship, MentorshipMentee
from tests.support.school import make_mentee, make_mentor, make_programme
from tests.unit.public.world import (
    TODAY,
    add_news,
    as_org,
    gps_jpeg,
    page_url,
    publish_page,
    school_site,
    slugs,
)

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def site(app, tree):
    with app.app_context():
        return school_site(tree)


def _url(app, tree, key="r1m1s1", tail=""):
    with app.app_context():
        return page_url(tree, key, tail)


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_a_visitor_sees_the_published_page_and_nothing_else(app, tree, client, site):
    response = client.get(_url(app, tree))
    assert response.status_code == 200
    html = _text(response)
    assert "Наставничество в нашей школе." in html
    assert "День наставника" in html and "Положение о наставничестве" in html and "Школа молодого педагога" in html
    assert "Черновик новости" not in html and "Черновой документ" not in html and "Черновая практика" not in html
    assert "г. Энск, ул. Школьная, 1" in html and 'href="mailto:school@example.ru"' in html
    assert "csrf_token" not in html


def test_the_page_is_cacheable_and_sets_no_cookie(app, tree, client, site):
    response = client.get(_url(app, tree))
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in response.headers["Vary"]
    assert response.headers.get("ETag") and response.headers.get("Last-Modified")
    assert "Set-Cookie" not in response.headers


def test_a_conditional_get_with_the_etag_is_answered_304_until_something_changes(app, tree, client, site):
    url = _url(app, tree)
    first = client.get(url)
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == "public, max-age=300"
    with app.app_context():
        add_news(tree, title="Новая новость")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag and "Новая новость" in _text(changed)


def test_a_signed_in_visitor_gets_a_private_copy(app, tree, client, login, site):
    login(client, tree.emails["r1m1s2.admin"])
    response = client.get(_url(app, tree))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_title_description_and_open_graph(app, tree, client, site):
    html = _text(client.get(_url(app, tree)))
    assert re.search(r"<title>[^<]*Школа 1\.1\.1[^<]*</title>", html)
    assert '<meta name="description" content="Наставничество в нашей школе.">' in html
    assert '<meta property="og:title"' in html and '<meta property="og:url" content="http://nastavnik.test/p/' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'type="application/atom+xml"' in html


def test_unknown_unpublished_and_foreign_addresses_are_404(app, tree, client, site):
    with app.app_context():
        region, school = slugs(tree, "r1m1s1")
        other_region, other_school = slugs(tree, "r2m1s1")
        publish_page(tree, "r2m1s1")
        publish_page(tree, "r1m1s2", publish=False)
        _region, unpublished = slugs(tree, "r1m1s2")
        elsewhere = add_news(tree, "r1m1s2", title="Новость соседней школы")
    for url in [
        "/p/no-such-region/", f"/p/{region}/no-such-school/", f"/p/{region}/{unpublished}/",
        f"/p/{region}/{other_school}/",  # another region's school under this region
        f"/p/{other_region}/{school}/",
        f"/p/{region}/{school}/news/{site.draft_news}", f"/p/{region}/{school}/news/{elsewhere}",
        f"/p/{region}/{school}/news/999999", f"/p/{region}/{school}/practices/{site.draft_practice}",
        f"/p/{region}/{school}/documents/{site.draft_document}/polozhenie.pdf",
        f"/p/{region}/{unpublished}/news.atom", f"/p/{region}/{school}/honour/1/photo",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Set-Cookie" not in response.headers, url
    assert client.get(f"/p/{other_region}/{other_school}/").status_code == 200


def test_unpublishing_takes_effect_at_once(app, tree, client, site):
    from mentorship.public.pages import unpublish_page
    from tests.unit.public.world import org_of

    url = _url(app, tree)
    etag = client.get(url).headers["ETag"]
    with app.app_context(), as_org(tree, "r1m1s1"):
        unpublish_page(org_of(tree, "r1m1s1"))
        db.session.commit()
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 404
    assert client.get(url + f"news/{site.news}").status_code == 404
    assert client.get(url + "news.atom").status_code == 404


def test_news_list_item_picture_practice_and_document(app, tree, client, site):
    with app.app_context():
        with_picture = add_news(tree, title="С фотографией", picture=("photo.jpg", gps_jpeg()))
    base = _url(app, tree)
    listing = _text(client.get(base + "news/"))
    assert "С фотографией" in listing and "День наставника" in listing and "Черновик новости" not in listing
    item = client.get(base + f"news/{with_picture}")
    assert item.status_code == 200 and 'property="og:type" content="article"' in _text(item)
    assert f'property="og:image" content="http://nastavnik.test{base}news/{with_picture}/picture"' in _text(item)
    picture = client.get(base + f"news/{with_picture}/picture")
    assert picture.status_code == 200 and picture.mimetype == "image/jpeg"
    assert not Image.open(io.BytesIO(picture.data)).getexif() and b"Secret Camera" not in picture.data
    again = client.get(base + f"news/{with_picture}/picture", headers={"If-None-Match": picture.headers["ETag"]})
    assert again.status_code == 304
    assert "Кратко о практике." in _text(client.get(base + f"practices/{site.practice}"))
    document = client.get(base + f"documents/{site.document}/polozhenie.pdf")
    assert document.status_code == 200 and document.data.startswith(b"%PDF")
    assert "attachment" in document.headers["Content-Disposition"]
    renamed = client.get(base + f"documents/{site.document}/other-name.pdf")
    assert renamed.status_code == 301 and renamed.headers["Location"].endswith("/polozhenie.pdf")


def test_feeds_list_published_news(app, tree, client, site):
    base = _url(app, tree)
    atom = client.get(base + "news.atom")
    assert atom.status_code == 200 and atom.mimetype == "application/atom+xml"
    root = ET.fromstring(atom.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == ["День наставника"]
    assert client.get(base + "news.atom", headers={"If-None-Match": atom.headers["ETag"]}).status_code == 304
    rss = client.get(base + "news.rss")
    assert rss.status_code == 200 and rss.mimetype == "application/rss+xml"
    assert [i.findtext("title") for i in ET.fromstring(rss.data).iter("item")] == ["День наставника"]
    assert "Черновик" not in rss.get_data(as_text=True)


def test_sitemap_and_robots(app, tree, client, site):
    with app.app_context():
        region, school = slugs(tree, "r1m1s1")
    sitemap = client.get(f"/p/{region}/sitemap.xml")
    assert sitemap.status_code == 200 and sitemap.mimetype == "application/xml"
    locations = [e.text for e in ET.fromstring(sitemap.data).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"http://nastavnik.test/p/{region}/{school}/" in locations
    assert f"http://nastavnik.test/p/{region}/{school}/news/{site.news}" in locations
    assert not any(f"/news/{site.draft_news}" in url for url in locations)
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots.mimetype == "text/plain"
    assert "Allow: /p/" in robots.get_data(as_text=True)
    assert f"Sitemap: http://nastavnik.test/p/{region}/sitemap.xml" in robots.get_data(as_text=True)


def test_the_region_and_body_pages_list_published_pages(app, tree, client, site):
    with app.app_context():
        publish_page(tree, "r1m1", intro="Управление о наставничестве.")
        publish_page(tree, "r1m2s1", publish=False)
        _region, body = slugs(tree, "r1m1")
    region_page = _text(client.get(_url(app, tree, "r1")))
    assert f'href="/p/{_region}/{body}/"' in region_page and "Школа 1.1.1" in region_page
    assert "Школа 1.2.1" not in region_page
    body_page = client.get(_url(app, tree, "r1m1"))
    assert body_page.status_code == 200
    assert "Управление о наставничестве." in _text(body_page) and "Школа 1.1.1" in _text(body_page)
    assert client.get(_url(app, tree, "r2")).status_code == 404  # nothing of region 2 is published
    with app.app_context():
        ministry_slug = slugs(tree, "r1")[0]
        publish_page(tree, "r1", intro="Министерство о наставничестве.")
    assert client.get(f"/p/{ministry_slug}/{ministry_slug}/").status_code == 301
    assert "Министерство о наставничестве." in _text(client.get(f"/p/{ministry_slug}/"))


def test_the_version_for_the_visually_impaired_is_a_cookie_rendered_on_html(app, tree, client, site):
    url = _url(app, tree)
    ordinary = client.get(url)
    assert '<html lang="ru">' in _text(ordinary) and 'id="a11y-toggle"' in _text(ordinary)
    switched = client.get("/p/accessibility", query_string={"on": "1", "next": url})
    assert switched.status_code == 303 and switched.headers["Location"].endswith(url)
    cookie = switched.headers["Set-Cookie"]
    assert cookie.startswith("nastavnik_a11y=2.bw.i.1") and "HttpOnly" in cookie and "Path=/p" in cookie
    page = client.get(url)
    html = _text(page)
    assert '<html lang="ru" class="a11y a11y-size-2 a11y-scheme-bw a11y-spacing-1">' in html
    assert 'id="a11y-panel"' in html and page.headers["ETag"] != ordinary.headers["ETag"]
    assert "Set-Cookie" not in page.headers
    client.get("/p/accessibility", query_string={"size": "3", "scheme": "blue", "images": "off", "spacing": "3",
                                                 "next": url})
    html = _text(client.get(url + "news/"))  # kept on the next page
    assert 'class="a11y a11y-size-3 a11y-scheme-blue a11y-spacing-3 a11y-no-images"' in html
    off = client.get("/p/accessibility", query_string={"off": "1", "next": url})
    assert "nastavnik_a11y=;" in off.headers["Set-Cookie"]
    assert '<html lang="ru">' in _text(client.get(url))


def test_images_off_shows_their_descriptions_instead(app, tree, client, site):
    with app.app_context():
        with_picture = add_news(tree, title="С фотографией", picture=("photo.jpg", gps_jpeg()))
    url = _url(app, tree, tail=f"news/{with_picture}")
    assert "<img " in _text(client.get(url))
    client.get("/p/accessibility", query_string={"images": "off", "next": url})
    html = _text(client.get(url))
    assert "<img " not in html and "Наставник и наставляемый" in html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/p/", "/auth/login", "/p/\\evil"])
def test_the_toggle_goes_back_to_public_pages_only(client, app, target):
    response = client.get("/p/accessibility", query_string={"on": "1", "next": target})
    assert response.status_code == 303 and response.headers["Location"].endswith("/p/accessibility/help")


def test_no_pupils_data_on_any_page_or_feed(app, tree, client, site):
    with app.app_context(), as_org(tree, "r1m1s1"):
        school = tree.ids["r1m1s1"]
        programme = make_programme(school)
        mentor = make_mentor(school, "Наставникова Анна Петровна")
        pupil = make_mentee(school, "Ученикова Мария Ивановна", birth_date=date(2012, 2, 3))
        pair = Mentorship(org_id=school, programme_id=programme.id, form_code="teacher_pupil", mentor_id=mentor.id,
                          status="active", started_on=TODAY)
        pair.members = [MentorshipMentee(org_id=school, participant_id=pupil.id)]
        db.session.add(pair)
        db.session.commit()
    with app.app_context():
        publish_page(tree)  # counts snapshotted again
        region, _school = slugs(tree, "r1m1s1")
    base = _url(app, tree)
    pages = [base, base + "news/", base + f"news/{site.news}", base + "news.atom", base + "news.rss",
             f"/p/{region}/", f"/p/{region}/sitemap.xml"]
    for url in pages:
        text = _text(client.get(url))
        assert "Ученикова" not in text and "Мария" not in text and "2012" not in text, url
        assert "Наставникова" not in text, url  # no consent to publication: not named either
    assert re.search(r'figure-value">1</span>', _text(client.get(base)))


def test_published_contest_results_appear_on_the_organisers_and_the_winners_school_pages(app, tree, client, site):
    from tests.unit.public.world import consenting_mentor, published_contest

    with app.app_context():
        publish_page(tree, "r1m1")
        winner = consenting_mentor(tree, "r1m1s1", "Смирнова Ольга Ивановна")
        contest = published_contest(tree, "r1m1", [("r1m1s1", winner, "Смирнова Ольга Ивановна")],
                                    title="Лучший педагог-наставник 2026")
        region, body = slugs(tree, "r1m1")
    body_page = client.get(_url(app, tree, "r1m1")).get_data(as_text=True)
    assert "Лучший педагог-наставник 2026" in body_page and "Смирнова Ольга Ивановна" in body_page
    assert f'href="/p/{region}/{body}/contests/{contest}/rules"' in body_page
    rules = client.get(f"/p/{region}/{body}/contests/{contest}/rules")
    assert rules.status_code == 200 and rules.data.startswith(b"%PDF")
    school_page = client.get(_url(app, tree)).get_data(as_text=True)
    assert "Лучший педагог-наставник 2026" in school_page and "Смирнова Ольга Ивановна" in school_page
