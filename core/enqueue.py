"""Enqueue Celery tasks only once the database transaction that asked for them commits.

A task sent before the commit may run before its rows exist, or for rows a rollback
removes. ``enqueue_on_commit`` holds the task on the session and sends it after commit;
a rollback drops it. (Celery's own ``delay_on_commit`` exists for Django only.)
"""
from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

_KEY = "nastavnik.pending_tasks"
log = logging.getLogger("nastavnik.enqueue")


def enqueue_on_commit(session: Session, task, *args, **kwargs) -> None:
    if not session.in_transaction():
        session.begin()  # so that a rollback before any statement still drops the task
    session.info.setdefault(_KEY, []).append((task, args, kwargs))


@event.listens_for(Session, "after_commit")
def _send_pending(session: Session) -> None:
    for task, args, kwargs in session.info.pop(_KEY, []):
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - the commit stands; one broker failure must not drop the rest
            log.exception("could not enqueue %s after commit", getattr(task, "name", task))


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction rolled back
        session.info.pop(_KEY, None)
