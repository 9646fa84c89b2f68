"""Reachability checks for /healthz: the database and the Celery broker."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from celery import Celery

from core.extensions import db

log = logging.getLogger("nastavnik.health")


def check_database() -> tuple[bool, str]:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return True, db.engine.dialect.name
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        log.warning("health: database unreachable: %r", exc)
        db.session.rollback()
        return False, type(exc).__name__


def check_broker(celery_app: Celery) -> tuple[bool, str]:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
            return True, conn.transport_cls if isinstance(conn.transport_cls, str) else conn.transport.driver_type
    except Exception as exc:  # noqa: BLE001
        log.warning("health: broker unreachable: %r", exc)
        return False, type(exc).__name__
