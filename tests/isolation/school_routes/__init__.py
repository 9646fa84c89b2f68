"""Isolation registry of the school's pages, one module per slice.

Each module lists ``ROUTES`` (``ProtectedRoute`` with ``owner_only=True``: personal data is the
school's alone). URLs are built from ``o["w"]``, the ``school_world`` of tests/support/school.py
(its attributes are ids: w.mentor, w.mentee, w.pair, w.order …)."""
from tests.isolation.school_routes import (
    banks, completion, consents, contingent, dashboard, enterprises, imports, matching, meetings, orders,
    pairs, participants, plans, programmes,
)

ROUTES = [
    route
    for module in (participants, consents, banks, enterprises, imports, programmes, matching, pairs, orders, plans,
                   meetings, completion, contingent, dashboard)
    for route in module.ROUTES
]
