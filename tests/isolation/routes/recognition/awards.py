"""Isolation registry for recognition's school pages: awards, award orders, portfolios, the
board of honour (owner-only: the municipal body and the ministry above are outsiders too).
Their objects are the school world's (tests/support/school.py: an award, a partner's award in
an award order, a portfolio entry with its file, a card with a photo)."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"


class SchoolRoute(ProtectedRoute):
    """A recognition route on the school world's objects."""

    @property
    def worlds(self) -> tuple[str, ...]:
        return ("w",)


def _route(endpoint, method, path, **kwargs):
    return SchoolRoute(endpoint, method, lambda t, o: "/recognition" + path(o["w"]), S, owner_only=True, **kwargs)


AWARD = {"recipient": "mentor", "participant_id": "", "kind": "thanks", "awarded_on": "2026-10-01",
         "title": "Чужая награда"}

ROUTES: list = [
    _route("recognition.award_edit", "GET", lambda w: f"/awards/{w.award}/edit"),
    _route("recognition.award_edit", "POST", lambda w: f"/awards/{w.award}/edit", form=AWARD),
    _route("recognition.award_delete", "POST", lambda w: f"/awards/{w.award}/delete"),
    _route("recognition.award_publish", "POST", lambda w: f"/awards/{w.award}/publish", form={"public": "1"}),
    _route("recognition.award_order_show", "GET", lambda w: f"/award-orders/{w.award_order}"),
    _route("recognition.award_order_docx", "GET", lambda w: f"/award-orders/{w.award_order}.docx"),
    _route("recognition.portfolio", "GET", lambda w: f"/mentors/{w.mentor}/portfolio"),
    _route("recognition.portfolio_item_new", "POST", lambda w: f"/mentors/{w.mentor}/portfolio/items",
           form={"kind": "achievement", "title": "Чужое достижение"}),
    _route("recognition.portfolio_item_edit", "GET", lambda w: f"/portfolio-items/{w.portfolio_item}/edit"),
    _route("recognition.portfolio_item_edit", "POST", lambda w: f"/portfolio-items/{w.portfolio_item}/edit",
           form={"kind": "achievement", "title": "Чужое"}),
    _route("recognition.portfolio_item_delete", "POST", lambda w: f"/portfolio-items/{w.portfolio_item}/delete"),
    _route("recognition.portfolio_item_publish", "POST", lambda w: f"/portfolio-items/{w.portfolio_item}/publish",
           form={"public": "1"}),
    _route("recognition.portfolio_item_file", "GET", lambda w: f"/portfolio-items/{w.portfolio_item}/file"),
    _route("recognition.board_card_edit", "GET", lambda w: f"/board/{w.honour_card}/edit"),
    _route("recognition.board_card_edit", "POST", lambda w: f"/board/{w.honour_card}/edit",
           form={"display_name": "Чужое имя"}),
    _route("recognition.board_card_publish", "POST", lambda w: f"/board/{w.honour_card}/publish", form={"public": "1"}),
    _route("recognition.board_card_delete", "POST", lambda w: f"/board/{w.honour_card}/delete"),
    _route("recognition.board_card_photo", "GET", lambda w: f"/board/{w.honour_card}/photo"),
]
