"""Celery entry points: thin tasks that take ids, set the tenant, call a domain service."""
from tasks import health, imports, mail, meetings, monitoring, roadmaps  # noqa: F401
