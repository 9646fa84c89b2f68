"""Isolation registry: an announcement of municipal body r1m1 to its school r1m1s1
(tests/isolation/routes/region/world.py). The recipient reads it and its file; r1m1's other
school (below the sender, not a recipient), the other body, the other region: 404. Its receipts
are the sender's line's alone: there even the recipient r1m1s1 gets 404."""
from tests.isolation.registry import M, ProtectedRoute, S


class AnnouncementRoute(ProtectedRoute):
    """A route on the announcement world's objects."""

    @property
    def worlds(self) -> tuple[str, ...]:
        return ("a",)


def _url(path):
    return lambda t, o: f"/announcements/{o['a'].announcement}{path}"


ROUTES: list = [
    AnnouncementRoute("announcements.show", "GET", _url(""), S),
    AnnouncementRoute("announcements.attachment", "GET", _url("/attachment"), S),
    AnnouncementRoute("announcements.receipts", "GET", _url("/receipts"), M),
]
