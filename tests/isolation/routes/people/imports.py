"""Isolation registry for this slice of the school's pages (see __init__.py): participant imports."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"

ROUTES: list = [
    ProtectedRoute("people.import_show", "GET", lambda t, o: f"/school/imports/{o['w'].batch}", S, owner_only=True),
    ProtectedRoute("people.import_status", "GET", lambda t, o: f"/school/imports/{o['w'].batch}/status", S,
                   owner_only=True),
    ProtectedRoute("people.import_run", "POST", lambda t, o: f"/school/imports/{o['w'].batch}/run", S,
                   owner_only=True),
]
