"""Isolation registry for this slice of the school's pages (see __init__.py): orders."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"

ROUTES: list = [
    ProtectedRoute("pairing.order_show", "GET", lambda t, o: f"/school/orders/{o['w'].order}", S, owner_only=True),
    ProtectedRoute("pairing.order_docx", "GET", lambda t, o: f"/school/orders/{o['w'].order}.docx", S,
                   owner_only=True),
]
