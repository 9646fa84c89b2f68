"""(to be written)"""
from blueprints.school import bp  # noqa: F401
