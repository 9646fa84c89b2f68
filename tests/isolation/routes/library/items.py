"""Isolation registry: the library. A school's draft practice is the school's alone; a submitted
one is the school's and its reviewer's — never a sibling school's, another body's or another
region's (tests/isolation/routes/library/world.py). The routes are not owner-only: the municipal
body above reviews the school's practices."""
from tests.isolation.registry import M, ProtectedRoute, S


class LibraryRoute(ProtectedRoute):
    """A route on the library world's objects."""

    @property
    def worlds(self) -> tuple[str, ...]:
        return ("l",)


def _route(endpoint, method, path, **kwargs):
    return LibraryRoute(endpoint, method, lambda t, o: "/library" + path(o["l"]), S, **kwargs)


ITEM = {"category": "practice", "title": "Чужая правка"}

ROUTES: list = [
    _route("library.show", "GET", lambda w: f"/items/{w.draft}"),
    _route("library.edit", "GET", lambda w: f"/items/{w.draft}/edit"),
    _route("library.edit", "POST", lambda w: f"/items/{w.draft}/edit", form=ITEM),
    _route("library.new_version", "GET", lambda w: f"/items/{w.draft}/versions/new"),
    _route("library.new_version", "POST", lambda w: f"/items/{w.draft}/versions/new", form={"note": "чужая"}),
    _route("library.download", "GET", lambda w: f"/items/{w.draft}/download"),
    _route("library.download_version", "GET", lambda w: f"/items/{w.draft}/versions/{w.version}/download"),
    _route("library.publish", "POST", lambda w: f"/items/{w.draft}/publish"),
    _route("library.submit", "POST", lambda w: f"/items/{w.draft}/submit", form={"public": "y"}),
    _route("library.set_public", "POST", lambda w: f"/items/{w.draft}/public", form={"public": "1"}),
    _route("library.delete", "POST", lambda w: f"/items/{w.draft}/delete"),
    _route("library.withdraw", "POST", lambda w: f"/items/{w.submitted}/withdraw"),
    _route("library.review_item", "GET", lambda w: f"/items/{w.submitted}/review", insider=f"{M}.admin"),
    _route("library.review_item", "POST", lambda w: f"/items/{w.submitted}/review",
           form={"decision": "approve", "comment": "чужое решение"}),
]
