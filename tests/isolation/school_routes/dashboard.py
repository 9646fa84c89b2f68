"""Isolation registry for this slice of the school's pages (see __init__.py)."""
from tests.isolation.routes import ProtectedRoute  # noqa: F401

S = "r1m1s1"

ROUTES: list = [
    # ProtectedRoute("school.<endpoint>", "GET", lambda t, o: f"/school/…/{o['w'].pair}", S, owner_only=True),
]
