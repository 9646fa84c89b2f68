"""Tasks asked for inside a transaction are sent after it commits, and never after a rollback."""
from __future__ import annotations

from core.enqueue import enqueue_on_commit
from core.extensions import db
from tasks.schedule import BEAT_SCHEDULE


class RecordingTask:
    def __init__(self):
        self.sent = []

    def apply_async(self, args=(), kwargs=None):
        self.sent.append((args, kwargs))


def test_sent_after_commit_only(ctx):
    task = RecordingTask()
    enqueue_on_commit(db.session(), task, 7, kind="x")
    assert task.sent == []
    db.session.commit()
    assert task.sent == [((7,), {"kind": "x"})]
    db.session.commit()
    assert len(task.sent) == 1  # sent once


def test_dropped_on_rollback(ctx):
    task = RecordingTask()
    enqueue_on_commit(db.session(), task, 1)
    db.session.rollback()
    db.session.commit()
    assert task.sent == []


def test_beat_schedule_is_wired_with_explicit_timezone(app):
    celery_app = app.extensions["celery"]
    assert celery_app.conf.beat_schedule == BEAT_SCHEDULE
    assert celery_app.conf.timezone == "Europe/Moscow"
    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in celery_app.tasks and entry["options"]["expires"] > 0

