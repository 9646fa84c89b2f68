"""HTTP layer: one blueprint package per area, thin views over domain services."""
import importlib

from flask import Blueprint, Flask

from core.discovery import walk


def register_blueprints(app: Flask) -> None:
    """Register every blueprint of every package here, after importing its views.

    By convention: a package's ``__init__`` creates its blueprint(s) with their URL prefix,
    and every module named ``views`` or ``*_views`` adds routes to them. A new area needs no
    line here."""
    for name in walk("blueprints"):
        if name.rsplit(".", 1)[-1].endswith("views"):
            importlib.import_module(name)
    for name in walk("blueprints"):
        for blueprint in vars(importlib.import_module(name)).values():
            if isinstance(blueprint, Blueprint) and blueprint.name not in app.blueprints:
                app.register_blueprint(blueprint)
