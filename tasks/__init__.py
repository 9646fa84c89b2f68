"""Celery entry points: thin tasks that take ids, set the tenant, call a domain service."""
from tasks import analytical, health, imports, mail, meetings, monitoring, reports, roadmaps, surveys  # noqa: F401
