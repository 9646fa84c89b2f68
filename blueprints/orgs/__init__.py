from flask import Blueprint

bp = Blueprint("orgs", __name__)

from blueprints.orgs import views  # noqa: E402,F401
