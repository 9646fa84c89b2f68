"""The library through the web: a body publishes a document with its file, a school finds it
and downloads it; bad files save nothing; a school's practice is reviewed by its municipal body;
new versions keep the old links; the pages' empty states."""
from __future__ import annotations

from io import BytesIO

import pytest
import sqlalchemy as sa
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy.orm import selectinload

from core.extensions import db
from mentorship.library.catalogue import STATUS_LABELS
from mentorship.library.items import LibraryError, LibraryStateError
from mentorship.library.models import LibraryItem
from mentorship.library.review import ReviewError
from tenants.context import tenant_scope
from tests.conftest import csrf_token_from
from tests.unit.library.support import PDF, make_item, make_practice

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def signed_in(app, tree, login):
    def _client(user_key: str):
        client = app.test_client()
        login(client, tree.emails[user_key])
        return client
    return _client


def shown(app, text) -> str:
    """``text`` (a msgid or a lazy string) as a page shows it: in the app's locale, escaped."""
    with app.test_request_context():
        return str(escape(gettext(text) if isinstance(text, str) else str(text)))


def _post(client, url, data, page=None, **kwargs):
    token = csrf_token_from(client.get(page or url, follow_redirects=True))
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def _items(tree, org_key="r1m1") -> list[LibraryItem]:
    with tenant_scope(tree.ids[org_key], tree.paths[org_key]):
        return list(db.session.scalars(sa.select(LibraryItem).order_by(LibraryItem.id)
                                       .options(selectinload(LibraryItem.versions))))


