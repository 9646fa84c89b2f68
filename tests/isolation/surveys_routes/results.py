"""Isolation registry for the survey results pages (see __init__.py)."""
from tests.isolation.routes import ProtectedRoute  # noqa: F401

ROUTES: list = []
