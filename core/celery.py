"""One Celery app configured from Flask config; every task runs inside the app context.

Follows Flask's documented pattern (docs/patterns/celery.rst): ``celery_init_app`` binds a
``FlaskTask`` class, and ``make_celery.py`` at the top level is the ``celery -A`` entry.
"""
from __future__ import annotations

from celery import Celery, Task
from celery.signals import worker_process_init
from flask import Flask


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])

    celery_app.set_default()
    app.extensions["celery"] = celery_app

    # dispatch_uid: one handler per process however many apps are created (tests make several).
    @worker_process_init.connect(weak=False, dispatch_uid="nastavnik.dispose_engine")
    def _dispose_engine(**_kwargs):
        # Connections inherited from the parent process must not be shared by a fork.
        from core.extensions import db

        with app.app_context():
            db.engine.dispose(close=False)

    return celery_app
