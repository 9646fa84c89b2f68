"""Isolation registry for this slice of the school's pages (see __init__.py).

No route of this slice takes an id: the school's own figures are reached through the current
organisation only (/school/, /school/contingent…), and a municipal or ministry user gets 404
from ``school_required`` (tested in tests/web/reports/test_school_dashboard.py)."""
from tests.isolation.registry import ProtectedRoute  # noqa: F401

S = "r1m1s1"

ROUTES: list = []
