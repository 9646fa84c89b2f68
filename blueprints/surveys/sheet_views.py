"""Stub: replaced by the helper that owns this slice."""
from blueprints.surveys import bp  # noqa: F401
