"""Isolation registry: the expert bank and requests for help.

The expert (tests/isolation/routes/experts/world.py) is kept by municipal body r1m1 and has not
consented to be shown, so the body's own schools are outsiders too, as for every body page; the
request is school r1m1s1's (the keeper above sees it; a sibling school, another body, another
region never do)."""
from tests.isolation.registry import M, ProtectedRoute, S


class ExpertsRoute(ProtectedRoute):
    """A route on the expert bank's world."""

    @property
    def worlds(self) -> tuple[str, ...]:
        return ("e",)


def _expert(endpoint, method, path, **kwargs):
    return ExpertsRoute(endpoint, method, lambda t, o: "/experts" + path(o["e"]), M, **kwargs)


def _request(endpoint, method, path, **kwargs):
    return ExpertsRoute(endpoint, method, lambda t, o: "/experts/requests" + path(o["e"]), S, **kwargs)


EXPERT = {"full_name": "Чужая правка", "kind": "other", "areas": ["methodology"], "email": "x@iro-region.ru"}

ROUTES: list = [
    _expert("experts.show", "GET", lambda w: f"/{w.expert}"),
    _expert("experts.edit", "GET", lambda w: f"/{w.expert}/edit"),
    _expert("experts.edit", "POST", lambda w: f"/{w.expert}/edit", form=EXPERT),
    _expert("experts.give_display", "POST", lambda w: f"/{w.expert}/display-consent", form={"on": "2026-10-01"}),
    _expert("experts.withdraw_display", "POST", lambda w: f"/{w.expert}/display-consent/withdraw",
            form={"on": "2026-10-01"}),
    _expert("experts.erase", "POST", lambda w: f"/{w.expert}/erase", form={"on": "2026-10-01"}),
    _expert("experts.set_active", "POST", lambda w: f"/{w.expert}/active", form={"active": "0"}),
    _expert("experts.invite", "POST", lambda w: f"/{w.expert}/invite"),
    _expert("experts.ask", "GET", lambda w: f"/{w.expert}/ask"),
    _expert("experts.ask", "POST", lambda w: f"/{w.expert}/ask", form={"topic": "Чужой", "text": "Чужой запрос"}),
    _request("experts.request_show", "GET", lambda w: f"/{w.request}"),
    _request("experts.accept", "POST", lambda w: f"/{w.request}/accept", form={"comment": "чужое"}),
    _request("experts.decline", "POST", lambda w: f"/{w.request}/decline", form={"comment": "чужое"}),
    _request("experts.close", "POST", lambda w: f"/{w.request}/close", form={"outcome": "чужое"}),
    _request("experts.withdraw", "POST", lambda w: f"/{w.request}/withdraw"),
]
