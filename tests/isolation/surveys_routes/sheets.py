"""Isolation registry for the survey sheets pages (see __init__.py)."""
from tests.isolation.routes import ProtectedRoute  # noqa: F401

ROUTES: list = []
