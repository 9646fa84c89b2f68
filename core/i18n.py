"""Flask-Babel: Russian by default, English on request (cookie set by the language switch)."""
from __future__ import annotations

from flask import Flask, has_request_context, session
from flask_babel import Babel

LANGUAGE_SESSION_KEY = "lang"


def select_locale() -> str:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # tasks and e-mails sent from the worker: the default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get(LANGUAGE_SESSION_KEY)
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_i18n(app: Flask, babel: Babel) -> None:
    from core.numbers import JINJA_FILTERS

    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(JINJA_FILTERS)  # numbers: one formatting path (core/numbers.py)

    @app.context_processor
    def _languages():
        return {"available_languages": app.config["LANGUAGES"], "current_language": select_locale()}

