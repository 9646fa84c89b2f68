"""The editor of the public page (/site) through the web: admins only; texts, news with a
picture, documents (uploads, the approved roadmap), practices; drafts until published; the
preview shows drafts marked; publishing and taking down take effect at once."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from mentorship.public.models import NewsItem, PublicDocument, PublicPage
from tests.conftest import csrf_token_from
from tests.support.ministry import rows_of, signed_in
from tests.support.roadmaps import make_roadmap
from tests.support.school import PDF, PNG
from tests.unit.public.world import gps_jpeg, page_url

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def principal(app, tree, login):
    return signed_in(app, login, tree, "r1m1s1.admin")


def _post(client, url, data, page=None, **kwargs):
    token = csrf_token_from(client.get(page or url))
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def _page_data(**extra):
    return {"intro": "Наставничество в **нашей** школе.", "programme_text": "", "address": "ул. Школьная, 1",
            "phone": "+7 900 000-00-01", "email": "school@example.ru", "website": "https://school1.ru",
            "contacts_note": "", **extra}


def test_only_the_organisations_admins_edit(app, tree, login):
    curator = signed_in(app, login, tree, "r1m1s1.staff")
    assert curator.get("/site/").status_code == 403
    assert curator.get("/site/news").status_code == 403
    assert app.test_client().get("/site/").status_code == 302  # to the sign-in page


def test_the_page_is_written_previewed_and_published(app, tree, principal, client):
    saved = _post(principal, "/site/page", _page_data())
    assert saved.status_code == 302
    with app.app_context():
        url = page_url(tree, "r1m1s1")
    assert client.get(url).status_code == 404  # saved, not yet published
    preview = principal.get("/site/preview")
    assert preview.status_code == 200 and "Наставничество в <strong>нашей</strong> школе." in preview.get_data(True)
    assert '<meta name="robots" content="noindex, nofollow">' in preview.get_data(True)
    assert _post(principal, "/site/publish", {}, page="/site/").status_code == 302
    public = client.get(url)
    assert public.status_code == 200 and "ул. Школьная, 1" in public.get_data(True)
    assert _post(principal, "/site/unpublish", {}, page="/site/").status_code == 302
    assert client.get(url).status_code == 404


def test_bad_page_fields_are_shown_beside_them(app, principal):
    response = _post(principal, "/site/page", _page_data(email="not-an-address", website="school1.ru"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="email-errors"' in html and 'id="website-errors"' in html
    assert rows_of(app, PublicPage) == []


def test_a_news_item_with_a_picture_is_a_draft_until_published(app, tree, principal, client):
    _post(principal, "/site/page", _page_data())
    _post(principal, "/site/publish", {}, page="/site/")
    token = csrf_token_from(principal.get("/site/news/new"))
    created = principal.post("/site/news/new", data={
        "csrf_token": token, "title": "День наставника", "published_on": "2026-11-20",
        "text": "Текст <script>alert(1)</script> новости", "picture_alt": "Наставник и ученик",
        "picture": (io.BytesIO(gps_jpeg()), "photo.jpg"),
    }, content_type="multipart/form-data")
    assert created.status_code == 302
    item_id = int(re.search(r"/site/news/(\d+)/edit", created.headers["Location"]).group(1))
    with app.app_context():
        url = page_url(tree, "r1m1s1")
    assert "День наставника" not in client.get(url).get_data(as_text=True)
    preview = principal.get(f"/site/news/{item_id}/preview").get_data(as_text=True)
    assert "День наставника" in preview and "<script>" not in preview and "text-bg-warning" in preview
    picture = principal.get(f"/site/news/{item_id}/picture")
    assert picture.status_code == 200 and not Image.open(io.BytesIO(picture.data)).getexif()
    assert _post(principal, f"/site/news/{item_id}/publish", {}, page=f"/site/news/{item_id}/edit").status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "День наставника" in page and "<script>" not in page
    item = client.get(url + f"news/{item_id}").get_data(as_text=True)
    assert "alert(1)" not in item and "Текст" in item
    assert _post(principal, f"/site/news/{item_id}/unpublish", {}, page=f"/site/news/{item_id}/edit").status_code == 302
    assert client.get(url + f"news/{item_id}").status_code == 404
    assert _post(principal, f"/site/news/{item_id}/delete", {}, page=f"/site/news/{item_id}/edit").status_code == 302
    assert rows_of(app, NewsItem) == []


def test_a_news_item_without_a_title_or_with_a_bad_picture_is_refused(app, principal):
    token = csrf_token_from(principal.get("/site/news/new"))
    response = principal.post("/site/news/new", data={
        "csrf_token": token, "title": "", "published_on": "2026-11-20", "text": "Текст",
        "picture": (io.BytesIO(PDF), "photo.jpg"),
    }, content_type="multipart/form-data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="title-errors"' in html and 'id="picture-errors"' in html
    assert rows_of(app, NewsItem) == []


def test_documents_are_uploaded_checked_and_published(app, tree, principal, client):
    _post(principal, "/site/page", _page_data())
    _post(principal, "/site/publish", {}, page="/site/")
    refused = principal.post("/site/documents/new", data={
        "csrf_token": csrf_token_from(principal.get("/site/documents/new")), "title": "Фото",
        "category": "regulation", "file": (io.BytesIO(PNG), "photo.png")}, content_type="multipart/form-data")
    assert refused.status_code == 200 and 'id="file-errors"' in refused.get_data(as_text=True)
    added = principal.post("/site/documents/new", data={
        "csrf_token": csrf_token_from(principal.get("/site/documents/new")), "title": "Положение о наставничестве",
        "category": "regulation", "file": (io.BytesIO(PDF), "polozhenie.pdf")}, content_type="multipart/form-data")
    assert added.status_code == 302
    [document] = rows_of(app, PublicDocument)
    assert not document.is_public
    listing = principal.get("/site/documents").get_data(as_text=True)
    assert "Положение о наставничестве" in listing
    assert principal.get(f"/site/documents/{document.id}/download").data.startswith(b"%PDF")
    _post(principal, f"/site/documents/{document.id}/publish", {}, page="/site/documents")
    with app.app_context():
        url = page_url(tree, "r1m1s1")
    assert client.get(url + f"documents/{document.id}/polozhenie.pdf").status_code == 200
    _post(principal, f"/site/documents/{document.id}/edit", {"title": "Положение (ред. 2)", "category": "regulation"})
    assert "Положение (ред. 2)" in client.get(url).get_data(as_text=True)


def test_the_approved_roadmap_is_offered_and_snapshotted(app, tree, principal):
    with app.app_context():
        make_roadmap(tree.ids["r1m1s1"], ["сентябрь 2023"], status="draft", title="Черновик карты")
        approved = make_roadmap(tree.ids["r1m1s1"], ["сентябрь 2023"], status="approved", title="Утверждённая карта")
    form = principal.get("/site/documents/from-roadmap").get_data(as_text=True)
    assert "Утверждённая карта" in form and "Черновик карты" not in form
    response = _post(principal, "/site/documents/from-roadmap", {"title": "Дорожная карта", "source": approved.id})
    assert response.status_code == 302
    [document] = rows_of(app, PublicDocument)
    assert (document.kind, document.category, document.source_id) == ("roadmap", "roadmap", approved.id)


def test_a_body_may_publish_reports_but_not_award_orders(app, tree, login):
    coordinator = signed_in(app, login, tree, "r1m1.admin")
    listing = coordinator.get("/site/documents").get_data(as_text=True)
    assert "/site/documents/from-report" in listing and "/site/documents/from-order" not in listing
    assert coordinator.get("/site/documents/from-order").status_code == 404
    assert coordinator.get("/site/documents/from-report").status_code == 200


def test_practices_are_written_and_published(app, tree, principal, client):
    _post(principal, "/site/page", _page_data())
    _post(principal, "/site/publish", {}, page="/site/")
    created = _post(principal, "/site/practices/new", {"title": "Школа молодого педагога", "summary": "Кратко",
                                                       "text": "Подробно о практике."})
    practice_id = int(re.search(r"/site/practices/(\d+)/edit", created.headers["Location"]).group(1))
    with app.app_context():
        url = page_url(tree, "r1m1s1")
    assert client.get(url + f"practices/{practice_id}").status_code == 404
    _post(principal, f"/site/practices/{practice_id}/publish", {}, page=f"/site/practices/{practice_id}/edit")
    assert "Подробно о практике." in client.get(url + f"practices/{practice_id}").get_data(as_text=True)
    assert "Школа молодого педагога" in principal.get("/site/practices").get_data(as_text=True)
    assert "Школа молодого педагога" in principal.get("/site/practices?q=молод").get_data(as_text=True)
    assert "Школа молодого педагога" not in principal.get("/site/practices?q=zzz").get_data(as_text=True)


def test_the_overview_counts_published_and_all(app, principal):
    _post(principal, "/site/page", _page_data())
    page = principal.get("/site/")
    assert page.status_code == 200 and 'id="page-status"' in page.get_data(as_text=True)


@pytest.mark.parametrize("who", ["r1.admin", "r1m1.admin"])
def test_a_body_and_the_ministry_preview_their_pages_with_the_schools_below(app, tree, login, who):
    from tests.unit.public.world import publish_page

    with app.app_context():
        publish_page(tree, "r1m1s1")
    client = signed_in(app, login, tree, who)
    _post(client, "/site/page", _page_data(intro="Наставничество на нашем уровне."))
    preview = client.get("/site/preview")
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "Наставничество на нашем уровне." in html and "Школа 1.1.1" in html
