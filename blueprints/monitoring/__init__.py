from flask import Blueprint

bp = Blueprint("monitoring", __name__)

from blueprints.monitoring import config_views, period_views, dashboard_views  # noqa: E402,F401
