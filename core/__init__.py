"""Shared infrastructure: extensions, base model, Celery wiring, HTTP hardening, mail."""
