"""(to be written)"""
from blueprints.monitoring import bp  # noqa: F401
