"""Isolation registry for the public pages' editor (/site): every id route, owner-only (the
municipal body and the ministry above are outsiders too: another organisation's drafts do not
exist for them). Objects: tests/isolation/routes/public/world.py. The public pages themselves
(/p/…) take slugs and ids of published rows only and are exempt (tests/isolation/registry.py)."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"


class EditorRoute(ProtectedRoute):
    """An editor route on the public world's objects."""

    @property
    def worlds(self) -> tuple[str, ...]:
        return ("p",)


def _route(endpoint, method, path, **kwargs):
    return EditorRoute(endpoint, method, lambda t, o: "/site" + path(o["p"]), S, owner_only=True, **kwargs)


NEWS = {"title": "Чужая новость", "published_on": "2026-11-21", "text": "Чужой текст"}
DOCUMENT = {"title": "Чужой документ", "category": "other"}
PRACTICE = {"title": "Чужая практика", "summary": "", "text": "Чужой текст"}

ROUTES: list = [
    _route("site.news_edit", "GET", lambda p: f"/news/{p.news}/edit"),
    _route("site.news_edit", "POST", lambda p: f"/news/{p.news}/edit", form=NEWS),
    _route("site.news_publish", "POST", lambda p: f"/news/{p.news}/publish"),
    _route("site.news_unpublish", "POST", lambda p: f"/news/{p.news}/unpublish"),
    _route("site.news_delete", "POST", lambda p: f"/news/{p.news}/delete"),
    _route("site.news_preview", "GET", lambda p: f"/news/{p.news}/preview"),
    _route("site.news_picture", "GET", lambda p: f"/news/{p.news}/picture"),
    _route("site.document_edit", "GET", lambda p: f"/documents/{p.document}/edit"),
    _route("site.document_edit", "POST", lambda p: f"/documents/{p.document}/edit", form=DOCUMENT),
    _route("site.document_publish", "POST", lambda p: f"/documents/{p.document}/publish"),
    _route("site.document_unpublish", "POST", lambda p: f"/documents/{p.document}/unpublish"),
    _route("site.document_delete", "POST", lambda p: f"/documents/{p.document}/delete"),
    _route("site.document_download", "GET", lambda p: f"/documents/{p.document}/download"),
    _route("site.practice_edit", "GET", lambda p: f"/practices/{p.practice}/edit"),
    _route("site.practice_edit", "POST", lambda p: f"/practices/{p.practice}/edit", form=PRACTICE),
    _route("site.practice_publish", "POST", lambda p: f"/practices/{p.practice}/publish"),
    _route("site.practice_unpublish", "POST", lambda p: f"/practices/{p.practice}/unpublish"),
    _route("site.practice_delete", "POST", lambda p: f"/practices/{p.practice}/delete"),
    _route("site.practice_preview", "GET", lambda p: f"/practices/{p.practice}/preview"),
    _route("site.card_photo", "GET", lambda p: f"/honour/{p.card}/photo"),
]