def test_a_body_publishes_a_model_document_and_a_school_finds_and_downloads_it(app, tree, signed_in):
    body = signed_in("r1m1.staff")
    response = _post(body, "/library/new", {
        "category": "template", "title": "Типовое положение о наставничестве",
        "description": "Положение для образовательных организаций", "form_codes": ["teacher_teacher"],
        "keywords": "локальный акт", "publish": "y",
        "file": (BytesIO(PDF), "polozhenie.pdf"), "note": "Первая редакция",
    }, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        [item] = _items(tree)
        assert item.status == "published" and item.versions[0].filename == "polozhenie.pdf"
        item_id = item.id

    curator = signed_in("r1m1s1.staff")
    page = curator.get("/library/?q=положение").get_data(as_text=True)
    assert "Типовое положение о наставничестве" in page
    assert "Типовое положение" not in curator.get("/library/?q=презентация").get_data(as_text=True)
    assert "Типовое положение" in curator.get("/library/?form=teacher_teacher&category=template").get_data(as_text=True)
    show = curator.get(f"/library/items/{item_id}")
    assert show.status_code == 200 and "polozhenie.pdf" in show.get_data(as_text=True)
    download = curator.get(f"/library/items/{item_id}/download")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"] == "attachment; filename*=UTF-8''polozhenie.pdf"
    with app.app_context():
        assert _items(tree)[0].download_count == 1

    other = signed_in("r1m2s1.admin")  # another municipality's school
    assert "Типовое положение" not in other.get("/library/").get_data(as_text=True)
    assert other.get(f"/library/items/{item_id}").status_code == 404
    assert other.get(f"/library/items/{item_id}/download").status_code == 404


def test_the_search_page_finds_an_inflected_word(app, tree, signed_in):
    """Full-text search with stemming on PostgreSQL; the fallback's rough stemming on SQLite."""
    with app.app_context():
        make_item(tree, "r1m1.admin", title="Методические рекомендации по организации наставничества",
                  category="recommendation")
    curator = signed_in("r1m1s1.staff")
    for query in ("наставничеству", "рекомендацию", "организация наставничества"):
        page = curator.get("/library/", query_string={"q": query}).get_data(as_text=True)
        assert "Методические рекомендации по организации наставничества" in page, query
    assert "library-empty" in curator.get("/library/", query_string={"q": "бухгалтерия"}).get_data(as_text=True)


def test_a_bad_file_saves_nothing_and_says_why(app, tree, signed_in):
    body = signed_in("r1m1.admin")
    response = _post(body, "/library/new", {
        "category": "template", "title": "Шаблон", "publish": "y", "form_codes": ["no_such_form"],
        "file": (BytesIO(b"MZ\x90\x00binary"), "virus.pdf"),
    }, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert shown(app, LibraryError.MESSAGES["type_not_allowed"]) in page
    assert shown(app, LibraryError.MESSAGES["form"]) in page  # every problem at once
    response = _post(body, "/library/new", {"category": "template", "title": "", "file": (BytesIO(PDF), "a.pdf")},
                     content_type="multipart/form-data")
    assert shown(app, "This field is required.") in response.get_data(as_text=True)
    with app.app_context():
        assert _items(tree) == []


def test_a_schools_practice_is_reviewed_by_its_municipal_body(app, tree, signed_in):
    school = signed_in("r1m1s1.staff")
    form_page = school.get("/library/new").get_data(as_text=True)
    assert 'value="regulation"' not in form_page and 'value="practice"' in form_page
    response = _post(school, "/library/new", {
        "category": "practice", "title": "Клуб молодых педагогов", "description": "Опыт работы клуба",
        "file": (BytesIO(PDF), "club.pdf"),
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        [item] = _items(tree, "r1m1s1")
        item_id = item.id
        assert item.status == "draft"
    sibling = signed_in("r1m1s2.admin")
    body = signed_in("r1m1.admin")
    assert sibling.get(f"/library/items/{item_id}").status_code == 404
    assert body.get(f"/library/items/{item_id}").status_code == 404  # a draft is the school's own

    assert _post(school, f"/library/items/{item_id}/submit", {"public": "y"},
                 page=f"/library/items/{item_id}").status_code == 302
    queue = body.get("/library/review").get_data(as_text=True)
    assert "Клуб молодых педагогов" in queue
    response = _post(body, f"/library/items/{item_id}/review", {"decision": "return", "comment": ""})
    assert shown(app, ReviewError.MESSAGES["comment_required"]) in response.get_data(as_text=True)
    response = _post(body, f"/library/items/{item_id}/review", {"decision": "return", "comment": "Добавьте результаты"})
    assert response.status_code == 302
    assert "Добавьте результаты" in school.get(f"/library/items/{item_id}").get_data(as_text=True)
    assert sibling.get(f"/library/items/{item_id}").status_code == 404

    _post(school, f"/library/items/{item_id}/submit", {}, page=f"/library/items/{item_id}")
    response = _post(body, f"/library/items/{item_id}/review", {"decision": "approve", "comment": "", "public": "y"})
    assert response.status_code == 302
    assert sibling.get(f"/library/items/{item_id}").status_code == 200
    assert "Клуб молодых педагогов" in signed_in("r1m2s2.staff").get("/library/").get_data(as_text=True)
    with app.app_context():
        assert _items(tree, "r1m1s1")[0].is_public
    # the school may take it off the public pages, not put it back
    _post(school, f"/library/items/{item_id}/public", {"public": "0"}, page=f"/library/items/{item_id}")
    with app.app_context():
        assert not _items(tree, "r1m1s1")[0].is_public
    assert _post(school, f"/library/items/{item_id}/public", {"public": "1"},
                 page=f"/library/items/{item_id}").status_code == 302
    with app.app_context():
        assert not _items(tree, "r1m1s1")[0].is_public


def test_review_pages_are_the_reviewers(app, tree, signed_in):
    with app.app_context():
        item_id = make_practice(tree)
    assert signed_in("r1m1s1.admin").get("/library/review").status_code == 404
    assert signed_in("r1.admin").get("/library/review").status_code == 404
    assert signed_in("r1.admin").get(f"/library/items/{item_id}/review").status_code == 404
    assert signed_in("r1m1s1.admin").get(f"/library/items/{item_id}/review").status_code == 404
    assert signed_in("r1m1.staff").get(f"/library/items/{item_id}/review").status_code == 200


def test_a_new_version_keeps_the_old_link(app, tree, signed_in):
    with app.app_context():
        item_id = make_item(tree, "r1m1.admin", filename="v1.pdf")
        old_version = _items(tree)[0].versions[0].id
    body = signed_in("r1m1.admin")
    response = _post(body, f"/library/items/{item_id}/versions/new",
                     {"file": (BytesIO(PDF + b"%v2\n"), "v2.pdf"), "note": "Новая редакция"},
                     content_type="multipart/form-data")
    assert response.status_code == 302
    curator = signed_in("r1m1s1.staff")
    assert curator.get(f"/library/items/{item_id}/download").headers["Content-Disposition"].endswith("v2.pdf")
    old = curator.get(f"/library/items/{item_id}/versions/{old_version}/download")
    assert old.status_code == 200 and old.data == PDF
    assert curator.get(f"/library/items/{item_id}/versions/new").status_code == 404  # not the school's item
    response = _post(body, f"/library/items/{item_id}/versions/new", {"file": (BytesIO(b""), "")},
                     content_type="multipart/form-data")
    assert shown(app, LibraryError.MESSAGES["file_required"]) in response.get_data(as_text=True)


def test_empty_states_and_own_materials(app, tree, signed_in):
    curator = signed_in("r1m1s1.staff")
    assert shown(app, "Nothing has been published in the library yet.") in curator.get("/library/").get_data(as_text=True)
    assert shown(app, "Your organisation has no materials in the library yet.") in curator.get(
        "/library/mine").get_data(as_text=True)
    with app.app_context():
        make_item(tree, "r1m1.admin", title="Черновик управления", publish=False)
    body = signed_in("r1m1.admin")
    mine = body.get("/library/mine").get_data(as_text=True)
    assert "Черновик управления" in mine and shown(app, STATUS_LABELS["draft"]) in mine
    assert "Черновик управления" not in curator.get("/library/").get_data(as_text=True)


def test_a_body_publishes_withdraws_and_deletes_drafts(app, tree, signed_in):
    with app.app_context():
        draft_id = make_item(tree, "r1m1.admin", title="Черновик", publish=False)
    body = signed_in("r1m1.admin")
    curator = signed_in("r1m1s1.staff")
    assert curator.get(f"/library/items/{draft_id}").status_code == 404
    _post(body, f"/library/items/{draft_id}/publish", {}, page=f"/library/items/{draft_id}")
    assert curator.get(f"/library/items/{draft_id}").status_code == 200
    _post(body, f"/library/items/{draft_id}/withdraw", {}, page=f"/library/items/{draft_id}")
    assert curator.get(f"/library/items/{draft_id}").status_code == 404
    response = _post(body, f"/library/items/{draft_id}/delete", {}, page=f"/library/items/{draft_id}",
                     follow_redirects=True)
    assert shown(app, LibraryStateError.MESSAGES["not_draft"]) in response.get_data(as_text=True)
    with app.app_context():
        other = make_item(tree, "r1m1.admin", title="Ненужный", publish=False)
    _post(body, f"/library/items/{other}/delete", {}, page=f"/library/items/{other}")
    assert body.get(f"/library/items/{other}").status_code == 404


def test_the_list_pages_cost_the_same_at_two_items_and_at_a_full_page(app, tree, signed_in):
    from tests.support.queries import queries_and_page

    with app.app_context():
        for n in range(2):
            make_item(tree, "r1m1.admin", title=f"Документ {n}", forms=("teacher_teacher",))
    body, curator = signed_in("r1m1.admin"), signed_in("r1m1s1.staff")
    small = [queries_and_page(app, curator, "/library/")[0], queries_and_page(app, body, "/library/mine")[0]]
    with app.app_context():
        for n in range(2, 20):
            make_item(tree, "r1m1.admin", title=f"Документ {n}", forms=("teacher_pupil",))
    large = [queries_and_page(app, curator, "/library/")[0], queries_and_page(app, body, "/library/mine")[0]]
    assert small == large
