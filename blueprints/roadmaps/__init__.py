from flask import Blueprint

bp = Blueprint("roadmaps", __name__)

from blueprints.roadmaps import views, review_views, execution_views  # noqa: E402,F401
