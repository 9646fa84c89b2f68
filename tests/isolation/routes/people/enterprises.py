"""Isolation registry for this slice of the school's pages (see __init__.py): partner enterprises."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"

ROUTES: list = [
    ProtectedRoute("people.enterprise_edit", "GET", lambda t, o: f"/school/enterprises/{o['w'].enterprise}/edit", S,
                   owner_only=True),
    ProtectedRoute("people.enterprise_edit", "POST", lambda t, o: f"/school/enterprises/{o['w'].enterprise}/edit",
                   S, owner_only=True, form={"name": "Чужое предприятие"}),
]
