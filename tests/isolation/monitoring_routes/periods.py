"""Isolation registry for this slice (see __init__.py)."""
from tests.isolation.routes import ProtectedRoute  # noqa: F401

ROUTES: list = [
    # ProtectedRoute("reports.<endpoint>", "GET", lambda t, o: f"/reports/{o['m'].school_report}", "r1m1s1"),
]
