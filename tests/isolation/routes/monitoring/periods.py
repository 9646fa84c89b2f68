"""Isolation registry for the monitoring periods (see __init__.py): region r1's period of
20 December 2026 (``o["m"].period``, frozen), owned by the ministry."""
from tests.isolation.registry import ProtectedRoute

R = "r1"


def _period(o) -> str:
    return f"/monitoring/periods/{o['m'].period}"


ROUTES: list = [
    ProtectedRoute("monitoring.period_show", "GET", lambda t, o: _period(o), R),
    ProtectedRoute("monitoring.period_status", "GET", lambda t, o: f"{_period(o)}/status", R),
    ProtectedRoute("monitoring.period_rerun", "POST", lambda t, o: f"{_period(o)}/rerun", R),
    ProtectedRoute("monitoring.period_unfreeze", "POST", lambda t, o: f"{_period(o)}/unfreeze", R,
                   form={"reason": "чужая разморозка"}),
]
