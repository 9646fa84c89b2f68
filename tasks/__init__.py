"""Celery entry points: thin tasks that take ids, set the tenant, call a domain service."""
from tasks import health, mail, roadmaps  # noqa: F401
