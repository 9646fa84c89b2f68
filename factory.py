"""The application factory: the composition root that binds every layer together."""
from __future__ import annotations

import logging

from flask import Flask

from config import BaseConfig, config_for


def create_app(config: BaseConfig | str | None = None, **overrides) -> Flask:
    """Build the Flask app. ``config`` is a settings instance or an environment name."""
    settings = config if isinstance(config, BaseConfig) else config_for(config)
    app = Flask(__name__, instance_relative_config=False, static_folder="static", template_folder="templates")
    app.config.from_object(settings)
    app.config.update(overrides)
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    logging.basicConfig(level=logging.INFO)

    import core.enqueue  # noqa: F401  (tasks sent after commit)
    import core.sqlite  # noqa: F401  (SQLite connection setup)
    from core.celery import celery_init_app
    from core.extensions import babel, csrf, db, limiter, login_manager, migrate
    from core.i18n import init_i18n
    from core.security_headers import init_security_headers
    from tenants.access import init_tenancy

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    init_i18n(app, babel)
    init_security_headers(app)
    init_tenancy(app)
    celery_app = celery_init_app(app)

    from core.discovery import import_all, import_models

    import_models("tenants", "mentorship")  # every table registers with the metadata
    import_all("tasks")  # every Celery task registers with the app
    from tasks.tenant_task import init_task_tenancy

    init_task_tenancy()
    from tasks.schedule import BEAT_SCHEDULE

    celery_app.conf.beat_schedule = BEAT_SCHEDULE
    from blueprints import register_blueprints
    from blueprints.cli import register_cli
    from blueprints.errors import register_error_handlers
    from demo.cli import register_cli as register_demo_cli

    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    register_demo_cli(app)
    return app
