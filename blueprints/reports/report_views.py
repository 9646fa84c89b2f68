"""(to be written)"""
from blueprints.reports import bp  # noqa: F401
