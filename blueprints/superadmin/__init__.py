from flask import Blueprint

bp = Blueprint("superadmin", __name__)

from blueprints.superadmin import views  # noqa: E402,F401
