"""Isolation registry for the survey campaigns pages (see __init__.py)."""
from tests.isolation.routes import ProtectedRoute  # noqa: F401

ROUTES: list = []
